// A board for views of kind kanban: a column per value of the grouping field (a workflow's states
// in their order, or a picklist's options), cards with the view's fields. Dragging a card to
// another column takes the workflow transition between the two states; a move the server refuses
// snaps back and says why; one that asks a question (`confirm`) asks it first. Cards move by keyboard
// too (dnd-kit's keyboard sensor).

import { DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { columnKeyboardCoordinates } from './column-keys.ts';
import { useMetaKind, useRevision } from '../api/meta.ts';
import { listRecords, type RecordValues } from '../api/records.ts';
import { useDndAccessibility } from '../app/dnd-accessibility.ts';
import { useLanguage } from '../app/use-language.ts';
import { CommentPrompt } from '../records/CommentPrompt.tsx';
import { fetchTransitions, reasonText, runTransition, type TransitionChoice } from '../records/transitions.ts';
import type { ResolvedView } from '../lists/resolve-view.ts';
import { KanbanColumn } from './KanbanColumn.tsx';

interface Pending {
  record: RecordValues;
  transition: TransitionChoice;
}

export default function KanbanBoard({ resolved }: { resolved: ResolvedView }) {
  const { entity, view } = resolved;
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const revision = useRevision();
  const workflows = useMetaKind('workflows');
  const groupBy = view.kanban?.groupBy ?? 'status';
  const field = entity.fields[groupBy];
  const workflow = [...(workflows.data?.values() ?? [])].find((w) => w.entity === entity.name && w.field === groupBy);
  const [moved, setMoved] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string>();
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);

  const columns = useMemo(() => {
    if (workflow?.states) {
      return Object.entries(workflow.states)
        .sort(([, a], [, b]) => Number(a['order'] ?? 0) - Number(b['order'] ?? 0))
        .filter(([, s]) => !(view.kanban?.hideFinal && s.final))
        .map(([name, s]) => ({ value: name, label: label(s.label ?? field?.options?.[name]?.label, name), color: s['color'] as string | undefined }));
    }
    return Object.entries(field?.options ?? {}).map(([name, o]) => ({ value: name, label: label(o.label, name), color: o.color }));
  }, [workflow, field, view.kanban?.hideFinal, label]);

  const cardFields = view.kanban?.cardFields ?? [];
  const fields = ['id', 'version', groupBy, ...(entity.titleField ? [entity.titleField] : []), ...cardFields.map((p) => p.split('.')[0]!)];
  const pageSize = view.pageSize ?? 30;
  const queries = useQueries({
    queries: columns.map((c) => ({
      queryKey: ['records', revision, entity.name, 'board', view.name, c.value],
      // A saved view runs on the server by name (its variables, ownedBy and segment), as the list does.
      queryFn: () => listRecords(entity.name, {
        filter: view.filter && !resolved.stored ? { $and: [view.filter, { [groupBy]: c.value }] } : { [groupBy]: c.value },
        ...(resolved.stored ? { view: view.name } : {}),
        sort: view.sort, limit: pageSize, fields: [...new Set(fields)], total: true,
      }),
    })),
  });
  const byColumn = new Map<string, RecordValues[]>(columns.map((c) => [c.value, []]));
  const totals = new Map<string, number>();
  queries.forEach((q, i) => {
    totals.set(columns[i]!.value, q.data?.total ?? 0);
    for (const r of q.data?.items ?? []) {
      const at = moved[r.id] ?? String(r[groupBy]);
      byColumn.get(at)?.push(r);
    }
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['records', revision, entity.name] });
  const snapBack = (id: string, reason: string) => {
    setMoved((m) => {
      const { [id]: _, ...rest } = m;
      return rest;
    });
    setRefusal(reason);
    void message.error(reason);
  };
  const take = async (record: RecordValues, transition: TransitionChoice, comment?: string) => {
    setBusy(true);
    try {
      const result = await runTransition({ entity: entity.name, record, transition, ...(comment ? { comment } : {}) });
      void message.success(result.outcome === 'moved' ? t('kanban.moved', { to: transition.label }) : t('record.approvalRequested'));
      setRefusal(undefined);
      await refresh();
      setMoved((m) => {
        const { [record.id]: _, ...rest } = m;
        return rest;
      });
    } catch (e) {
      snapBack(record.id, e instanceof ApiError ? (e.details[0]?.message ?? e.message) : String(e));
    } finally {
      setBusy(false);
    }
  };

  const onDragEnd = async (event: DragEndEvent) => {
    const record = event.active.data.current?.['record'] as RecordValues | undefined;
    const to = event.over?.id ? String(event.over.id) : undefined;
    if (!record || !to) return;
    const from = moved[record.id] ?? String(record[groupBy]);
    if (from === to) return;
    setMoved((m) => ({ ...m, [record.id]: to }));
    if (!workflow) {
      snapBack(record.id, t('kanban.noWorkflow'));
      return;
    }
    try {
      const list = await fetchTransitions(entity.name, record.id);
      const candidates = list.transitions.filter((tr) => tr.to === to && tr.workflow === workflow.name);
      const allowed = candidates.find((tr) => tr.allowed);
      if (!allowed) {
        const reason = candidates.flatMap((c) => c.reasons.map((r) => reasonText(r, entity, language, t)))[0] ?? t('kanban.noTransition', { from: columns.find((c) => c.value === from)?.label ?? from, to: columns.find((c) => c.value === to)?.label ?? to });
        snapBack(record.id, reason);
        return;
      }
      const go = () => (allowed.comment === 'required' ? setPending({ record, transition: allowed }) : take(record, allowed));
      // The transition's own question first (a won deal opens a quote; an order on credit is checked):
      // answered no, the card goes back.
      if (!allowed.confirm) return await go();
      void modal.confirm({ title: allowed.label, content: allowed.confirm, okText: t('record.takeTransition'), cancelText: t('record.leaveTransition'), onOk: () => void go(), onCancel: () => snapBack(record.id, t('kanban.cancelled')) });
    } catch (e) {
      snapBack(record.id, e instanceof Error ? e.message : String(e));
    }
  };

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }), useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }));
  // A card by its title and a column by its label, for the screen reader's drag announcements.
  const accessibility = useDndAccessibility((id) => {
    const column = columns.find((c) => c.value === id);
    if (column) return column.label;
    const record = [...byColumn.values()].flat().find((r) => r.id === id);
    return String((record && entity.titleField && record[entity.titleField]) || id);
  });
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {label(view.label, view.name)}
      </Typography.Title>
      {refusal && <Alert type="warning" showIcon title={refusal} closable={{ onClose: () => setRefusal(undefined) }} style={{ marginBottom: 12 }} role="alert" data-testid="kanban-refusal" />}
      <DndContext accessibility={accessibility} sensors={sensors} onDragEnd={(e) => void onDragEnd(e)}>
        <div style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 12, opacity: busy ? 0.7 : 1 }}>
          {columns.map((c) => (
            <KanbanColumn key={c.value} column={c} total={totals.get(c.value) ?? 0} records={byColumn.get(c.value) ?? []} entity={entity} cardFields={cardFields} />
          ))}
        </div>
      </DndContext>
      <CommentPrompt
        open={pending !== undefined}
        title={pending?.transition.label ?? ''}
        required
        onCancel={() => {
          if (pending) snapBack(pending.record.id, t('kanban.cancelled'));
          setPending(undefined);
        }}
        onOk={(comment) => {
          const p = pending!;
          setPending(undefined);
          void take(p.record, p.transition, comment);
        }}
      />
    </div>
  );
}
