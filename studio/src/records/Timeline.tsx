// The record's history, newest first: who did what and when — creates, field changes (old → new),
// transitions with their comments, approvals.

import { useQuery } from '@tanstack/react-query';
import { Card, Timeline as AntTimeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { EntityDef } from '../api/meta.ts';
import { recordHistory, type HistoryEntry } from '../api/records.ts';
import { useLanguage } from '../app/use-language.ts';
import { valueText } from './format-value.tsx';

function changesOf(entry: HistoryEntry): [string, unknown, unknown][] {
  const c = (entry['changes'] ?? entry['diff']) as unknown;
  if (Array.isArray(c)) return c.map((x: { field?: string; path?: string; from?: unknown; to?: unknown; before?: unknown; after?: unknown }) => [String(x.field ?? x.path ?? ''), x.from ?? x.before, x.to ?? x.after]);
  if (c && typeof c === 'object') return Object.entries(c as Record<string, { from?: unknown; to?: unknown; before?: unknown; after?: unknown }>).map(([k, v]) => [k, v?.from ?? v?.before, v?.to ?? v?.after]);
  return [];
}

export function Timeline({ entity, id }: { entity: EntityDef; id: string }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const history = useQuery({ queryKey: ['history', entity.name, id], queryFn: () => recordHistory(entity.name, id) });
  const items = [...(history.data?.items ?? [])].reverse();
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('record.timeline')}</h2>}>
      <AntTimeline
        items={items.map((e) => {
          const changes = changesOf(e).filter(([f]) => entity.fields[f.replace(/^\//, '')]);
          const action = String(e.action ?? e['type'] ?? '');
          return {
            key: e.id,
            content: (
              <div data-testid="timeline-entry" data-action={action}>
                <Typography.Text strong>{t(`timeline.${action}`, { defaultValue: action })}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {t('timeline.byAt', { by: String(e.by ?? ''), at: dayjs(String(e.at)).format('YYYY-MM-DD HH:mm') })}
                </Typography.Text>
                {typeof e['details'] === 'object' && e['details'] !== null && 'to' in (e['details'] as object) && (
                  <div style={{ fontSize: 13 }}>
                    {String((e['details'] as { from?: string }).from ?? '')} → {String((e['details'] as { to?: string }).to ?? '')}
                  </div>
                )}
                {typeof e['comment'] === 'string' && <div>“{e['comment']}”</div>}
                {changes.slice(0, 8).map(([f, from, to]) => {
                  const name = f.replace(/^\//, '');
                  const def = entity.fields[name];
                  return (
                    <div key={f} style={{ fontSize: 13 }}>
                      {label(def?.label, name)}: {valueText(def, from, language) || '—'} → {valueText(def, to, language) || '—'}
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
