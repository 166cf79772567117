// What a revision did, as data a client can put in its own language: the operation that wrote it
// (a template step, a refactoring, an import, a revert) and each changed item with its label. The
// revision's English `message` stays beside it for older clients.

import type { LocalizedText } from './generated/metadata.ts';
import type { ItemChange, RevisionOperation, RevisionRecord } from './metadata-repository.ts';

export type { RevisionOperation };

/** One changed item as a client shows it: its label or title (as the item has it after, or before a delete) when it has one. */
export interface DescribedChange {
  kind: string;
  name: string;
  action: ItemChange['action'];
  label?: LocalizedText;
}

const templateActions = new Set(['install', 'upgrade', 'enableModule', 'disableModule', 'uninstall']);
const moduleActions = new Set(['enableModule', 'disableModule']);
const identifier = /^[a-z][a-zA-Z0-9]*$/;

/**
 * The operation of a revision written before operations were stored, read back from the message the
 * engine wrote then (those messages were never typed by a person); undefined when it is not one of them.
 */
export function operationFromMessage(message: string): RevisionOperation | undefined {
  let m = /^template (\S+): (\S+)(?: (\S+))?$/.exec(message);
  if (m && templateActions.has(m[2]!)) {
    // A module step names its module (a metadata name); install and upgrade their version (a digit first).
    const module = moduleActions.has(m[2]!) && m[3] && identifier.test(m[3]) ? m[3] : undefined;
    return { type: 'template', template: m[1]!, action: m[2] as 'install', ...(module ? { module } : m[3] ? { version: m[3] } : {}) };
  }
  if ((m = /^rename entity (\S+) → (\S+)$/.exec(message))) return { type: 'renameEntity', from: m[1]!, to: m[2]! };
  if ((m = /^rename ([^.\s]+)\.(\S+) → (\S+)$/.exec(message))) return { type: 'renameField', entity: m[1]!, field: m[2]!, to: m[3]! };
  if ((m = /^change ([^.\s]+)\.(\S+): (\S+) → (\S+)$/.exec(message))) return { type: 'changeFieldType', entity: m[1]!, field: m[2]!, from: m[3]!, to: m[4]! };
  if ((m = /^import configuration \(exported (\S+) at revision (\d+)\)$/.exec(message))) return { type: 'importConfiguration', exportedAt: m[1]!, revision: Number(m[2]) };
  return undefined;
}

/** The English one-liner stored as a revision's message (kept for clients that read only it). */
export function operationMessage(operation: RevisionOperation): string {
  switch (operation.type) {
    case 'template':
      return `template ${operation.template}: ${operation.action}${operation.module ? ` ${operation.module}` : operation.version ? ` ${operation.version}` : ''}`;
    case 'renameEntity':
      return `rename entity ${operation.from} → ${operation.to}`;
    case 'renameField':
      return `rename ${operation.entity}.${operation.field} → ${operation.to}`;
    case 'changeFieldType':
      return `change ${operation.entity}.${operation.field}: ${operation.from} → ${operation.to}`;
    case 'importConfiguration':
      return `import configuration (exported ${operation.exportedAt} at revision ${operation.revision})`;
    case 'revert':
      return `revert to revision ${operation.revision}`;
  }
}

function labelOf(document: Record<string, unknown> | undefined): LocalizedText | undefined {
  // Dashboards and templates are titled rather than labelled.
  const label = document?.['label'] ?? document?.['title'];
  if (typeof label === 'string' && label !== '') return label;
  if (label && typeof label === 'object' && !Array.isArray(label)) return label as LocalizedText;
  return undefined;
}

/** A changed item with its label: as it is after the change, or as it was before a delete. */
export function describeChange(change: ItemChange): DescribedChange {
  const label = labelOf((change.after ?? change.before) as Record<string, unknown> | undefined);
  return { kind: change.kind, name: change.name, action: change.action, ...(label !== undefined ? { label } : {}) };
}

/** A revision's operation: the stored one, or the one its older message names. */
export function revisionOperation(record: RevisionRecord): RevisionOperation | undefined {
  return record.operation ?? operationFromMessage(record.message);
}
