// The integration kinds: event subscriptions, inbound endpoints and mail channels. Both name an entity (or
// several), fields of it, a role, and JSONata expressions — each checked against the candidate set.

import { compileExpression } from '../expressions/compile-expression.ts';
import { type IssueDetail, pointerSegment as escape } from '../kernel/errors.ts';
import type { InboundDefinition, MailChannelDefinition, SubscriptionDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { checkEntityReference, checkFieldReference, type MetadataKind } from './metadata-kind.ts';

function checkRole(set: MetadataSet, role: string, path: string): IssueDetail[] {
  return role === 'admin' || set.get('role', role) ? [] : [{ path, message: `refers to role "${role}", which does not exist` }];
}

function checkExpression(source: string | undefined, path: string): IssueDetail[] {
  return source === undefined ? [] : compileExpression(source, path).issues;
}

export const subscriptionKind: MetadataKind = {
  kind: 'subscription',
  plural: 'subscriptions',
  check(document, set) {
    const doc = document as unknown as SubscriptionDefinition;
    return [
      ...checkEntityReference(document, set),
      ...(doc.fields ?? []).flatMap((field, index) => checkFieldReference(set, doc.entity, field, `/fields/${index}`)),
      ...checkRole(set, doc.role, '/role'),
      ...checkExpression(doc.when, '/when'),
    ];
  },
};

export const inboundKind: MetadataKind = {
  kind: 'inbound',
  plural: 'inbound',
  check(document, set) {
    const doc = document as unknown as InboundDefinition;
    const issues = [...checkRole(set, doc.role, '/role'), ...checkExpression(doc.items, '/items'), ...checkExpression(doc.key, '/key')];
    const earlier: string[] = [];
    for (const [name, target] of Object.entries(doc.targets)) {
      const at = `/targets/${escape(name)}`;
      if (!set.entity(target.entity)) issues.push({ path: `${at}/entity`, message: `refers to entity "${target.entity}", which does not exist` });
      issues.push(...checkFieldReference(set, target.entity, target.match, `${at}/match`), ...checkExpression(target.map, `${at}/map`));
      const matchField = set.entity(target.entity)?.fields[target.match] as { unique?: boolean } | undefined;
      if (matchField && matchField.unique !== true) issues.push({ path: `${at}/match`, message: `"${target.match}" must be a unique field of ${target.entity} to upsert by` });
      if ((target.parent === undefined) !== (target.parentField === undefined)) issues.push({ path: `${at}/parent`, message: 'parent and parentField go together' });
      if (target.parent !== undefined && !earlier.includes(target.parent)) issues.push({ path: `${at}/parent`, message: `must name an earlier target (${earlier.join(', ') || 'none'})` });
      if (target.parentField !== undefined) issues.push(...checkFieldReference(set, target.entity, target.parentField, `${at}/parentField`));
      earlier.push(name);
    }
    return issues;
  },
};

export const mailChannelKind: MetadataKind = {
  kind: 'mailChannel',
  plural: 'mailChannels',
  check(document, set) {
    const doc = document as unknown as MailChannelDefinition;
    const issues = [...checkRole(set, doc.role, '/role'), ...checkExpression(doc.interaction.map, '/interaction/map')];
    if (!set.entity(doc.interaction.entity)) issues.push({ path: '/interaction/entity', message: `refers to entity "${doc.interaction.entity}", which does not exist` });
    if (doc.contact) {
      if (!set.entity(doc.contact.entity)) issues.push({ path: '/contact/entity', message: `refers to entity "${doc.contact.entity}", which does not exist` });
      issues.push(...checkFieldReference(set, doc.contact.entity, doc.contact.field, '/contact/field'));
    }
    const address = doc.address.toLowerCase();
    const other = set.list('mailChannel').find((item) => item['name'] !== doc.name && String(item['address']).toLowerCase() === address);
    if (other) issues.push({ path: '/address', message: `is the address of mail channel "${String(other['name'])}" already` });
    return issues;
  },
};
