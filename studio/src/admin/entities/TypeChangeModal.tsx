// A field's type change through the engine's refactoring: choose the new type (and a picklist's
// options, which may be taken from the stored values), see the preview counts — values converting,
// failing and lost — with examples, choose what failing values do, then apply as one revision that
// converts the stored records.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Form, Modal, Radio, Space, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeFieldType, type TypeChangeAnswer } from '../../api/designer.ts';
import { navigationKey, type EntityDef, type FieldDef } from '../../api/meta.ts';
import { useLookupTitles } from '../../records/lookup-titles.ts';
import { RecordTitle } from '../../records/RecordTitle.tsx';
import { fieldTypes, keepOptions } from './field-options.ts';
import { OptionsEditor } from './OptionsEditor.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

const convertible = fieldTypes.filter((ft) => !['formula', 'rollup', 'autonumber', 'lookup', 'polymorphicLookup', 'multiLookup', 'user', 'address', 'consent', 'file'].includes(ft));

export function TypeChangeModal({ entity, field, onClose, onApplied }: { entity: EntityDef; field: string | undefined; onClose: () => void; onApplied: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const current = field ? entity.fields[field] : undefined;
  const [definition, setDefinition] = useState<FieldDef>({ type: 'text' });
  const [onFailure, setOnFailure] = useState<'clear' | 'refuse'>('clear');
  const [preview, setPreview] = useState<TypeChangeAnswer>();
  useEffect(() => {
    if (current) setDefinition({ ...current });
    setPreview(undefined);
  }, [current]);
  const run = useMutation({ mutationFn: (apply: boolean) => changeFieldType({ entity: entity.name, field: field!, definition, onFailure, apply }) });
  const check = async () => setPreview(await run.mutateAsync(false));
  const apply = async () => {
    const answer = await run.mutateAsync(true);
    void message.success(t('entityDesigner.converted', { count: answer.converted ?? 0, revision: answer.revision }));
    await client.invalidateQueries({ queryKey: navigationKey });
    await client.invalidateQueries({ queryKey: ['designer'] });
    onApplied();
  };
  const setType = (type: string) => {
    setDefinition((d) => keepOptions(d as Record<string, unknown>, type) as FieldDef);
    setPreview(undefined);
  };
  const addUnmatched = () => {
    const options = { ...(definition.options ?? {}) };
    for (const u of preview?.preview?.unmatched ?? []) if (u.value.trim()) options[u.value.trim()] = { label: { en: u.value.trim() } };
    setDefinition({ ...definition, options });
    setPreview(undefined);
  };
  const p = preview?.preview;
  const titles = useLookupTitles(entity.name, (p?.examples ?? []).map((e) => e.id));
  const stale = !preview;
  return (
    <Modal
      open={field !== undefined}
      onCancel={onClose}
      width={760}
      title={t('entityDesigner.changeTypeOf', { field })}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('impact.cancel')}</Button>
          <Button onClick={() => void check()} loading={run.isPending && stale}>
            {t('entityDesigner.previewChange')}
          </Button>
          <Button type="primary" disabled={stale || !preview.valid || (onFailure === 'refuse' && (p?.failing ?? 0) > 0)} loading={run.isPending && !stale} onClick={() => void apply()}>
            {t('entityDesigner.applyChange')}
          </Button>
        </Space>
      }
    >
      <Form layout="vertical" component="div">
        <Form.Item label={t('entityDesigner.newType')} htmlFor="new-type" help={t('entityDesigner.fromType', { type: current?.type })}>
          <Select id="new-type" showSearch optionFilterProp="label" value={definition.type} onChange={setType} options={convertible.map((ft) => ({ value: ft, label: t(`entityDesigner.types.${ft}`, ft) }))} style={{ width: 240 }} />
        </Form.Item>
        {(definition.type === 'picklist' || definition.type === 'multipicklist') && (
          <Form.Item label={t('entityDesigner.opt.options')}>
            <OptionsEditor
              value={definition.options as never}
              onChange={(options) => {
                setDefinition({ ...definition, options });
                setPreview(undefined);
              }}
            />
          </Form.Item>
        )}
        <Form.Item label={t('entityDesigner.onFailure')}>
          <Radio.Group value={onFailure} onChange={(e) => setOnFailure(e.target.value as 'clear' | 'refuse')}>
            <Radio value="clear">{t('entityDesigner.onFailureClear')}</Radio>
            <Radio value="refuse">{t('entityDesigner.onFailureRefuse')}</Radio>
          </Radio.Group>
        </Form.Item>
      </Form>
      {run.error && <Alert type="error" showIcon role="alert" title={(run.error as Error).message} />}
      {preview && !preview.valid && <Alert type="error" showIcon role="alert" title={preview.issues.map((i) => `${i.path}: ${i.message}`).join(' · ')} />}
      {p && (
        <div aria-live="polite" data-testid="type-change-preview">
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 3 }}>
            <Descriptions.Item label={t('entityDesigner.pRecords')}>{p.records}</Descriptions.Item>
            <Descriptions.Item label={t('entityDesigner.pWithValue')}>{p.withValue}</Descriptions.Item>
            <Descriptions.Item label={t('entityDesigner.pConverting')}>
              <span data-testid="p-converting">{p.converting}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('entityDesigner.pFailing')}>
              <span data-testid="p-failing">{p.failing}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('entityDesigner.pLost')}>
              <span data-testid="p-lost">{p.lost}</span>
            </Descriptions.Item>
          </Descriptions>
          {p.unmatched.length > 0 && (
            <div style={{ marginTop: 8 }}>
              <Typography.Text>{t('entityDesigner.unmatched')}</Typography.Text> {p.unmatched.slice(0, 10).map((u) => `${u.value} (${u.count})`).join(', ')}{' '}
              {(definition.type === 'picklist' || definition.type === 'multipicklist') && (
                <Button size="small" onClick={addUnmatched}>
                  {t('entityDesigner.addUnmatched')}
                </Button>
              )}
            </div>
          )}
          <ResponsiveTable
            size="small"
            style={{ marginTop: 8 }}
            pagination={false}
            rowKey={(r) => r.id}
            dataSource={p.examples}
            columns={[
              { title: t('entityDesigner.pRecord'), render: (_, r) => <RecordTitle entity={entity.name} id={r.id} titles={titles} /> },
              { title: t('entityDesigner.pFrom'), render: (_, r) => JSON.stringify(r.from) },
              { title: t('entityDesigner.pTo'), render: (_, r) => (r.reason ? <Typography.Text type="danger">{r.reason}</Typography.Text> : JSON.stringify(r.to)) },
            ]}
          />
        </div>
      )}
    </Modal>
  );
}
