// An ordered list of chosen things (a view's columns, a board's card fields, a dashboard's widgets)
// reordered by drag and drop (dnd-kit: mouse, touch, and Space + arrow keys on the handle) or by
// the up/down buttons, each with a remove button and room for its own settings.

import { closestCenter, DndContext, type DragEndEvent, KeyboardSensor, PointerSensor, useSensor, useSensors } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { DeleteOutlined, HolderOutlined } from '../../app/icons.tsx';
import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDndAccessibility } from '../../app/dnd-accessibility.ts';

export interface SortableEntry {
  id: string;
  label: string;
  /** Shown after the label (e.g. the path). */
  hint?: string;
  /** Settings shown under the label. */
  extra?: React.ReactNode;
}

export function SortableList({ testId, label, entries, onOrder, onRemove, emptyText }: { testId: string; label: string; entries: SortableEntry[]; onOrder: (ids: string[]) => void; onRemove: (id: string) => void; emptyText: string }) {
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const ids = entries.map((e) => e.id);
  const accessibility = useDndAccessibility((id) => entries.find((e) => e.id === id)?.label ?? String(id));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onOrder(arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  };
  return (
    <DndContext accessibility={accessibility} sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ul aria-label={label} data-testid={testId} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {entries.map((e) => (
            <Row key={e.id} entry={e} onRemove={() => onRemove(e.id)} />
          ))}
          {entries.length === 0 && <li style={{ color: '#595959', padding: 8, border: '1px dashed #bfbfbf', borderRadius: 6 }}>{emptyText}</li>}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

function Row({ entry, onRemove }: { entry: SortableEntry; onRemove: () => void }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: entry.id });
  return (
    <li ref={setNodeRef} data-testid={`entry-${entry.id}`} style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.5 : 1, padding: '4px 6px', marginBottom: 4, background: '#fff', border: '1px solid #d9d9d9', borderRadius: 6 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <Button ref={setActivatorNodeRef} size="small" type="text" icon={<HolderOutlined />} aria-label={t('viewDesigner.drag', { item: entry.label })} {...attributes} {...listeners} style={{ cursor: 'grab', touchAction: 'none' }} />
        <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {entry.label} {entry.hint && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{entry.hint}</Typography.Text>}
        </span>
        <Button size="small" icon={<DeleteOutlined />} aria-label={t('viewDesigner.remove', { item: entry.label })} onClick={onRemove} />
      </div>
      {entry.extra}
    </li>
  );
}
