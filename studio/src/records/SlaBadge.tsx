// A record's workflow state with its SLA, on the record page: "Status: In progress [due in 3 h]",
// or "[overdue by 2 h]" in red — colour and words both. The time left is the state's `slaHours`
// less the open stay's duration as the server measured it (its clock, not the browser's), so it
// reads the same for everyone and in tests follows the server's injectable clock.

import { useQuery } from '@tanstack/react-query';
import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EntityDef } from '../api/meta.ts';
import { useMetaKind } from '../api/meta.ts';
import type { RecordValues } from '../api/records.ts';
import { fetchStateHistory } from '../api/state-history.ts';
import { ToneTag } from '../admin/ToneTag.tsx';
import { useLanguage } from '../app/use-language.ts';

const hour = 3_600_000;

/** A span as people say it: minutes under an hour, hours under two days, then days (at least 1 of the unit). */
export function spanOf(ms: number): { unit: 'minutes' | 'hours' | 'days'; count: number } {
  if (ms < hour) return { unit: 'minutes', count: Math.max(1, Math.round(ms / 60_000)) };
  if (ms < 48 * hour) return { unit: 'hours', count: Math.round(ms / hour) };
  return { unit: 'days', count: Math.round(ms / (24 * hour)) };
}

export function SlaBadges({ entity, record }: { entity: EntityDef; record: RecordValues }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const workflows = useMetaKind('workflows');
  // Asked again with each version (a transition opens a new stay) and every minute while shown.
  const history = useQuery({ queryKey: ['stateHistory', entity.name, record.id, record.version], queryFn: () => fetchStateHistory(entity.name, record.id), refetchInterval: 60_000 });
  const badges = (history.data?.items ?? []).flatMap((item) => {
    const open = item.stays.find((s) => s.leftAt === undefined);
    if (!open || open.slaHours === undefined || record[item.field] !== open.state) return [];
    const left = open.slaHours * hour - open.durationMs;
    const span = spanOf(Math.abs(left));
    const time = t(`sla.${span.unit}`, { count: span.count });
    const tone = left < 0 ? 'red' : left < open.slaHours * hour * 0.25 ? 'orange' : 'blue';
    const workflow = workflows.data?.get(item.workflow);
    return [{ key: item.workflow, field: label(entity.fields[item.field]?.label, item.field), state: label(workflow?.states?.[open.state]?.label, open.state), text: t(left < 0 ? 'sla.overdue' : 'sla.due', { time }), tone, overdue: left < 0 } as const];
  });
  if (badges.length === 0) return null;
  return (
    <>
      {badges.map((b) => (
        <div key={b.key} data-testid="record-sla" data-workflow={b.key} data-overdue={b.overdue}>
          <Space size={4} wrap>
            <Typography.Text type="secondary">{t('sla.stateLabel', { field: b.field })}</Typography.Text>
            <Typography.Text>{b.state}</Typography.Text>
            <ToneTag tone={b.tone}>{b.text}</ToneTag>
          </Space>
        </div>
      ))}
    </>
  );
}
