// The entity designer (/admin/entities/:name): the entity's fields, rules, duplicate rules, indexes
// and labels, edited as a draft; "Review and save" runs the API's dry run and applies only on
// confirmation. A type change, and a field's or the entity's rename, go through the engine's refactorings with
// their counted previews.
// "Where is this used" on the entity and on every field.

import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Form, Radio, Space, Tag, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { getMetaItem, type MetaDocument } from '../../api/designer.ts';
import { useMetaKind, type FieldDef } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useReviewedSave } from '../impact/DryRunReport.tsx';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import { UsagesButton } from '../impact/UsagesButton.tsx';
import { FieldEditor } from './FieldEditor.tsx';
import { MenuGroupPicker, namedGroup } from './MenuGroupPicker.tsx';
import { DuplicateRulesPanel, IndexesPanel, RulesPanel, type EntityDoc } from './RulesPanel.tsx';
import { RenameEntityButton } from './RenameEntity.tsx';
import { RenameFieldButton } from './RenameField.tsx';
import { TypeChangeModal } from './TypeChangeModal.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';
import { usePhoneWidth } from '../../app/use-phone-width.ts';
import { FullValue } from '../../lists/FullValue.tsx';

export default function EntityDesignerPage() {
  const { name = '' } = useParams();
  const saved = useQuery({ queryKey: ['designer', 'entity', name], queryFn: () => getMetaItem<EntityDoc>('entity', name) });
  if (saved.isPending) return <PageLoading />;
  if (saved.error) return <ErrorState error={saved.error} retry={() => void saved.refetch()} />;
  return <EntityDesigner key={JSON.stringify(saved.data)} saved={saved.data} />;
}

function EntityDesigner({ saved }: { saved: EntityDoc }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const phone = usePhoneWidth();
  const entities = useMetaKind('entities');
  const forms = useMetaKind('forms');
  const [draft, setDraft] = useState<EntityDoc>(saved);
  const [editing, setEditing] = useState<{ name: string | undefined }>();
  const [typeChange, setTypeChange] = useState<string>();
  const { review, modal } = useReviewedSave();
  useEffect(() => setDraft(saved), [saved]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const entityForms = [...(forms.data?.values() ?? [])].filter((f) => f.entity === saved.name);

  const keepField = (fieldName: string, def: FieldDef) => {
    setDraft((d) => ({ ...d, fields: { ...d.fields, [fieldName]: def } }));
    setEditing(undefined);
  };
  const removeField = (fieldName: string) =>
    setDraft((d) => {
      const { [fieldName]: _gone, ...fields } = d.fields;
      return { ...d, fields };
    });

  // A saved field taken out of the draft: its definition comes back as saved.
  const restoreField = (fieldName: string) => setDraft((d) => ({ ...d, fields: { ...d.fields, [fieldName]: saved.fields[fieldName]! } }));
  const removedFields = Object.keys(saved.fields).filter((n) => !Object.hasOwn(draft.fields, n));

  const fieldRows = Object.entries(draft.fields);
  const changed = (n: string) => JSON.stringify(draft.fields[n]) !== JSON.stringify(saved.fields[n]);
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap', marginBottom: 12 }} align="start">
        <div>
          <Typography.Text type="secondary">
            <Link to="/admin/entities">{t('entityDesigner.title')}</Link>
          </Typography.Text>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {label(draft.label, draft.name)} <Typography.Text type="secondary" style={{ fontSize: 14 }}>({draft.name})</Typography.Text>
          </Typography.Title>
        </div>
        <Space wrap>
          <UsagesButton entity={saved.name} />
          <RenameEntityButton entity={saved.name} disabled={dirty} />
          {entityForms.map((f) => (
            <Link key={f.name} to={`/admin/forms/${f.name}`}>
              {t('entityDesigner.openForm', { form: label(f.label, f.name) })}
            </Link>
          ))}
          {dirty && <Button onClick={() => setDraft(saved)}>{t('entityDesigner.discard')}</Button>}
          <Badge dot={dirty}>
            <Button type="primary" disabled={!dirty} onClick={() => review([{ ...withMenuGroup(draft, namedGroup(draft.menuGroup)), kind: 'entity' } as unknown as MetaDocument])}>
              {t('entityDesigner.reviewAndSave')}
            </Button>
          </Badge>
        </Space>
      </Space>
      {dirty && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('entityDesigner.unsaved')} />}
      <SectionSwitch
        label={t('entityDesigner.parts')}
        items={[
          {
            key: 'fields',
            label: t('entityDesigner.tabFields', { count: fieldRows.length }),
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Button type="primary" onClick={() => setEditing({ name: undefined })}>
                  {t('entityDesigner.addField')}
                </Button>
                {removedFields.length > 0 && (
                  <Alert
                    type="warning"
                    showIcon
                    data-testid="fields-removed"
                    title={t('entityDesigner.removedOnSave')}
                    description={
                      <Space wrap>
                        {removedFields.map((n) => (
                          <Button key={n} size="small" onClick={() => restoreField(n)}>
                            {t('entityDesigner.restoreField', { name: n })}
                          </Button>
                        ))}
                      </Space>
                    }
                  />
                )}
                <ResponsiveTable
                  size="small"
                  rowKey={([n]) => n}
                  pagination={false}
                  dataSource={fieldRows}
                  scroll={{ x: 760 }}
                  columns={[
                    {
                      title: t('entityDesigner.fieldName'),
                      render: (_, [n]) => (
                        <Space size={4}>
                          <code>{n}</code>
                          {!saved.fields[n] && <Tag color="green">{t('entityDesigner.new')}</Tag>}
                          {saved.fields[n] && changed(n) && <Tag color="blue">{t('entityDesigner.changed')}</Tag>}
                        </Space>
                      ),
                    },
                    { title: t('entityDesigner.fieldLabel'), render: (_, [n, f]) => label(f.label, n) },
                    { title: t('entityDesigner.fieldType'), render: (_, [, f]) => <Tag>{t(`entityDesigner.types.${f.type}`, f.type)}</Tag> },
                    {
                      title: t('entityDesigner.flags'),
                      // Nothing when the field has no flags: a phone's card then leaves the line out.
                      // A picklist's choices by their labels: in the table on one line cut with an ellipsis (the whole
                      // in a tooltip on hover and focus, FullValue); on a phone's card, where it can wrap, whole.
                      render: (_, [n, f]) => {
                        const choices = Object.entries(f.options ?? {}).map(([value, o]) => label(o.label, value)).join(', ');
                        const flagged = f.required || Boolean(f['unique']) || Boolean(f['index']) || f.default !== undefined;
                        if (!flagged && choices === '') return null;
                        return (
                          <Space size={2} wrap>
                            {choices !== '' &&
                              (phone ? (
                                <span data-testid={`field-choices-${n}`}>{choices}</span>
                              ) : (
                                <span style={{ display: 'block', maxWidth: 240 }}>
                                  <FullValue text={choices}>
                                    <span data-testid={`field-choices-${n}`}>{choices}</span>
                                  </FullValue>
                                </span>
                              ))}
                            {f.required && <Tag color="red">{t('entityDesigner.opt.required')}</Tag>}
                            {Boolean(f['unique']) && <Tag color="purple">{t('entityDesigner.opt.unique')}</Tag>}
                            {Boolean(f['index']) && <Tag>{t('entityDesigner.opt.index')}</Tag>}
                            {f.default !== undefined && <Tag>{t('entityDesigner.opt.default')}</Tag>}
                          </Space>
                        );
                      },
                    },
                    {
                      key: 'actions',
                      title: t('entityDesigner.actions'),
                      render: (_, [n]) => (
                        <Space size={4} wrap>
                          <Button size="small" onClick={() => setEditing({ name: n })} aria-label={t('entityDesigner.editFieldButton', { name: n })}>
                            {t('entityDesigner.edit')}
                          </Button>
                          {saved.fields[n] && (
                            <Button size="small" onClick={() => setTypeChange(n)} aria-label={t('entityDesigner.changeTypeOf', { field: n })} disabled={dirty}>
                              {t('entityDesigner.changeType')}
                            </Button>
                          )}
                          {saved.fields[n] && <RenameFieldButton entity={saved.name} field={n} disabled={dirty} />}
                          {saved.fields[n] && <UsagesButton size="small" entity={saved.name} field={n} />}
                          <Button size="small" danger onClick={() => removeField(n)} aria-label={t('entityDesigner.removeField', { name: n })}>
                            {t('entityDesigner.remove')}
                          </Button>
                        </Space>
                      ),
                    },
                  ]}
                />
              </Space>
            ),
          },
          { key: 'rules', label: t('entityDesigner.tabRules', { count: Object.keys(draft.rules ?? {}).length }), children: <RulesPanel draft={draft} onChange={setDraft} /> },
          { key: 'duplicates', label: t('entityDesigner.tabDuplicates'), children: <DuplicateRulesPanel draft={draft} onChange={setDraft} /> },
          { key: 'indexes', label: t('entityDesigner.tabIndexes'), children: <IndexesPanel draft={draft} onChange={setDraft} /> },
          {
            key: 'settings',
            label: t('entityDesigner.tabSettings'),
            children: (
              <Form layout="vertical" component="div" style={{ maxWidth: 640 }}>
                <Form.Item label={t('entityDesigner.opt.label')}>
                  <LocalizedInput id="entity-label" label={t('entityDesigner.opt.label')} value={draft.label} onChange={(l) => setDraft({ ...draft, label: l })} />
                </Form.Item>
                <Form.Item label={t('entityDesigner.pluralLabel')}>
                  <LocalizedInput id="entity-plural" label={t('entityDesigner.pluralLabel')} value={draft.pluralLabel} onChange={(l) => setDraft({ ...draft, pluralLabel: l })} />
                </Form.Item>
                <Form.Item label={t('entityDesigner.menuGroup')} htmlFor="entity-menu-group" extra={t('entityDesigner.menuGroupHelp')}>
                  <MenuGroupPicker id="entity-menu-group" value={draft.menuGroup} onChange={(g) => setDraft(withMenuGroup(draft, g))} />
                </Form.Item>
                <Form.Item label={t('entityDesigner.titleField')} htmlFor="entity-title-field">
                  <Select id="entity-title-field" value={draft.titleField} onChange={(f: string) => setDraft({ ...draft, titleField: f })} options={fieldRows.map(([n, f]) => ({ value: n, label: `${label(f.label, n)} (${n})` }))} />
                </Form.Item>
              </Form>
            ),
          },
        ]}
      />
      <FieldEditor entity={draft} entities={entities.data ?? new Map()} removed={removedFields} name={editing?.name} open={editing !== undefined} onClose={() => setEditing(undefined)} onKeep={keepField} onChangeType={(n) => { setEditing(undefined); setTypeChange(n); }} />
      <TypeChangeModal entity={saved} field={typeChange} onClose={() => setTypeChange(undefined)} onApplied={() => setTypeChange(undefined)} />
      {modal}
    </div>
  );
}

/** The entity with this menu group, or without one (the key left out, not set to undefined). */
function withMenuGroup(draft: EntityDoc, group: EntityDoc['menuGroup']): EntityDoc {
  const { menuGroup: _before, ...rest } = draft;
  return group === undefined ? (rest as EntityDoc) : { ...rest, menuGroup: group } as EntityDoc;
}

/** The designer's parts as a row of buttons that wraps on a phone (antd's Tabs hide overflowing tabs in a menu axe flags). */
function SectionSwitch({ label, items }: { label: string; items: { key: string; label: string; children: ReactNode }[] }) {
  const [current, setCurrent] = useState(items[0]!.key);
  return (
    <div>
      <Radio.Group aria-label={label} optionType="button" value={current} onChange={(e) => setCurrent(String(e.target.value))} options={items.map((i) => ({ value: i.key, label: i.label }))} style={{ display: 'flex', flexWrap: 'wrap', rowGap: 6, marginBottom: 12 }} />
      {items.find((i) => i.key === current)?.children}
    </div>
  );
}
