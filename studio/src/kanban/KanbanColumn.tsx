// One column of the board (a drop target) and its cards (draggable by a handle inside the card,
// which keeps the card's link and the handle separately focusable).

import { HolderOutlined } from '../app/icons.tsx';
import { useDraggable, useDroppable } from '@dnd-kit/core';
import { Badge, Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { EntityDef } from '../api/meta.ts';
import type { RecordValues } from '../api/records.ts';
import { useLanguage } from '../app/use-language.ts';
import { ValueView } from '../records/format-value.tsx';
import { targetsOf, useLookupTitles, useRecordTitle } from '../records/lookup-titles.ts';
import { usePhoneWidth } from '../app/use-phone-width.ts';

interface Column {
  value: string;
  label: string;
  color?: string | undefined;
}

export function KanbanColumn({ column, total, records, entity, cardFields }: { column: Column; total: number; records: RecordValues[]; entity: EntityDef; cardFields: string[] }) {
  const { setNodeRef, isOver } = useDroppable({ id: column.value });
  const { t } = useTranslation();
  // On a phone a 150 px column broke each card's lines every word or two ("2026 / 年3月2日"): wider
  // columns there, one and a half in sight, the others reached by the board's own sideways scroll.
  const phone = usePhoneWidth();
  return (
    <section
      ref={setNodeRef}
      aria-label={column.label}
      data-column={column.value}
      style={{ flex: '1 1 0', minWidth: phone ? 240 : 150, maxWidth: 320, background: isOver ? '#e3ecfb' : '#f3f5f8', borderRadius: 8, padding: 8, minHeight: 200, borderTop: `3px solid ${column.color ?? '#8c8c8c'}` }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '4px 4px 8px' }}>
        <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>
          {column.label}
        </Typography.Title>
        <Badge count={total} showZero overflowCount={9999} color="#5c5c5c" title={t('kanban.count', { count: total })} />
      </div>
      {records.map((r) => (
        <KanbanCard key={r.id} record={r} entity={entity} cardFields={cardFields} />
      ))}
    </section>
  );
}

function CardField({ entity, record, path }: { entity: EntityDef; record: RecordValues; path: string }) {
  const { language, label } = useLanguage();
  const [name, via] = path.split('.', 2) as [string, string | undefined];
  const field = entity.fields[name];
  const value = record[name];
  const titles = useLookupTitles(field?.type === 'lookup' ? targetsOf(field)[0] : undefined, field?.type === 'lookup' && typeof value === 'string' ? [value] : [], via);
  if (!field || value === undefined || value === null) return null;
  return (
    <div style={{ fontSize: 13 }}>
      <span style={{ color: 'rgba(0,0,0,0.7)' }}>{label(field.label, name)}: </span>
      {field.type === 'lookup' ? (titles.data?.get(String(value)) ?? '…') : <ValueView field={field} value={value} language={language} />}
    </div>
  );
}

function KanbanCard({ record, entity, cardFields }: { record: RecordValues; entity: EntityDef; cardFields: string[] }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: record.id, data: { record } });
  const title = useRecordTitle(entity, record) ?? String(record.id);
  return (
    <div ref={setNodeRef} data-card={record.id} style={{ transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined, marginBottom: 8, zIndex: isDragging ? 5 : undefined, position: 'relative' }}>
      <Card size="small" styles={{ body: { padding: 10 } }}>
        <div style={{ display: 'flex', gap: 6, alignItems: 'flex-start' }}>
          <button
            type="button"
            {...listeners}
            {...attributes}
            aria-label={t('kanban.dragHandle', { title })}
            style={{ cursor: 'grab', border: 'none', background: 'transparent', padding: 2, color: '#444' }}
            data-drag-handle
          >
            <HolderOutlined />
          </button>
          <div style={{ minWidth: 0, flex: 1 }}>
            <Link to={`/e/${entity.name}/${record.id}`} style={{ fontWeight: 500 }}>
              {title}
            </Link>
            {cardFields.map((p) => (
              <CardField key={p} entity={entity} record={record} path={p} />
            ))}
          </div>
        </div>
      </Card>
    </div>
  );
}
