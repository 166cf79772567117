// A picklist's options: value, label in en/zh, colour, inactive, in order (the object's key order
// is the order users see). Move up/down with buttons: keyboard-usable and announced.

import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '../../app/icons.tsx';
import { Button, Checkbox, ColorPicker, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PicklistOption } from '../../api/meta.ts';
import { toLocalized } from '../impact/LocalizedInput.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

type Options = Record<string, PicklistOption & { inactive?: boolean }>;

export function OptionsEditor({ value, onChange }: { value: Options | undefined; onChange: (next: Options) => void }) {
  const { t } = useTranslation();
  const entries = Object.entries(value ?? {});
  const [newKey, setNewKey] = useState('');
  const write = (next: [string, Options[string]][]) => onChange(Object.fromEntries(next));
  const update = (key: string, patch: Partial<Options[string]>) =>
    write(entries.map(([k, o]) => {
      if (k !== key) return [k, o];
      const merged: Record<string, unknown> = { ...o, ...patch };
      for (const [pk, pv] of Object.entries(merged)) if (pv === undefined || pv === false) delete merged[pk];
      return [k, merged as Options[string]];
    }));
  const move = (index: number, by: number) => {
    const next = [...entries];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    write(next);
  };
  const candidate = newKey.trim();
  // Said beside the input, not by a button that silently does nothing.
  const problem = candidate !== '' && candidate in (value ?? {}) ? t('entityDesigner.optionTaken', { value: candidate }) : undefined;
  const add = () => {
    if (!candidate || problem) return;
    write([...entries, [candidate, { label: { en: candidate } }]]);
    setNewKey('');
  };
  return (
    <div>
      <ResponsiveTable
        size="small"
        pagination={false}
        rowKey={([k]) => k}
        dataSource={entries}
        scroll={{ x: 640 }}
        columns={[
          { title: t('entityDesigner.optionValue'), render: (_, [k]) => <code>{k}</code> },
          {
            title: t('entityDesigner.optionLabelEn'),
            render: (_, [k, o]) => <Input size="small" aria-label={t('entityDesigner.optionLabelFor', { value: k, language: t('entityDesigner.languageEn') })} value={toLocalized(o.label).en ?? ''} onChange={(e) => update(k, { label: { ...toLocalized(o.label), en: e.target.value } })} />,
          },
          {
            title: t('entityDesigner.optionLabelZh'),
            render: (_, [k, o]) => <Input size="small" aria-label={t('entityDesigner.optionLabelFor', { value: k, language: t('entityDesigner.languageZh') })} value={toLocalized(o.label).zh ?? ''} onChange={(e) => update(k, { label: { ...toLocalized(o.label), zh: e.target.value } })} />,
          },
          {
            title: t('entityDesigner.optionColor'),
            render: (_, [k, o]) => (
              <ColorPicker size="small" allowClear value={o.color} aria-label={t('entityDesigner.optionColorFor', { value: k })} onChange={(c) => update(k, { color: c.toHexString() })} onClear={() => update(k, { color: undefined })}>
                <Button size="small" aria-label={t('entityDesigner.optionColorFor', { value: k })}>
                  <span style={{ display: 'inline-block', width: 14, height: 14, borderRadius: 3, background: o.color ?? 'transparent', border: '1px solid #8c8c8c' }} />
                </Button>
              </ColorPicker>
            ),
          },
          { title: t('entityDesigner.optionInactive'), render: (_, [k, o]) => <Checkbox aria-label={t('entityDesigner.optionInactiveFor', { value: k })} checked={Boolean(o.inactive)} onChange={(e) => update(k, { inactive: e.target.checked })} /> },
          {
            key: 'actions', title: t('entityDesigner.actions'),
            render: (_, [k], index) => (
              <Space size={2}>
                <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t('entityDesigner.moveUp', { value: k })} onClick={() => move(index, -1)} />
                <Button size="small" icon={<ArrowDownOutlined />} disabled={index === entries.length - 1} aria-label={t('entityDesigner.moveDown', { value: k })} onClick={() => move(index, 1)} />
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('entityDesigner.removeOption', { value: k })} onClick={() => write(entries.filter(([x]) => x !== k))} />
              </Space>
            ),
          },
        ]}
      />
      <Space.Compact style={{ marginTop: 8 }}>
        <Input aria-label={t('entityDesigner.newOption')} placeholder={t('entityDesigner.newOption')} value={newKey} onChange={(e) => setNewKey(e.target.value)} onPressEnter={add}
          status={problem ? 'error' : undefined} aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'new-option-problem' : undefined} />
        <Button onClick={add} disabled={candidate === '' || problem !== undefined}>{t('entityDesigner.addOption')}</Button>
      </Space.Compact>
      {problem && <div id="new-option-problem" role="alert" style={{ color: '#b42318', marginTop: 4 }}>{problem}</div>}
    </div>
  );
}
