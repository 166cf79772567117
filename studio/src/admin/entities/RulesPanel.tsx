// An entity's rules, duplicate rules and indexes. A rule being edited is checked live against the
// stored records through the API's dry run: "with this rule, 12 of 4,316 records would be refused",
// with examples. Changes go into the entity's draft; the draft is saved through the dry run.

import { useQuery } from '@tanstack/react-query';
import { DeleteOutlined, EditOutlined } from '../../app/icons.tsx';
import { Alert, Button, Card, Form, Input, Space, Spin, Switch, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dryRun, type MetaDocument } from '../../api/designer.ts';
import type { EntityDef } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import type { Label } from '../../i18n/i18n.ts';
import { ImpactSummary } from '../impact/DryRunReport.tsx';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import { metadataName } from '../metadata-name.ts';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

export interface RuleDef {
  when: string;
  message: Label;
  field?: string;
}
export interface DuplicateRuleDef {
  label?: Label;
  match: string[];
  action?: 'warn' | 'block';
  message?: Label;
}
export interface IndexDef {
  fields: string[];
  unique?: boolean;
}
export type EntityDoc = EntityDef & { rules?: Record<string, RuleDef>; duplicateRules?: Record<string, DuplicateRuleDef>; indexes?: Record<string, IndexDef>; [k: string]: unknown };


function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

function fieldChoices(entity: EntityDoc, label: (l: Label, f?: string) => string) {
  return Object.entries(entity.fields).map(([n, f]) => ({ value: n, label: `${label(f.label, n)} (${n})` }));
}

export function RulesPanel({ draft, onChange }: { draft: EntityDoc; onChange: (next: EntityDoc) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const [editing, setEditing] = useState<{ original?: string; name: string; rule: RuleDef }>();
  const rules = Object.entries(draft.rules ?? {});
  const keep = () => {
    if (!editing) return;
    const next = Object.entries(draft.rules ?? {}).filter(([n]) => n !== editing.original && n !== editing.name);
    const rule: RuleDef = { when: editing.rule.when, message: editing.rule.message, ...(editing.rule.field ? { field: editing.rule.field } : {}) };
    onChange({ ...draft, rules: Object.fromEntries([...next, [editing.name, rule]]) });
    setEditing(undefined);
  };
  const remove = (name: string) => {
    const next = Object.fromEntries(rules.filter(([n]) => n !== name));
    const { rules: _drop, ...rest } = draft;
    onChange(Object.keys(next).length > 0 ? { ...rest, rules: next } as EntityDoc : (rest as EntityDoc));
  };
  const nameProblem = editing && (!metadataName.test(editing.name) ? t('entityDesigner.nameRule') : editing.name !== editing.original && draft.rules?.[editing.name] ? t('entityDesigner.nameTaken') : undefined);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <ResponsiveTable
        size="small"
        rowKey={([n]) => n}
        pagination={false}
        dataSource={rules}
        scroll={{ x: 600 }}
        locale={{ emptyText: t('entityDesigner.noRules') }}
        columns={[
          { title: t('entityDesigner.ruleName'), render: (_, [n]) => <code>{n}</code> },
          { title: t('entityDesigner.ruleWhen'), render: (_, [, r]) => <code>{r.when}</code> },
          { title: t('entityDesigner.ruleMessage'), render: (_, [, r]) => label(r.message) },
          {
            key: 'actions', title: t('entityDesigner.actions'),
            render: (_, [n, r]) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} aria-label={t('entityDesigner.editRule', { name: n })} onClick={() => setEditing({ original: n, name: n, rule: r })} />
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('entityDesigner.removeRule', { name: n })} onClick={() => remove(n)} />
              </Space>
            ),
          },
        ]}
      />
      {!editing && <Button onClick={() => setEditing({ name: '', rule: { when: '', message: { en: '' } } })}>{t('entityDesigner.addRule')}</Button>}
      {editing && (
        <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{editing.original ? t('entityDesigner.editRule', { name: editing.original }) : t('entityDesigner.newRule')}</h2>}>
          <Form layout="vertical" component="div">
            <Form.Item label={t('entityDesigner.ruleName')} htmlFor="rule-name" validateStatus={editing.name && nameProblem ? 'error' : undefined} help={(editing.name && nameProblem) || t('entityDesigner.nameHelp')}>
              <Input id="rule-name" value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value.trim() })} autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('entityDesigner.ruleWhen')} htmlFor="rule-when" help={t('entityDesigner.ruleWhenHelp')}>
              <Input.TextArea id="rule-when" value={editing.rule.when} style={{ fontFamily: 'monospace' }} autoSize={{ minRows: 2 }} onChange={(e) => setEditing({ ...editing, rule: { ...editing.rule, when: e.target.value } })} />
            </Form.Item>
            <Form.Item label={t('entityDesigner.ruleMessage')}>
              <LocalizedInput id="rule-message" label={t('entityDesigner.ruleMessage')} value={editing.rule.message} onChange={(m) => setEditing({ ...editing, rule: { ...editing.rule, message: m ?? '' } })} />
            </Form.Item>
            <Form.Item label={t('entityDesigner.ruleField')} htmlFor="rule-field">
              <Select id="rule-field" allowClear value={editing.rule.field} onChange={(f?: string) => setEditing({ ...editing, rule: { ...editing.rule, field: f } })} options={fieldChoices(draft, label)} style={{ maxWidth: 320 }} />
            </Form.Item>
          </Form>
          <LiveRuleCheck draft={draft} name={editing.name || 'newRule'} rule={editing.rule} />
          <Space style={{ marginTop: 12 }}>
            <Button onClick={() => setEditing(undefined)}>{t('impact.cancel')}</Button>
            <Button type="primary" disabled={!editing.name || Boolean(nameProblem) || !editing.rule.when.trim()} onClick={keep}>
              {t('entityDesigner.keepRule')}
            </Button>
          </Space>
        </Card>
      )}
    </Space>
  );
}

/** The dry run of the draft with this rule in it: how many stored records it would refuse. */
function LiveRuleCheck({ draft, name, rule }: { draft: EntityDoc; name: string; rule: RuleDef }) {
  const { t } = useTranslation();
  const when = useDebounced(rule.when.trim(), 500);
  const candidate = { ...draft, kind: 'entity', rules: { ...(draft.rules ?? {}), [metadataName.test(name) ? name : 'newRule']: { when: when || 'false', message: rule.message || 'x' } } } as unknown as MetaDocument;
  const check = useQuery({ queryKey: ['designer', 'rule-check', JSON.stringify(candidate)], queryFn: () => dryRun([candidate]), enabled: when !== '' });
  return (
    <div aria-live="polite" data-testid="rule-check" style={{ background: '#f6f8fa', padding: 12, borderRadius: 6 }}>
      <Typography.Text strong>{t('entityDesigner.liveCheck')}</Typography.Text>
      <div style={{ marginTop: 8 }}>
        {when === '' && <Typography.Text type="secondary">{t('entityDesigner.liveCheckHint')}</Typography.Text>}
        {check.isFetching && <Spin size="small" />}
        {check.data && !check.isFetching && (check.data.issues.length > 0 ? <Alert type="error" showIcon title={check.data.issues.map((i) => `${i.path}: ${i.message}`).join(' · ')} /> : <ImpactSummary report={check.data} />)}
      </div>
    </div>
  );
}

export function DuplicateRulesPanel({ draft, onChange }: { draft: EntityDoc; onChange: (next: EntityDoc) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const [newName, setNewName] = useState('');
  const entries = Object.entries(draft.duplicateRules ?? {});
  const write = (next: [string, DuplicateRuleDef][]) => {
    const { duplicateRules: _d, ...rest } = draft;
    onChange(next.length > 0 ? ({ ...rest, duplicateRules: Object.fromEntries(next) } as EntityDoc) : (rest as EntityDoc));
  };
  const update = (name: string, patch: Partial<DuplicateRuleDef>) => write(entries.map(([n, r]) => [n, n === name ? { ...r, ...patch } : r]));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <ResponsiveTable
        size="small"
        rowKey={([n]) => n}
        pagination={false}
        dataSource={entries}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('entityDesigner.noDuplicateRules') }}
        columns={[
          { title: t('entityDesigner.ruleName'), render: (_, [n]) => <code>{n}</code> },
          { title: t('entityDesigner.dupLabel'), render: (_, [n, r]) => <div style={{ minWidth: 240 }}><LocalizedInput id={`dup-label-${n}`} label={t('entityDesigner.dupLabelOf', { name: n })} value={r.label} onChange={(l) => update(n, { label: l })} /></div> },
          { title: t('entityDesigner.dupMatch'), render: (_, [n, r]) => <Select mode="multiple" aria-label={t('entityDesigner.dupMatchOf', { name: n })} value={r.match} onChange={(m: string[]) => update(n, { match: m })} options={fieldChoices(draft, label)} style={{ minWidth: 220 }} maxCount={5} /> },
          { title: t('entityDesigner.dupAction'), render: (_, [n, r]) => <Select aria-label={t('entityDesigner.dupActionOf', { name: n })} value={r.action ?? 'warn'} onChange={(a: 'warn' | 'block') => update(n, { action: a })} options={[{ value: 'warn', label: t('entityDesigner.enum.warn') }, { value: 'block', label: t('entityDesigner.enum.block') }]} /> },
          { key: 'actions', title: t('entityDesigner.actions'), render: (_, [n]) => <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('entityDesigner.removeRule', { name: n })} onClick={() => write(entries.filter(([x]) => x !== n))} /> },
        ]}
      />
      <Space.Compact>
        <Input aria-label={t('entityDesigner.newDuplicateRule')} placeholder={t('entityDesigner.newDuplicateRule')} value={newName} onChange={(e) => setNewName(e.target.value.trim())} />
        <Button
          disabled={!metadataName.test(newName) || Boolean(draft.duplicateRules?.[newName])}
          onClick={() => {
            write([...entries, [newName, { match: [draft.titleField ?? Object.keys(draft.fields)[0]!], action: 'warn' }]]);
            setNewName('');
          }}
        >
          {t('entityDesigner.add')}
        </Button>
      </Space.Compact>
    </Space>
  );
}

export function IndexesPanel({ draft, onChange }: { draft: EntityDoc; onChange: (next: EntityDoc) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const [newName, setNewName] = useState('');
  const entries = Object.entries(draft.indexes ?? {});
  const write = (next: [string, IndexDef][]) => {
    const { indexes: _i, ...rest } = draft;
    onChange(next.length > 0 ? ({ ...rest, indexes: Object.fromEntries(next) } as EntityDoc) : (rest as EntityDoc));
  };
  const update = (name: string, patch: Partial<IndexDef>) => write(entries.map(([n, r]) => [n, n === name ? { ...r, ...patch } : r]));
  const choices = fieldChoices(draft, label).flatMap((c) => [c, { value: `-${c.value}`, label: `${c.label} ↓` }]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('entityDesigner.indexHelp')}</Typography.Paragraph>
      <ResponsiveTable
        size="small"
        rowKey={([n]) => n}
        pagination={false}
        dataSource={entries}
        scroll={{ x: 600 }}
        locale={{ emptyText: t('entityDesigner.noIndexes') }}
        columns={[
          { title: t('entityDesigner.ruleName'), render: (_, [n]) => <code>{n}</code> },
          { title: t('entityDesigner.indexFields'), render: (_, [n, r]) => <Select mode="multiple" aria-label={t('entityDesigner.indexFieldsOf', { name: n })} value={r.fields} onChange={(f: string[]) => update(n, { fields: f })} options={choices} style={{ minWidth: 240 }} maxCount={5} /> },
          { title: t('entityDesigner.indexUnique'), render: (_, [n, r]) => <Switch aria-label={t('entityDesigner.indexUniqueOf', { name: n })} checked={Boolean(r.unique)} onChange={(u) => update(n, u ? { unique: true } : { unique: undefined })} /> },
          { key: 'actions', title: t('entityDesigner.actions'), render: (_, [n]) => <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('entityDesigner.removeIndex', { name: n })} onClick={() => write(entries.filter(([x]) => x !== n))} /> },
        ]}
      />
      <Space.Compact>
        <Input aria-label={t('entityDesigner.newIndex')} placeholder={t('entityDesigner.newIndex')} value={newName} onChange={(e) => setNewName(e.target.value.trim())} />
        <Button
          disabled={!metadataName.test(newName) || Boolean(draft.indexes?.[newName])}
          onClick={() => {
            write([...entries, [newName, { fields: [draft.titleField ?? Object.keys(draft.fields)[0]!] }]]);
            setNewName('');
          }}
        >
          {t('entityDesigner.add')}
        </Button>
      </Space.Compact>
    </Space>
  );
}
