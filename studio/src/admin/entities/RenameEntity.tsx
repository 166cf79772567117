// "Rename entity" in the entity designer: the new name asked for, then the engine's rename through
// the admin area's dry-run dialog — every document it rewrites (item by item, pointer by pointer)
// and the stored data it moves, counted — applied as one revision only on confirmation.

import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { renameEntity, type EntityRenameAnswer, type EntityRenameCounts } from '../../api/designer.ts';
import { navigationKey } from '../../api/meta.ts';
import { DryRunDialog } from '../DryRunDialog.tsx';
import { refusalIssues, type DryRunModel } from '../dry-run-model.ts';
import { AskNewName } from './AskNewName.tsx';

/** The rename's answer as the dialog shows every dry run: documents changed, issues refusing it. */
export function renameModel(answer: EntityRenameAnswer): DryRunModel {
  const counts = answer.preview ?? answer.applied;
  if (!counts) return { items: [], issues: answer.issues };
  const byItem = new Map<string, { kind: string; name: string; paths: string[] }>();
  for (const u of counts?.usages ?? []) {
    if (u.kind === 'entity' && u.name === answer.to) continue; // the entity's own lookups to itself: part of its new document
    const key = `${u.kind}/${u.name}`;
    byItem.set(key, { kind: u.kind, name: u.name, paths: [...(byItem.get(key)?.paths ?? []), u.path] });
  }
  return {
    items: [
      { kind: 'entity', name: answer.to, action: 'create', changes: [{ path: '/name', before: answer.from, after: answer.to }] },
      { kind: 'entity', name: answer.from, action: 'delete' },
      ...[...byItem.values()].map(({ kind, name, paths }) => ({ kind, name, action: 'update' as const, changes: paths.map((path) => ({ path, before: answer.from, after: answer.to })) })),
    ],
    issues: answer.issues,
  };
}

function StoredCounts({ counts }: { counts: EntityRenameCounts | undefined }) {
  const { t } = useTranslation();
  const stored = counts?.stored;
  if (!counts || !stored) return null;
  const entries = Object.entries(stored.systemEntries);
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      style={{ marginTop: 12 }}
      title={t('entityRename.storedTitle')}
      items={[
        { key: 'records', label: t('entityRename.recordsMoved'), children: <span data-testid="rename-records">{stored.recordsMoved}</span> },
        { key: 'references', label: t('entityRename.references'), children: counts.references },
        { key: 'system', label: t('entityRename.systemEntries'), children: entries.length === 0 ? 0 : entries.map(([c, n]) => `${t(`entityRename.collections.${c}`, { defaultValue: c })}: ${n}`).join(' · ') },
        { key: 'polymorphic', label: t('entityRename.polymorphicValues'), children: stored.polymorphicValues },
        { key: 'sequences', label: t('entityRename.sequences'), children: stored.sequences },
        { key: 'mappings', label: t('entityRename.importMappings'), children: stored.importMappings },
      ]}
    />
  );
}

export function RenameEntityButton({ entity, disabled }: { entity: string; disabled: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [step, setStep] = useState<string>();
  const [counts, setCounts] = useState<EntityRenameCounts>();
  return (
    <>
      <Button onClick={() => setAsking(true)} disabled={disabled}>
        {t('entityRename.button')}
      </Button>
      <AskNewName
        open={asking}
        current={entity}
        inputId="entity-new-name"
        labels={{ title: t('entityRename.askTitle', { entity }), newName: t('entityRename.newName'), help: t('entityRename.nameHelp'), invalid: t('entityRename.invalidName'), preview: t('entityRename.preview') }}
        onPreview={(to) => {
          setAsking(false);
          setCounts(undefined);
          setStep(to);
        }}
        onCancel={() => setAsking(false)}
      />
      <DryRunDialog<EntityRenameAnswer, EntityRenameAnswer>
        step={step === undefined ? undefined : { key: `rename-entity:${entity}:${step}`, title: t('entityRename.dialogTitle', { from: entity, to: step }), confirmLabel: t('entityRename.confirm') }}
        dryRun={async () => {
          try {
            const answer = await renameEntity({ from: entity, to: step!, apply: false });
            setCounts(answer.preview);
            return answer;
          } catch (error) {
            return { kind: 'entity' as const, from: entity, to: step!, valid: false, issues: refusalIssues(error) };
          }
        }}
        toModel={renameModel}
        apply={() => renameEntity({ from: entity, to: step!, apply: true })}
        onApplied={(answer) => {
          setStep(undefined);
          void message.success(t('entityRename.applied', { to: answer.to, records: answer.applied?.stored?.recordsMoved ?? 0, revision: answer.revision }));
          void client.invalidateQueries({ queryKey: navigationKey });
          void client.invalidateQueries({ queryKey: ['designer'] });
          void navigate(`/admin/entities/${answer.to}`);
        }}
        onClose={() => setStep(undefined)}
        extra={<StoredCounts counts={counts} />}
      />
    </>
  );
}
