// What to do with the selected rows: set one field to one value on all of them, or delete them.
// Each write carries the row's version; what the server refuses is counted and its reason shown.

import { App, Button, Modal, Space, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { useEntityAccess, type EntityDef } from '../api/meta.ts';
import { deleteRecord, updateRecord, type RecordValues } from '../api/records.ts';
import { useLanguage } from '../app/use-language.ts';
import { FieldInput } from '../records/FieldInput.tsx';
import { isInlineEditable } from './EditableCell.tsx';

interface Refusal<T> {
  item: T;
  reason: string;
}

async function eachLimited<T>(items: T[], run: (item: T) => Promise<void>, limit = 4): Promise<Refusal<T>[]> {
  const errors: Refusal<T>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await run(item);
      } catch (e) {
        errors.push({ item, reason: e instanceof ApiError ? (e.details[0]?.message ?? e.message) : String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return errors;
}

/**
 * `onDone` gets the ids of the rows the server refused: they stay selected, so the user sees which
 * (a message naming only a reason left them to guess among the rows they had picked).
 */
export function BulkActions({ entity, rows, onDone }: { entity: EntityDef; rows: RecordValues[]; onDone: (refused: string[]) => void }) {
  const { t } = useTranslation();
  const can = useEntityAccess(entity.name);
  const { label } = useLanguage();
  const { message, modal } = App.useApp();
  const [open, setOpen] = useState(false);
  const [field, setField] = useState<string>();
  const [value, setValue] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const editable = Object.entries(entity.fields).filter(([, f]) => isInlineEditable(f) || f.type === 'lookup' || f.type === 'boolean');

  const titleOf = (row: RecordValues) => {
    const title = entity.titleField ? row[entity.titleField] : undefined;
    return typeof title === 'string' || typeof title === 'number' ? String(title) : row.id;
  };
  const report = (done: number, errors: Refusal<RecordValues>[]) => {
    if (errors.length === 0) void message.success(t('list.bulkDone', { count: done }));
    else void message.error(t('list.bulkFailed', { count: errors.length, record: titleOf(errors[0]!.item), reason: errors[0]!.reason }));
  };
  const applyUpdate = async () => {
    if (!field) return;
    setBusy(true);
    const errors = await eachLimited(rows, async (r) => void (await updateRecord(entity.name, r.id, { [field]: value ?? null }, r.version)));
    setBusy(false);
    setOpen(false);
    report(rows.length - errors.length, errors);
    onDone(errors.map((e) => e.item.id));
  };
  const applyDelete = () =>
    modal.confirm({
      title: t('list.deleteConfirm', { count: rows.length }),
      okText: t('list.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        const errors = await eachLimited(rows, (r) => deleteRecord(entity.name, r.id, r.version));
        report(rows.length - errors.length, errors);
        onDone(errors.map((e) => e.item.id));
      },
    });

  return (
    <Space style={{ marginBottom: 12, padding: '8px 12px', background: '#eef3fc', borderRadius: 6, width: '100%' }} wrap>
      <Typography.Text>{t('list.selected', { count: rows.length })}</Typography.Text>
      {can('update') && <Button onClick={() => setOpen(true)}>{t('list.bulkUpdate')}</Button>}
      {can('delete') && (
        <Button danger onClick={applyDelete}>
          {t('list.delete')}
        </Button>
      )}
      <Modal open={open} title={t('list.bulkUpdateTitle', { count: rows.length })} onCancel={() => setOpen(false)} onOk={() => void applyUpdate()} okText={t('list.apply')} cancelText={t('common.cancel')} confirmLoading={busy} okButtonProps={{ disabled: !field }}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Select
            aria-label={t('list.bulkField')}
            placeholder={t('list.bulkField')}
            style={{ width: '100%' }}
            value={field}
            onChange={(f) => {
              setField(f);
              setValue(undefined);
            }}
            options={editable.map(([name, f]) => ({ value: name, label: label(f.label, name) }))}
          />
          {field && <FieldInput field={entity.fields[field]!} value={value} onChange={setValue} ariaLabel={t('list.bulkValue')} />}
        </Space>
      </Modal>
    </Space>
  );
}
