// "Rename" on a saved field in the entity designer: the new name asked for, then the engine's rename
// through the admin area's dry-run dialog — every document it rewrites (forms, views, workflows,
// roles, formulas, rules…, pointer by pointer) and the stored values it moves, counted — applied as
// one revision only on confirmation.

import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { renameField, type FieldRenameAnswer, type FieldRenameCounts } from '../../api/designer.ts';
import { navigationKey } from '../../api/meta.ts';
import { DryRunDialog } from '../DryRunDialog.tsx';
import { refusalIssues, type DryRunModel } from '../dry-run-model.ts';
import { AskNewName } from './AskNewName.tsx';

/** The rename's answer as the dialog shows every dry run: the entity and each document using the field, with the pointers rewritten. */
export function fieldRenameModel(answer: FieldRenameAnswer): DryRunModel {
  const counts = answer.preview ?? answer.applied;
  if (!counts) return { items: [], issues: answer.issues };
  const own = { kind: 'entity', name: answer.entity, action: 'update' as const, changes: [{ path: `/fields/${answer.field}`, before: answer.field, after: answer.to }] };
  const byItem = new Map<string, typeof own>([[`entity/${answer.entity}`, own]]);
  for (const u of counts.usages) {
    const key = `${u.kind}/${u.name}`;
    const item = byItem.get(key) ?? { kind: u.kind, name: u.name, action: 'update' as const, changes: [] };
    item.changes.push({ path: u.path, before: answer.field, after: answer.to });
    byItem.set(key, item);
  }
  return { items: [...byItem.values()], issues: answer.issues };
}

function StoredCounts({ counts }: { counts: FieldRenameCounts | undefined }) {
  const { t } = useTranslation();
  const stored = counts?.stored;
  if (!counts || !stored) return null;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      style={{ marginTop: 12 }}
      title={t('fieldRename.storedTitle')}
      items={[
        { key: 'records', label: t('fieldRename.recordsMoved'), children: <span data-testid="rename-records">{stored.recordsMoved}</span> },
        { key: 'references', label: t('fieldRename.references'), children: <span data-testid="rename-references">{counts.references}</span> },
        { key: 'stale', label: t('fieldRename.staleCleared'), children: stored.staleCleared },
        { key: 'mappings', label: t('fieldRename.importMappings'), children: stored.importMappings },
      ]}
    />
  );
}

export function RenameFieldButton({ entity, field, disabled }: { entity: string; field: string; disabled: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [step, setStep] = useState<string>();
  const [counts, setCounts] = useState<FieldRenameCounts>();
  return (
    <>
      <Button size="small" onClick={() => setAsking(true)} disabled={disabled} aria-label={t('fieldRename.buttonFor', { field })}>
        {t('fieldRename.button')}
      </Button>
      <AskNewName
        open={asking}
        current={field}
        inputId={`field-new-name-${field}`}
        labels={{ title: t('fieldRename.askTitle', { entity, field }), newName: t('fieldRename.newName'), help: t('fieldRename.nameHelp'), invalid: t('fieldRename.invalidName'), preview: t('fieldRename.preview') }}
        onPreview={(to) => {
          setAsking(false);
          setCounts(undefined);
          setStep(to);
        }}
        onCancel={() => setAsking(false)}
      />
      <DryRunDialog<FieldRenameAnswer, FieldRenameAnswer>
        step={step === undefined ? undefined : { key: `rename-field:${entity}:${field}:${step}`, title: t('fieldRename.dialogTitle', { entity, from: field, to: step }), confirmLabel: t('fieldRename.confirm') }}
        dryRun={async () => {
          try {
            const answer = await renameField({ entity, field, to: step!, apply: false });
            setCounts(answer.preview);
            return answer;
          } catch (error) {
            return { entity, field, to: step!, valid: false, issues: refusalIssues(error) };
          }
        }}
        toModel={fieldRenameModel}
        apply={() => renameField({ entity, field, to: step!, apply: true })}
        onApplied={(answer) => {
          setStep(undefined);
          void message.success(t('fieldRename.applied', { to: answer.to, records: answer.applied?.stored?.recordsMoved ?? 0, revision: answer.revision }));
          void client.invalidateQueries({ queryKey: navigationKey });
          void client.invalidateQueries({ queryKey: ['designer'] });
        }}
        onClose={() => setStep(undefined)}
        extra={<StoredCounts counts={counts} />}
      />
    </>
  );
}
