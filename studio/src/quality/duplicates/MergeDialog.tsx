// Merging one cluster: the surviving record, then field by field whose value it keeps (one radio
// group per field, the differing ones highlighted), what follows the survivor (records pointing at
// the merged ones, their history) as the server's dry run of this very merge counts it — or the
// error the merge would meet, before anything is written —, the merge, and its result with Undo.

import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Grid, Modal, Radio, Switch, Tag, Typography, type RadioChangeEvent } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { mergeRecords, rehearseMerge, undoMerge, type MergeResult } from '../../api/duplicates.ts';
import { useEntities, type EntityDef, type FieldDef } from '../../api/meta.ts';
import type { RecordValues } from '../../api/records.ts';
import { ApiErrorAlert } from '../../admin/DryRunDialog.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { useSubmitOnce } from '../../app/use-submit-once.ts';
import { valueText } from '../../records/format-value.tsx';
import { useReferencedTitles } from '../../records/lookup-titles.ts';
import { defaultChoices, defaultSurvivor, differs, mergeableFields, mergePlaceName, mergeRequestOf } from './merge-model.ts';
import { ChangedSinceMerge } from './ChangedSinceMerge.tsx';

export function recordTitle(entity: EntityDef, record: RecordValues | undefined, id: string): string {
  const value = record && entity.titleField ? record[entity.titleField] : undefined;
  return value === undefined || value === null || value === '' ? id : String(value);
}

export function MergeDialog({ entity, ids, records, onClose, onChanged }: { entity: EntityDef; ids: string[]; records: ReadonlyMap<string, RecordValues>; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { language, label } = useLanguage();
  const entities = useEntities();
  // Below antd's md breakpoint (768 px) the records' values stack under each field instead of side by side.
  const narrow = Grid.useBreakpoint().md === false;
  const rows = useMemo(() => ids.flatMap((id) => (records.has(id) ? [records.get(id)!] : [])), [ids, records]);
  const [survivor, setSurvivor] = useState(() => defaultSurvivor(rows, ids));
  const [choices, setChoices] = useState(() => defaultChoices(entity, rows, survivor));
  const [showAll, setShowAll] = useState(false);
  const [result, setResult] = useState<MergeResult>();
  const referenced = useReferencedTitles(entity, rows);
  const fields = mergeableFields(entity).filter(([name]) => showAll || differs(rows, name));
  const merged = ids.filter((id) => id !== survivor);
  const request = mergeRequestOf(survivor, ids, choices, rows);
  const rehearsal = useQuery({
    queryKey: ['duplicates', 'mergeDryRun', entity.name, request],
    queryFn: () => rehearseMerge(entity.name, request),
    enabled: !result && rows.length >= 2,
    retry: false,
    gcTime: 0,
  });
  const merging = useMutation({
    mutationFn: () => mergeRecords(entity.name, request),
    onSuccess: (answer) => {
      setResult(answer);
      onChanged();
    },
    // Someone changed a record since it was shown: the records are read again, so what is picked
    // next is what they hold now.
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'STALE_VERSION') onChanged();
    },
  });
  const undoing = useMutation({
    mutationFn: () => undoMerge(result!.merge),
    onSuccess: () => {
      onChanged();
    },
  });
  const merge = useSubmitOnce(merging);
  const undo = useSubmitOnce(undoing);
  // The confirm button is gone once the merge is done, and Undo once it is undone: the focus goes to
  // what they did (it fell to the page's body, and a screen reader said nothing of the outcome).
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) outcome.current?.focus();
  }, [result, undoing.isSuccess]);
  // A merge (or its undo) makes the page read other records: its records are still named as they were shown.
  const shownTitles = useRef(new Map<string, string>());
  for (const r of rows) shownTitles.current.set(r.id, recordTitle(entity, r, r.id));
  const titleOf = (id: string) => (records.has(id) ? recordTitle(entity, records.get(id), id) : (shownTitles.current.get(id) ?? id));
  const placeOf = (path: string) => mergePlaceName(path, request, titleOf, (field) => label(entity.fields[field]?.label, field));
  const chooseSurvivor = (id: string) => {
    setSurvivor(id);
    setChoices(defaultChoices(entity, rows, id));
  };
  const valueOf = (name: string, field: FieldDef, r: RecordValues) => referenced(name, r[name]) ?? (valueText(field, r[name], language) || t('duplicates.empty'));
  // One radio group per field, whichever the layout; each radio named by field, value and record.
  const groupProps = (name: string, fieldLabel: string) => ({
    name: `merge-value-${name}`,
    value: choices[name] ?? survivor,
    onChange: (e: RadioChangeEvent) => setChoices((c) => ({ ...c, [name]: String(e.target.value) })),
    'aria-label': fieldLabel,
    'data-testid': `merge-field-${name}`,
  });
  const pickProps = (name: string, fieldLabel: string, text: string, id: string) => ({
    'aria-label': t('duplicates.keepValue', { field: fieldLabel, value: text, title: titleOf(id) }),
    'data-testid': `merge-pick-${name}-${id}`,
  });
  const columns = `minmax(110px, 160px) repeat(${rows.length}, minmax(150px, 1fr))`;

  return (
    <Modal
      open
      width={Math.min(1100, 260 + ids.length * 260)}
      title={t('duplicates.mergeTitle', { count: ids.length })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        result ? (
          <Button onClick={onClose}>{t('duplicates.close')}</Button>
        ) : (
          <>
            <Button onClick={onClose}>{t('duplicates.cancel')}</Button>
            <Button type="primary" danger loading={merging.isPending} disabled={rows.length < 2 || rehearsal.isError} onClick={() => merge()} data-testid="merge-confirm">
              {t('duplicates.mergeNow', { count: merged.length })}
            </Button>
          </>
        )
      }
    >
      {result ? (
        <div data-testid="merge-result" ref={outcome} tabIndex={-1} style={{ outline: 'none' }}>
          {undoing.isSuccess ? (
            <Alert
              type="info"
              showIcon
              role="status"
              title={t('duplicates.undone')}
              description={undoing.data.changedSince.length > 0 ? <ChangedSinceMerge changed={undoing.data.changedSince} /> : undefined}
              data-testid="merge-undone"
            />
          ) : (
            <Alert
              type="success"
              showIcon
              role="status"
              title={t('duplicates.merged', { title: titleOf(result.record.id), count: merged.length })}
              action={
                // Refused (the survivor changed since, or was deleted): pressing again says the same.
                !(undoing.error instanceof ApiError && undoing.error.status === 409) && (
                <Button onClick={() => undo()} loading={undoing.isPending} data-testid="merge-undo">
                  {t('duplicates.undo')}
                </Button>
                )
              }
            />
          )}
          {undoing.isError && <ApiErrorAlert error={undoing.error} nameOf={placeOf} />}
        </div>
      ) : (
        <>
          <fieldset style={{ border: 0, padding: 0, margin: '0 0 16px' }}>
            <legend style={{ fontWeight: 600, fontSize: 14, marginBottom: 8 }}>{t('duplicates.survivor')}</legend>
            <Radio.Group name="merge-survivor" value={survivor} onChange={(e) => chooseSurvivor(String(e.target.value))} data-testid="merge-survivor">
              {ids.map((id) => (
                <Radio key={id} value={id} data-testid={`merge-survivor-${id}`}>
                  {titleOf(id)}
                </Radio>
              ))}
            </Radio.Group>
          </fieldset>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
            <Typography.Text strong>{t('duplicates.values')}</Typography.Text>
            <label style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
              <Switch size="small" checked={showAll} onChange={setShowAll} />
              {t('duplicates.showAllFields')}
            </label>
          </div>
          {narrow ? (
            // A phone: under each field, one row per record with its whole value (wrapping), so a
            // value is never picked unseen behind a column cut off at the dialog's edge.
            <div role="region" aria-label={t('duplicates.values')} style={{ margin: '8px 0 16px' }} data-layout="stacked">
              {fields.length === 0 && <div style={{ padding: 8 }}>{t('duplicates.noDifferences')}</div>}
              {fields.map(([name, field]) => {
                const fieldLabel = label(field.label, name);
                const differing = differs(rows, name);
                return (
                  <Radio.Group
                    key={name}
                    {...groupProps(name, fieldLabel)}
                    style={{ display: 'block', padding: '6px 8px', background: differing ? '#fffbe6' : undefined, borderTop: '1px solid #f0f0f0' }}
                  >
                    <div style={{ fontSize: 14, fontWeight: 600, marginBottom: 2 }}>
                      <span>{fieldLabel}</span> {differing && <Tag style={{ fontWeight: 'normal' }}>{t('duplicates.differs')}</Tag>}
                      {differing && field.readOnly && <Tag style={{ fontWeight: 'normal' }} data-testid={`merge-locked-${name}`}>{t('duplicates.locked')}</Tag>}
                    </div>
                    {rows.map((r) => {
                      const text = valueOf(name, field, r);
                      return (
                        <div key={r.id} style={{ padding: '4px 0' }}>
                          <Radio
                            value={r.id}
                            disabled={!differing || (field.readOnly === true && r.id !== survivor)}
                            {...pickProps(name, fieldLabel, text, r.id)}
                            style={{ alignItems: 'flex-start', maxWidth: '100%' }}
                            styles={{ icon: { alignSelf: 'flex-start', marginTop: 3 } }}
                          >
                            <span data-testid={`merge-value-${name}-${r.id}`} style={{ display: 'block', overflowWrap: 'anywhere' }}>
                              {text}
                            </span>
                            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, overflowWrap: 'anywhere' }}>
                              {titleOf(r.id)} {r.id === survivor && <Tag color="blue">{t('duplicates.survivorTag')}</Tag>}
                            </Typography.Text>
                          </Radio>
                        </div>
                      );
                    })}
                  </Radio.Group>
                );
              })}
            </div>
          ) : (
            <div role="region" aria-label={t('duplicates.values')} tabIndex={0} style={{ overflowX: 'auto', margin: '8px 0 16px' }}>
              <div style={{ display: 'grid', gridTemplateColumns: columns, gap: 0, minWidth: 'min-content' }}>
                <div />
                {rows.map((r) => (
                  <div key={r.id} style={{ padding: '4px 8px', fontWeight: 600 }}>
                    {titleOf(r.id)} {r.id === survivor && <Tag color="blue">{t('duplicates.survivorTag')}</Tag>}
                  </div>
                ))}
                {fields.length === 0 && <div style={{ gridColumn: '1 / -1', padding: 8 }}>{t('duplicates.noDifferences')}</div>}
                {fields.map(([name, field]) => {
                  const fieldLabel = label(field.label, name);
                  const differing = differs(rows, name);
                  const background = differing ? '#fffbe6' : undefined;
                  return (
                    <Radio.Group
                      key={name}
                      {...groupProps(name, fieldLabel)}
                      style={{ display: 'contents' }}
                    >
                      <div style={{ padding: '6px 8px', background, borderTop: '1px solid #f0f0f0', fontSize: 14 }}>
                        <span>{fieldLabel}</span> {differing && <Tag>{t('duplicates.differs')}</Tag>}
                        {differing && field.readOnly && <Tag data-testid={`merge-locked-${name}`}>{t('duplicates.locked')}</Tag>}
                      </div>
                      {rows.map((r) => {
                        const text = valueOf(name, field, r);
                        return (
                          <div key={r.id} style={{ padding: '6px 8px', background, borderTop: '1px solid #f0f0f0', wordBreak: 'break-word' }}>
                            <Radio value={r.id} disabled={!differing || (field.readOnly === true && r.id !== survivor)} {...pickProps(name, fieldLabel, text, r.id)}>
                              <span data-testid={`merge-value-${name}-${r.id}`}>{text}</span>
                            </Radio>
                          </div>
                        );
                      })}
                    </Radio.Group>
                  );
                })}
              </div>
            </div>
          )}
          <Typography.Text strong>{t('duplicates.whatMoves')}</Typography.Text>
          {/* A refused merge re-reads the records, and the rehearsal meanwhile meets the same refusal:
              the merge's own alert says it once. */}
          {rehearsal.isError && !sameRefusal(merging.error, rehearsal.error) ? (
            <ApiErrorAlert error={rehearsal.error} nameOf={placeOf} />
          ) : (
            <ul data-testid="merge-repointed" aria-busy={rehearsal.isFetching} style={{ marginTop: 4 }}>
              {!rehearsal.data && <li>{t('duplicates.rehearsing')}</li>}
              {rehearsal.data?.repointed.map((r) => {
                const source = entities.data?.get(r.entity);
                const names = { entity: label(source?.pluralLabel ?? source?.label, r.entity), field: label(source?.fields[r.field]?.label, r.field) };
                return <li key={`${r.entity}.${r.field}`} data-testid={`merge-repointed-${r.entity}-${r.field}`}>{t('duplicates.references', { ...names, count: r.count })}</li>;
              })}
              {rehearsal.data && rehearsal.data.unlisted > 0 && <li>{t('duplicates.referencesUnlisted', { count: rehearsal.data.unlisted })}</li>}
              {rehearsal.data && <li data-testid="merge-history-moves">{t('duplicates.historyMoves', { count: rehearsal.data.moved.audit + rehearsal.data.moved.stateHistory })}</li>}
              <li>{t('duplicates.othersDeleted', { count: merged.length })}</li>
            </ul>
          )}
          {merging.isError && <ApiErrorAlert error={merging.error} nameOf={placeOf} />}
          {merging.error instanceof ApiError && merging.error.code === 'STALE_VERSION' && (
            <Typography.Paragraph style={{ marginTop: 8 }} data-testid="merge-reread">
              {t('duplicates.reread')}
            </Typography.Paragraph>
          )}
        </>
      )}
    </Modal>
  );
}

function sameRefusal(shown: unknown, other: unknown): boolean {
  return shown instanceof ApiError && other instanceof ApiError && shown.code === other.code;
}
