// Step 2: the mapping. Each column of the file with the field it feeds (suggested from field names
// and labels, editable), how the file writes dates and numbers, picklist value maps, defaults for
// required fields the file lacks, the upsert key, and saved mappings (the admin's own and those templates ship) to load or save.

import { Alert, Button, Card, Checkbox, Flex, Space, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useTranslation } from 'react-i18next';
import { ColumnExtras } from './ColumnExtras.tsx';
import type { Suggestion } from '../api/imports.ts';
import { useEntities, type EntityDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { DefaultsEditor } from './DefaultsEditor.tsx';
import { idField, importableFields, requiredMissing, withColumnField, type Draft } from './mapping-model.ts';
import { MappingTargets } from './MappingTargets.tsx';
import { targetsOf } from './mapping-targets.ts';
import { ReadingOptions } from './ReadingOptions.tsx';
import { SavedMappings } from './SavedMappings.tsx';
import { ValueMaps } from './ValueMaps.tsx';
import { ToneTag } from '../admin/ToneTag.tsx';
import { ScrollRegion } from './ScrollRegion.tsx';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';

const cardTitle = (text: string) => <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text}</Typography.Title>;

export function MappingStep(props: { entity: EntityDef; suggestion: Suggestion; draft: Draft; upload: string; onDraft: (d: Draft) => void; onBack: () => void; onNext: () => void; transformErrors?: Record<string, string>; defaultErrors?: Record<string, string> }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const entities = useEntities();
  const { entity, suggestion, draft, onDraft } = props;
  const several = targetsOf(draft).length > 1;
  const fields = importableFields(entity);
  const fieldLabel = (name: string) => (name === idField ? t('importWizard.updateById') : label(entity.fields[name]?.label, name));
  // The id column (an export's first) names the record a row updates.
  const fieldOptions = [{ value: idField, label: t('importWizard.updateById') }, ...fields.map(([name, f]) => ({ value: name, label: `${label(f.label, name)}${f.required ? ' *' : ''}` }))];
  const suggestedColumns = { ...suggestion.suggested, ...suggestion.mapping?.targets.find((target) => target.entity === entity.name)?.columns };
  const suggested = new Set(Object.entries(suggestedColumns).map(([f, c]) => `${c}→${f}`));
  const missing = requiredMissing(entity, draft);
  const mapped = Object.values(draft.fieldOf).filter(Boolean);
  // Transforms of fields no column feeds (a loaded mapping's, computed from several columns).
  const transforms = Object.fromEntries(Object.entries(draft.transforms).filter(([field]) => !mapped.includes(field)));

  return (
    <Flex vertical gap={16}>
      <SavedMappings entity={entity} draft={draft} onDraft={onDraft} />
      {/* Every entity a row goes into, the one edited below among them: a loaded mapping's others were imported without the wizard showing them. */}
      <MappingTargets draft={draft} upload={props.upload} onDraft={onDraft} />
      {/* With several targets, whose columns these are (the list naming the edited one is far above once scrolled). */}
      <Card title={cardTitle(several ? t('importWizard.columnsTitleFor', { entity: label(entity.label, entity.name) }) : t('importWizard.columnsTitle'))} size="small">
        <ScrollRegion label={t('importWizard.columnsTitle')}>
          <ResponsiveTable
            size="small"
            pagination={false}
            rowKey="column"
            data-testid="import-columns"
            dataSource={suggestion.columns.map((column) => ({ column }))}
            columns={[
              { title: t('importWizard.sourceColumn'), dataIndex: 'column', render: (c: string) => <strong>{c}</strong> },
              { title: t('importWizard.sample'), key: 'sample', responsive: ['md'], render: (_, r) => <Typography.Text type="secondary">{String(suggestion.sample?.[r.column] ?? '')}</Typography.Text> },
              {
                title: t('importWizard.targetField'),
                key: 'field',
                render: (_, r) => {
                  const field = draft.fieldOf[r.column];
                  return (
                    <Flex vertical gap={4}>
                    <Space wrap>
                      <Select
                        aria-label={t('importWizard.fieldFor', { column: r.column })}
                        allowClear
                        showSearch
                        optionFilterProp="label"
                        style={{ minWidth: 200 }}
                        placeholder={t('importWizard.notImported')}
                        value={field || undefined}
                        options={fieldOptions}
                        onChange={(value?: string) => onDraft(withColumnField(draft, r.column, value, entities.data ?? new Map()))}
                      />
                      {field && suggested.has(`${r.column}→${field}`) && <ToneTag tone="blue">{t('importWizard.suggested')}</ToneTag>}
                    </Space>
                    {field && field !== idField && <ColumnExtras entity={entity} column={r.column} field={field} draft={draft} onDraft={onDraft} error={props.transformErrors?.[field]} />}
                    {field === idField && <Typography.Text type="secondary" data-testid="import-id-help">{t('importWizard.updateByIdHelp')}</Typography.Text>}
                    {!field && suggestion.unmapped?.[r.column] && <Typography.Text type="secondary" data-testid="import-unmapped-reason">{suggestion.unmapped[r.column]}</Typography.Text>}
                    </Flex>
                  );
                },
              },
            ]}
          />
        </ScrollRegion>
        {Object.keys(transforms).length > 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('importWizard.transforms', { fields: Object.keys(transforms).map(fieldLabel).join(', ') })}
          </Typography.Paragraph>
        )}
      </Card>
      <ReadingOptions entity={entity} suggestion={suggestion} draft={draft} onDraft={onDraft} />
      <ValueMaps entity={entity} suggestion={suggestion} draft={draft} onDraft={onDraft} />
      <DefaultsEditor entity={entity} draft={draft} onDraft={onDraft} missing={missing} errors={props.defaultErrors} />
      <Card title={cardTitle(t('importWizard.keyTitle'))} size="small">
        <Typography.Paragraph type="secondary">{t('importWizard.keyHelp')}</Typography.Paragraph>
        <Select
          mode="multiple"
          aria-label={t('importWizard.keyTitle')}
          // Typed, the field's label finds it (its key is what antd searches otherwise: "名称" found nothing).
          optionFilterProp="label"
          style={{ width: '100%', maxWidth: 480 }}
          placeholder={t('importWizard.keyNone')}
          value={draft.key}
          maxCount={5}
          onChange={(key: string[]) => onDraft({ ...draft, key })}
          options={[...new Set([...mapped, ...Object.keys(draft.defaults)])].map((f) => ({ value: f, label: `${fieldLabel(f)}${entity.fields[f]?.['unique'] ? ` (${t('importWizard.unique')})` : ''}` }))}
          data-testid="import-key"
        />
        {draft.key.length > 0 && (
          <Checkbox style={{ marginTop: 12, display: 'flex' }} checked={draft.clearBlanks === true} onChange={(e) => onDraft({ ...draft, clearBlanks: e.target.checked })} data-testid="import-clear-blanks">
            {t('importWizard.clearBlanks')}
          </Checkbox>
        )}
      </Card>
      {missing.length > 0 && <Alert type="warning" showIcon role="alert" title={t('importWizard.requiredMissing', { fields: missing.map(fieldLabel).join(', ') })} />}
      <Space>
        <Button onClick={props.onBack}>{t('importWizard.back')}</Button>
        <Button type="primary" disabled={mapped.length === 0} onClick={props.onNext} data-testid="import-next">
          {t('importWizard.next')}
        </Button>
      </Space>
    </Flex>
  );
}
