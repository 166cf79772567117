// The record's history, newest first: who did what and when — creates, field changes (old → new),
// transitions with their comments, approvals.

import { useQuery } from '@tanstack/react-query';
import { Card, Timeline as AntTimeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useEntities, type EntityDef } from '../api/meta.ts';
import { recordHistory, type HistoryEntry } from '../api/records.ts';
import { useLanguage } from '../app/use-language.ts';
import { formatDateTime } from '../i18n/format.ts';
import { valueText } from './format-value.tsx';
import { targetsOf, useLookupTitles, useReferencedTitleMaps } from './lookup-titles.ts';
import { usePeopleNames } from './people.ts';
import { markdownText } from './rich-text/rich-text-fields.ts';

function changesOf(entry: HistoryEntry): [string, unknown, unknown][] {
  const c = (entry['changes'] ?? entry['diff']) as unknown;
  if (Array.isArray(c)) return c.map((x: { field?: string; path?: string; from?: unknown; to?: unknown; before?: unknown; after?: unknown }) => [String(x.field ?? x.path ?? ''), x.from ?? x.before, x.to ?? x.after]);
  if (c && typeof c === 'object') return Object.entries(c as Record<string, { from?: unknown; to?: unknown; before?: unknown; after?: unknown }>).map(([k, v]) => [k, v?.from ?? v?.before, v?.to ?? v?.after]);
  return [];
}

/** The file and line an imported write came from (an imported create's entry names them instead of copying its values). */
function importedFrom(entry: HistoryEntry): { file: string; line: number } | undefined {
  const imported = (entry['details'] as { imported?: { file?: unknown; line?: unknown } } | undefined)?.imported;
  return typeof imported?.file === 'string' && typeof imported.line === 'number' ? { file: imported.file, line: imported.line } : undefined;
}

/** A polymorphic reference as "<kind>: <title>" (the title fetched, as lookups are). */
function ReferenceText({ value }: { value: unknown }) {
  const { label } = useLanguage();
  const entities = useEntities();
  const ref = typeof value === 'object' && value !== null ? (value as { entity?: unknown; id?: unknown }) : undefined;
  const entity = typeof ref?.entity === 'string' ? ref.entity : undefined;
  const id = typeof ref?.id === 'string' ? ref.id : undefined;
  const titles = useLookupTitles(entity, id ? [id] : []);
  if (!entity || !id) return <>—</>;
  return <>{`${label(entities.data?.get(entity)?.label, entity)}: ${titles.data?.get(id) ?? '…'}`}</>;
}

/** `richText`: fields some form lays out as rich text — their values before and after read as their words, not their Markdown marks. */
export function Timeline({ entity, id, richText }: { entity: EntityDef; id: string; richText?: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const history = useQuery({ queryKey: ['history', entity.name, id], queryFn: () => recordHistory(entity.name, id) });
  const items = [...(history.data?.items ?? [])].reverse();
  // Who did it, and who a user field named before and after: by name, not id.
  const userFields = new Set(['owner', ...Object.entries(entity.fields).filter(([, f]) => f.type === 'user').map(([name]) => name)]);
  const people = usePeopleNames(items.flatMap((e) => [e.by === undefined ? undefined : String(e.by), ...changesOf(e).filter(([f]) => userFields.has(f.replace(/^\//, ''))).flatMap(([, from, to]) => [from, to].map((v) => (typeof v === 'string' ? v : undefined)))]));
  const personOr = (value: unknown): unknown => (typeof value === 'string' ? (people.data?.get(value) ?? value) : value);
  // A lookup's values before and after: the linked records by their titles, not their ids.
  const lookupValues = items.flatMap((e) => changesOf(e).flatMap(([f, from, to]) => [{ [f.replace(/^\//, '')]: from }, { [f.replace(/^\//, '')]: to }]));
  const titles = useReferencedTitleMaps(entity, lookupValues);
  const lookupTitle = (name: string, v: unknown): string | undefined => {
    const [target, ...others] = targetsOf(entity.fields[name]);
    if (!target || others.length > 0 || typeof v !== 'string' || v === '') return undefined;
    return titles.data?.get(target)?.get(v) ?? (titles.data || titles.isError ? v : '…');
  };
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('record.timeline')}</h2>}>
      <AntTimeline
        items={items.map((e) => {
          const changes = changesOf(e).filter(([f]) => entity.fields[f.replace(/^\//, '')] || f.replace(/^\//, '') === 'owner');
          const action = String(e.action ?? e['type'] ?? '');
          // A move names states by their stored values: shown by the labels of the field they were written to.
          // An approval asked for or decided changes nothing yet: its states are those of the picklist that holds both.
          const moved = typeof e['details'] === 'object' && e['details'] !== null ? (e['details'] as { from?: unknown; to?: unknown }) : {};
          const stateField =
            changes.map(([f]) => entity.fields[f.replace(/^\//, '')]).find((d) => d?.type === 'picklist') ??
            Object.values(entity.fields).find((d) => d.type === 'picklist' && d.options && [moved.from, moved.to].every((v) => typeof v === 'string' && v in d.options!));
          const stateText = (v: unknown) => (v === undefined || v === null ? '' : stateField ? valueText(stateField, v, language) || String(v) : String(v));
          return {
            key: e.id,
            content: (
              <div data-testid="timeline-entry" data-action={action}>
                <Typography.Text strong>{t(`timeline.${action.replace(/\./g, '_')}`, { defaultValue: action })}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {t('timeline.byAt', { by: String(personOr(e.by) ?? ''), at: formatDateTime(String(e.at), language) })}
                </Typography.Text>
                {typeof e['details'] === 'object' && e['details'] !== null && 'to' in (e['details'] as object) && (
                  <div style={{ fontSize: 13 }}>
                    {stateText((e['details'] as { from?: string }).from)} → {stateText((e['details'] as { to?: string }).to)}
                  </div>
                )}
                {importedFrom(e) && <div style={{ fontSize: 13 }} data-testid="timeline-imported-from">{t('timeline.importedFrom', importedFrom(e))}</div>}
                {typeof e['comment'] === 'string' && <div>“{e['comment']}”</div>}
                {changes.slice(0, 8).map(([f, from, to]) => {
                  const name = f.replace(/^\//, '');
                  const def = entity.fields[name];
                  const shown = (v: unknown) => (userFields.has(name) ? String(personOr(v) ?? '') : richText?.has(name) && typeof v === 'string' ? markdownText(v) : (lookupTitle(name, v) ?? valueText(def, v, language))) || '—';
                  const value = (v: unknown) => (def?.type === 'polymorphicLookup' ? <ReferenceText value={v} /> : shown(v));
                  return (
                    <div key={f} style={{ fontSize: 13 }}>
                      {def ? label(def.label, name) : t('owner.label')}: {value(from)} → {value(to)}
                    </div>
                  );
                })}
              </div>
            ),
          };
        })}
      />
    </Card>
  );
}
