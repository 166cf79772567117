// The entity kind: fields checked by their own field types, then rules, indexes, duplicate rules
// and the cycles among formulas.

import type { IssueDetail } from '../kernel/errors.ts';
import { objectMemberNames } from '../kernel/forbidden-keys.ts';
import { compileExpression } from '../expressions/compile-expression.ts';
import { getFieldType } from '../fields/registry.ts';
import { checkConditionType, checkExpressionResultType } from '../fields/expression-result-types.ts';
import { throughReadsOf } from '../fields/lookup-reads.ts';
import { systemFieldNames } from '../fields/system-fields.ts';
import type { EntityDefinition, FieldDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { checkCleansing } from './cleansing-checks.ts';
import { checkRecordExpression } from './entity-paths.ts';
import { checkLookupFilter } from './lookup-filters.ts';
import type { MetadataKind } from './metadata-kind.ts';

export const entityKind: MetadataKind = {
  kind: 'entity',
  plural: 'entities',
  check(document, set) {
    const entity = document as unknown as EntityDefinition;
    return [
      ...checkNames(entity, set),
      ...checkFields(entity, set),
      ...checkRules(entity, set),
      ...checkFieldLists(entity),
      ...checkCleansing(entity),
      ...checkFormulaCycles(entity),
      ...checkComputedCycles(entity, set),
    ];
  },
};

/**
 * Entity names the generated API already uses: an entity's operations are named `list<Name>`,
 * `get<Name>`, `create<Name>`, … — these names would give operations the engine's own routes have
 * (`getUser`, `listApprovals`, `createToken`). Refused, so OpenAPI and types.ts stay correct; the
 * contract names test derives this list from the document and fails when a new route adds one.
 */
const reservedEntityNames = new Set([
  'approval', 'approvals', 'file', 'files', 'firstAdministrator', 'formLogic', 'importJob', 'importMapping', 'importMappings', 'importRejectedRows', 'jobs', 'metadata', 'navigation',
  'notifications', 'revisions', 'subscriptionDeliveries', 'subscriptionEvents', 'subscriptions', 'team', 'teams', 'template', 'templates', 'token', 'tokens', 'user', 'users',
  'webhookDeliveries', 'segmentMembers',
]);

/**
 * The verbs of an entity's generated operation ids (`list<Name>`, `take<Name>Transition`, …: see
 * api/data-openapi.ts and the modules' per-entity paths).
 */
export const entityOperationVerbs = ['list', 'get', 'create', 'update', 'delete', 'history', 'stateHistory', 'transitions', 'timeline', 'aggregate', 'reassign', 'take'] as const;

/** Entity names whose generated operation ids would be one of these (the engine's own routes). */
export function entityNamesTakenBy(operationIds: Iterable<string>): string[] {
  const names: string[] = [];
  for (const id of operationIds) {
    for (const verb of entityOperationVerbs) {
      const rest = new RegExp(`^${verb}([A-Z][A-Za-z0-9]*?)(?:Transition)?$`).exec(id);
      if (rest) names.push(rest[1]!.charAt(0).toLowerCase() + rest[1]!.slice(1));
    }
  }
  return names;
}

/**
 * Adds names the server's routes take (computed from its document when the app starts, so a new
 * module's route cannot collide unnoticed); the list above covers the CLI's offline checks.
 */
export function reserveEntityNames(names: Iterable<string>): void {
  for (const name of names) reservedEntityNames.add(name);
}

export function isReservedEntityName(name: string): boolean {
  return reservedEntityNames.has(name);
}

/** The suffix of an entity's input schema and type (`Deal` → `DealInput`). */
const inputSuffix = 'Input';

function checkNames(entity: EntityDefinition, set: MetadataSet): IssueDetail[] {
  const issues: IssueDetail[] = [];
  const clash = set.entities().find((other) => other.name !== entity.name && other.name.toLowerCase() === entity.name.toLowerCase());
  if (clash) issues.push({ path: '/name', message: `differs from entity "${clash.name}" only in letter case` });
  if (reservedEntityNames.has(entity.name)) issues.push({ path: '/name', code: 'META_RESERVED_NAME', message: `"${entity.name}" is reserved: the API's own operations already use the names its operations would get` });
  // `dealInput` would be named DealInput in OpenAPI and types.ts: the name of deal's input schema.
  const base = entity.name.endsWith(inputSuffix) ? set.entity(entity.name.slice(0, -inputSuffix.length)) : undefined;
  const extended = set.entity(entity.name + inputSuffix);
  for (const other of [base, extended]) {
    if (other && other.name !== entity.name) issues.push({ path: '/name', code: 'META_RESERVED_NAME', message: `"${entity.name}" and entity "${other.name}" would give the same generated type name (${[entity.name, other.name].sort((a, b) => a.length - b.length)[1]!.replace(/^./, (c) => c.toUpperCase())}): rename one` });
  }
  const seen = new Map<string, string>();
  for (const name of Object.keys(entity.fields)) {
    if (systemFieldNames.has(name)) issues.push({ path: `/fields/${name}`, message: `"${name}" is a system field name and cannot be declared` });
    else if (objectMemberNames.has(name)) issues.push({ path: `/fields/${name}`, code: 'META_RESERVED_NAME', message: `"${name}" is a name every JavaScript object already has and cannot be a field name` });
    const lower = name.toLowerCase();
    const earlier = seen.get(lower);
    if (earlier) issues.push({ path: `/fields/${name}`, message: `differs from field "${earlier}" only in letter case` });
    seen.set(lower, name);
  }
  if (entity.titleField && !Object.hasOwn(entity.fields, entity.titleField)) {
    issues.push({ path: '/titleField', message: `refers to "${entity.titleField}", which is not a field of ${entity.name}` });
  }
  return issues;
}

function checkFields(entity: EntityDefinition, set: MetadataSet): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const [fieldName, field] of Object.entries(entity.fields)) {
    const path = `/fields/${fieldName}`;
    const type = getFieldType(field.type);
    issues.push(...(type.checkDefinition?.(field as never, { entity, fieldName, path, findEntity: (n) => set.entity(n) }) ?? []));
    if (field.type === 'lookup' || field.type === 'multiLookup') issues.push(...checkLookupFilter({ set, entity, field, path }));
    if ('defaultExpression' in field && field.defaultExpression !== undefined) {
      const expressionIssues = checkRecordExpression(entity, field.defaultExpression, `${path}/defaultExpression`, { throughLookups: true });
      issues.push(...expressionIssues);
      if (expressionIssues.length === 0) {
        issues.push(...checkExpressionResultType({ source: field.defaultExpression, field, target: 'default', entity, findEntity: (n) => set.entity(n), path: `${path}/defaultExpression` }));
      }
    }
    const hasDefault = ('default' in field && field.default !== undefined) || ('defaultExpression' in field && field.defaultExpression !== undefined);
    const driver = hasDefault ? set.list('workflow').find((w) => w['entity'] === entity.name && w['field'] === fieldName) : undefined;
    if (driver) issues.push({ path: `${path}/${'default' in field && field.default !== undefined ? 'default' : 'defaultExpression'}`, code: 'META_DRIVEN_DEFAULT', message: `"${fieldName}" is driven by workflow "${driver.name}": new records start in its initial state, so it takes no default` });
  }
  return issues;
}

function checkRules(entity: EntityDefinition, set: MetadataSet): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const [name, rule] of Object.entries(entity.rules ?? {})) {
    const found = checkRecordExpression(entity, rule.when, `/rules/${name}/when`, { throughLookups: true });
    issues.push(...found);
    if (found.length === 0) {
      const findEntity = (n: string): EntityDefinition | undefined => (n === entity.name ? entity : set.entity(n));
      // A rule refuses a record when its condition gives true — exactly true.
      issues.push(...checkConditionType({ source: rule.when, entity, findEntity, path: `/rules/${name}/when`, never: { en: 'the rule would refuse no record', zh: '该规则不会拒绝任何记录' } }));
    }
    if (rule.field && !Object.hasOwn(entity.fields, rule.field)) issues.push({ path: `/rules/${name}/field`, message: `refers to "${rule.field}", which is not a field of ${entity.name}` });
  }
  if (entity.privacy?.subjectField && !Object.hasOwn(entity.fields, entity.privacy.subjectField)) {
    issues.push({ path: '/privacy/subjectField', message: `refers to "${entity.privacy.subjectField}", which is not a field of ${entity.name}` });
  }
  return issues;
}

function checkFieldLists(entity: EntityDefinition): IssueDetail[] {
  const issues: IssueDetail[] = [];
  const known = (name: string): boolean => Object.hasOwn(entity.fields, name) || systemFieldNames.has(name);
  for (const [name, rule] of Object.entries(entity.duplicateRules ?? {})) {
    rule.match.forEach((field, i) => {
      if (!known(field)) issues.push({ path: `/duplicateRules/${name}/match/${i}`, message: `refers to "${field}", which is not a field of ${entity.name}` });
    });
    // Every rule is checked on each write (normalized and fuzzy ones through the records' keys,
    // records/match-keys.ts), but a fuzzy one finds likely matches only — two names alike may share
    // no word —, so it would block some duplicates and let others through: it warns.
    if (rule.action === 'block' && rule.method === 'fuzzy') {
      const en = `a fuzzy rule finds likely duplicates only (names alike may share no word; the duplicate scan finds them all), so it cannot block: use "warn", or a normalized rule (equal once case, spaces, full-width characters, traditional or simplified Chinese and phone formats are set aside), which blocks`;
      issues.push({ path: `/duplicateRules/${name}/action`, message: en, text: { en, zh: `模糊规则只能发现可能的重复（相似的名称可能没有共同的词；重复扫描会全部找出），因此不能阻止写入：请使用 "warn"，或使用规范化规则（忽略大小写、空格、全角字符、繁简体和电话格式后相同），它会阻止写入` } });
    }
  }
  for (const [name, index] of Object.entries(entity.indexes ?? {})) {
    index.fields.forEach((key, i) => {
      const field = key.replace(/^-/, '').split('.')[0]!;
      const definition: FieldDefinition | undefined = entity.fields[field];
      if (!known(field)) issues.push({ path: `/indexes/${name}/fields/${i}`, message: `refers to "${field}", which is not a field of ${entity.name}` });
      else if (definition?.type === 'multipicklist') issues.push({ path: `/indexes/${name}/fields/${i}`, message: 'a multi-valued field cannot be indexed' });
    });
  }
  return issues;
}

/** Formulas may read other formulas, but not in a circle. */
function checkFormulaCycles(entity: EntityDefinition): IssueDetail[] {
  const graph = new Map<string, string[]>();
  for (const [name, field] of Object.entries(entity.fields)) {
    if (field.type !== 'formula') continue;
    const { expression } = compileExpression(field.expression, '');
    graph.set(name, [...(expression?.rootReferences ?? [])].filter((ref) => entity.fields[ref]?.type === 'formula'));
  }
  const issues: IssueDetail[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      issues.push({ path: `/fields/${name}/expression`, message: `formulas refer to each other in a circle: ${[...trail, name].join(' → ')}` });
      return;
    }
    state.set(name, 'visiting');
    for (const next of graph.get(name) ?? []) visit(next, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of graph.keys()) visit(name, []);
  return issues;
}

/**
 * Formulas and rollups may not read each other in a circle across records either: a rollup over a
 * formula that reads the rollup back through the lookup (`account.total` summing `deal.share`, where
 * `share` is `account.total / 10`) has no value that settles — each write would move it again, and
 * what is stored would depend on how far the propagation ran. Circles within one entity's formulas
 * are checkFormulaCycles'; this one follows rollups (to the child field they aggregate) and lookup
 * paths (to the target's field a formula reads).
 */
function checkComputedCycles(entity: EntityDefinition, set: MetadataSet): IssueDetail[] {
  const find = (name: string): EntityDefinition | undefined => (name === entity.name ? entity : set.entity(name));
  const computed = (e: EntityDefinition | undefined, field: string): boolean => e?.fields[field]?.type === 'formula' || e?.fields[field]?.type === 'rollup';
  const reads = new Map<string, string[]>();
  const readsOf = (node: string): string[] => {
    const known = reads.get(node);
    if (known) return known;
    const [entityName, fieldName] = node.split('.') as [string, string];
    const owner = find(entityName);
    const field = owner?.fields[fieldName];
    const next: string[] = [];
    if (owner && field?.type === 'formula') {
      const { expression } = compileExpression(field.expression, '');
      for (const ref of expression?.rootReferences ?? []) if (computed(owner, ref)) next.push(`${owner.name}.${ref}`);
      for (const read of throughReadsOf(field.expression, owner, find)) if (computed(find(read.entity), read.field)) next.push(`${read.entity}.${read.field}`);
    } else if (field?.type === 'rollup' && field.field !== undefined && computed(find(field.from), field.field)) {
      next.push(`${field.from}.${field.field}`);
    }
    reads.set(node, next);
    return next;
  };
  const issues: IssueDetail[] = [];
  for (const [name, field] of Object.entries(entity.fields)) {
    if (field.type !== 'formula' && field.type !== 'rollup') continue;
    const start = `${entity.name}.${name}`;
    const seen = new Set<string>();
    const search = (node: string, trail: string[]): string[] | undefined => {
      for (const next of readsOf(node)) {
        if (next === start) return [...trail, next];
        if (seen.has(next)) continue;
        seen.add(next);
        const found = search(next, [...trail, next]);
        if (found) return found;
      }
      return undefined;
    };
    const circle = search(start, [start]);
    // A circle of this entity's own formulas alone is checkFormulaCycles' to report.
    if (!circle || circle.every((node) => node.startsWith(`${entity.name}.`) && entity.fields[node.slice(entity.name.length + 1)]?.type === 'formula')) continue;
    const path = `/fields/${name}/${field.type === 'formula' ? 'expression' : 'field'}`;
    const chain = circle.join(' → ');
    issues.push({ path, code: 'META_COMPUTED_CYCLE', message: `formulas and rollups read each other in a circle across records: ${chain}; no value would settle`, text: {
      en: `formulas and rollups read each other in a circle across records: ${chain}; no value would settle`,
      zh: `公式与汇总跨记录相互读取形成循环：${chain}；其值永远无法稳定`,
    } });
  }
  return issues;
}
