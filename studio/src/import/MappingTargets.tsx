// The entities each row of the file goes into (one mapping's targets), in the order the rows are
// written to them: which one's columns the page below edits, another added (its columns suggested
// for it), one removed or moved. A lookup from one to another is found only from an earlier target
// of the same row: said here, at the lookup that is out of order or would find two.

import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { suggestMapping, useImportTargets } from '../api/imports.ts';
import { useEntities } from '../api/meta.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { Select } from '../app/localized-controls.tsx';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '../app/icons.tsx';
import { useLanguage } from '../app/use-language.ts';
import { ToneTag } from '../admin/ToneTag.tsx';
import { editedTargetIndex, type Draft } from './mapping-model.ts';
import { addTarget, moveTarget, removeTarget, repeatedTargets, switchTarget, targetLookupIssues, targetsOf } from './mapping-targets.ts';

export function MappingTargets({ draft, upload, onDraft }: { draft: Draft; upload: string; onDraft: (d: Draft) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const client = useQueryClient();
  const entities = useEntities();
  const importable = useImportTargets();
  const headingId = useId();
  const [adding, setAdding] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const all = entities.data ?? new Map();
  const targets = targetsOf(draft);
  const edited = editedTargetIndex(draft);
  // Another target taken up: the focus goes to it (the button pressed is gone), not to the page's body.
  const current = useRef<HTMLElement>(null);
  const shown = useRef(edited);
  useEffect(() => {
    if (shown.current !== edited) current.current?.focus();
    shown.current = edited;
  }, [edited]);
  const name = (entity: string) => label(all.get(entity)?.label, entity);
  const fieldName = (entity: string, field: string) => label(all.get(entity)?.fields[field]?.label, field);

  const add = async () => {
    const def = adding ? all.get(adding) : undefined;
    if (!def) return;
    setBusy(true);
    setError(undefined);
    try {
      // The same query the wizard keeps for the entity it starts with: its columns suggested for this one.
      const suggestion = await client.fetchQuery({ queryKey: ['import', 'suggest', upload, def.name, draft.sheet ?? null, draft.headerRow ?? null], queryFn: () => suggestMapping(upload, def.name, { sheet: draft.sheet, headerRow: draft.headerRow }), staleTime: Infinity });
      onDraft(addTarget(draft, def, suggestion, all));
      setAdding(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const issues = targetLookupIssues(targets, all).map((issue) => {
    const entity = name(targets[issue.target]!.entity);
    const other = name(targets[issue.other]!.entity);
    const values = { entity, other, field: fieldName(targets[issue.target]!.entity, issue.field), by: fieldName(targets[issue.other]!.entity, issue.by) };
    return t(issue.kind === 'later' ? 'importWizard.targetLookupLater' : 'importWizard.targetLookupUnkeyed', values);
  });

  const repeated = repeatedTargets(targets);
  const twice = new Set(repeated.map((r) => r.entity));

  return (
    <Card size="small" title={<Typography.Title level={2} id={headingId} style={{ fontSize: 16, margin: 0 }}>{t('importWizard.targetsTitle')}</Typography.Title>}>
      {/* One target: nothing to order or remove yet, only the way to a second. */}
      <Typography.Paragraph type="secondary">{targets.length === 1 ? t('importWizard.targetsHelpOne', { entity: name(targets[0]!.entity) }) : t('importWizard.targetsHelp')}</Typography.Paragraph>
      <ol aria-labelledby={headingId} style={{ paddingInlineStart: 20, margin: 0 }} data-testid="import-targets">
        {targets.map((target, index) => {
          // An entity listed twice is told apart by its place, so that each button's name is its own.
          const entity = twice.has(target.entity) ? t('importWizard.targetNumbered', { entity: name(target.entity), number: index + 1 }) : name(target.entity);
          return (
            <li key={`${index}-${target.entity}`} data-testid="import-target" data-current={index === edited ? 'true' : undefined} style={{ marginBottom: 8 }}>
              <Flex gap={8} align="center" wrap>
                {index === edited ? (
                  <>
                    <Typography.Text strong aria-current="true" tabIndex={-1} ref={current}>{entity}</Typography.Text>
                    <ToneTag tone="blue">{t('importWizard.targetEditing')}</ToneTag>
                  </>
                ) : (
                  <Button size="small" onClick={() => onDraft(switchTarget(draft, index, all))} aria-label={t('importWizard.editTargetFor', { entity })}>
                    {entity}
                  </Button>
                )}
                {targets.length > 1 && <Flex gap={4} style={{ marginInlineStart: 'auto' }}>
                  <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t('importWizard.moveTargetEarlier', { entity })} onClick={() => onDraft(moveTarget(draft, index, -1, all))} />
                  <Button size="small" icon={<ArrowDownOutlined />} disabled={index === targets.length - 1} aria-label={t('importWizard.moveTargetLater', { entity })} onClick={() => onDraft(moveTarget(draft, index, 1, all))} />
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('importWizard.removeTarget', { entity })} onClick={() => onDraft(removeTarget(draft, index, all))} />
                </Flex>}
              </Flex>
            </li>
          );
        })}
      </ol>
      {repeated.length > 0 && (
        <Flex vertical gap={8} style={{ marginTop: 8 }} data-testid="import-target-repeated">
          {repeated.map(({ entity, count }) => <Alert key={entity} type="warning" showIcon title={t('importWizard.targetRepeated', { entity: name(entity), count })} />)}
        </Flex>
      )}
      {issues.length > 0 && (
        <Flex vertical gap={8} style={{ marginTop: 8 }} data-testid="import-target-issues">
          {issues.map((text) => <Alert key={text} type="warning" showIcon title={text} />)}
        </Flex>
      )}
      <Flex gap={8} wrap align="end" style={{ marginTop: 12 }}>
        <Flex vertical gap={4} style={{ flex: '1 1 220px' }}>
          <label htmlFor={`${headingId}-add`}>{t('importWizard.addTarget')}</label>
          <Select
            id={`${headingId}-add`}
            showSearch
            optionFilterProp="label"
            placeholder={t('importWizard.entityPlaceholder')}
            value={adding}
            onChange={(value: string) => setAdding(value)}
            options={(importable.data ?? []).map((entity) => ({ value: entity, label: name(entity) }))}
            data-testid="import-add-target-entity"
          />
        </Flex>
        <Button onClick={() => void add()} disabled={!adding} loading={busy} data-testid="import-add-target">
          {t('importWizard.addTargetButton')}
        </Button>
      </Flex>
      {error !== undefined && <div style={{ marginTop: 12 }}><ApiErrorAlert error={error} /></div>}
    </Card>
  );
}
