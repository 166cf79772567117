// Picklist value maps: for each column feeding a picklist, the distinct values found in the file
// with the option each becomes — matched by key or label as the server matches them, or chosen
// here (source value → option). A value left without an option is refused at import.

import { Card, Flex, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useTranslation } from 'react-i18next';
import type { Suggestion } from '../api/imports.ts';
import type { EntityDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { columnsOf, matchOption, type Draft } from './mapping-model.ts';
import { ToneTag } from '../admin/ToneTag.tsx';
import { ScrollRegion } from './ScrollRegion.tsx';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';

export function ValueMaps({ entity, suggestion, draft, onDraft }: { entity: EntityDef; suggestion: Suggestion; draft: Draft; onDraft: (d: Draft) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const picklists = Object.entries(columnsOf(draft)).filter(([field]) => entity.fields[field]?.type === 'picklist');
  if (picklists.length === 0) return null;

  const setValue = (field: string, source: string, option: string | undefined) => {
    const map = { ...(draft.values[field] ?? {}) };
    if (option === undefined || option === matchOption(source, entity.fields[field]?.options)) delete map[source];
    else map[source] = option;
    onDraft({ ...draft, values: { ...draft.values, [field]: map } });
  };

  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('importWizard.valuesTitle')}</Typography.Title>} size="small">
      <Typography.Paragraph type="secondary">{t('importWizard.valuesHelp', { rows: suggestion.scanned })}</Typography.Paragraph>
      <Flex vertical gap={16}>
        {picklists.map(([field, column]) => {
          const def = entity.fields[field]!;
          const options = Object.entries(def.options ?? {}).map(([key, o]) => ({ value: key, label: label(o.label, key) }));
          const fieldLabel = label(def.label, field);
          const title = t('importWizard.valuesOf', { column, field: fieldLabel });
          return (
            <div key={field} data-testid={`import-values-${field}`}>
              <Typography.Text strong>{title}</Typography.Text>
              {/* On a phone the status column would be cut off by the card: the table scrolls sideways instead. */}
              <ScrollRegion label={title}>
                <ResponsiveTable
                  size="small"
                  pagination={false}
                  rowKey="source"
                  style={{ marginTop: 8 }}
                  dataSource={(suggestion.values[column] ?? []).map((source) => ({ source }))}
                  columns={[
                    { title: t('importWizard.sourceValue'), dataIndex: 'source' },
                    {
                      title: t('importWizard.option'),
                      key: 'option',
                      render: (_, { source }) => {
                        const chosen = draft.values[field]?.[source];
                        const auto = matchOption(source, def.options);
                        return (
                          <Select
                            aria-label={t('importWizard.optionFor', { value: source, field: fieldLabel })}
                            allowClear
                            style={{ minWidth: 140 }}
                            placeholder={t('importWizard.noOption')}
                            value={chosen ?? auto}
                            options={options}
                            onChange={(option?: string) => setValue(field, source, option)}
                          />
                        );
                      },
                    },
                    {
                      title: t('importWizard.status'),
                      key: 'status',
                      render: (_, { source }) =>
                        draft.values[field]?.[source] !== undefined ? <ToneTag tone="blue">{t('importWizard.mapped')}</ToneTag>
                        : matchOption(source, def.options) !== undefined ? <ToneTag tone="green">{t('importWizard.matches')}</ToneTag>
                        : <ToneTag tone="red">{t('importWizard.willBeRefused')}</ToneTag>,
                    },
                  ]}
                />
              </ScrollRegion>
            </div>
          );
        })}
      </Flex>
    </Card>
  );
}
