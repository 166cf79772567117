// What a revision did, in the reader's language, from the data the server keeps (the operation that
// wrote it and each item with its label) rather than its English message: "更新实体 客户；删除视图 VIP 客户".

import { useTranslation } from 'react-i18next';
import type { RevisionSummary } from '../api/history.ts';
import { kindLabel } from '../admin/dry-run-model.ts';
import { useLanguage } from '../app/use-language.ts';

type Operation = NonNullable<RevisionSummary['operation']>;
type Change = RevisionSummary['changes'][number];
type T = (key: string, options?: Record<string, unknown>) => string;

/** Items named in the line; the rest are counted (the revision's list shows them all). */
const shownItems = 5;

function operationText(op: Operation, t: T, label: ReturnType<typeof useLanguage>['label'], changes: Change[]): string {
  const entityName = (name: string) => label(changes.find((c) => c.kind === 'entity' && c.name === name)?.label, name);
  const fieldType = (type: string) => t(`entityDesigner.types.${type}`, { defaultValue: type });
  switch (op.type) {
    case 'template': {
      const template = label(op.title, op.template);
      // A module step names its module (older revisions did not: they say "a module").
      if (op.module !== undefined && (op.action === 'enableModule' || op.action === 'disableModule')) return t(`history.operation.template.${op.action}Named`, { template, module: label(op.moduleLabel, op.module) });
      return t(`history.operation.template.${op.action}`, { template, version: op.version ?? '' });
    }
    case 'renameEntity':
      return t('history.operation.renameEntity', { from: op.from, to: op.to });
    case 'renameField':
      return t('history.operation.renameField', { entity: entityName(op.entity), field: op.field, to: op.to });
    case 'changeFieldType':
      return t('history.operation.changeFieldType', { entity: entityName(op.entity), field: op.field, from: fieldType(op.from), to: fieldType(op.to) });
    case 'importConfiguration':
      return t('history.operation.importConfiguration', { revision: op.revision });
    case 'revert':
      return t('history.operation.revert', { revision: op.revision });
  }
}

/** One line per revision: its operation, then (for a plain change or a revert) its items by their labels. */
export function RevisionSummaryLine({ revision }: { revision: RevisionSummary }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { operation, changes } = revision;
  const items = changes.slice(0, shownItems).map((c) => t(`history.item.${c.action}`, { kind: kindLabel(t, c.kind), item: label(c.label, c.name) }));
  if (changes.length > shownItems) items.push(t('history.moreItems', { count: changes.length - shownItems }));
  const parts = [
    ...(operation ? [operationText(operation, t, label, changes)] : []),
    ...(!operation || operation.type === 'revert' ? [items.join(t('history.itemSeparator'))] : []),
  ].filter((p) => p !== '');
  const text = parts.length > 0 ? parts.join(t('history.partSeparator')) : (revision.message ?? '');
  if (!text) return null;
  return (
    <div data-testid={`summary-${revision.revision}`} style={{ color: '#4b5563', overflowWrap: 'anywhere' }}>
      {text}
    </div>
  );
}
