// "View as": any list or record exactly as a chosen user or role gets it. Every read goes to the API
// with X-CRM-View-As, so the server's own access checks (scope, hidden fields, narrowed metadata)
// decide what shows — nothing is filtered here. Read-only; the server keeps a log of each use.

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Space, Tag, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetaDocument } from '../../api/admin-meta.ts';
import { ApiError } from '../../api/client.ts';
import { getAs, listUsers } from '../../api/people.ts';
import { useLanguage } from '../../app/use-language.ts';
import { ValueView } from '../../records/format-value.tsx';
import { targetsOf, useReferencedTitleMaps } from '../../records/lookup-titles.ts';
import { RecordTitle } from '../../records/RecordTitle.tsx';
import type { EntityDef, FieldDef } from '../../api/meta.ts';
import type { Language } from '../../i18n/i18n.ts';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

type Row = Record<string, unknown> & { id: string };

export function ViewAsPanel({ entities, roles }: { entities: MetaDocument[]; roles: MetaDocument[] }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  // Users are searched on the server (a directory of any size); roles are few and filtered here.
  const [userSearch, setUserSearch] = useState('');
  const users = useQuery({ queryKey: ['admin', 'users', 'view-as', userSearch], queryFn: () => listUsers({ search: userSearch, limit: 20 }), placeholderData: keepPreviousData });
  const [target, setTarget] = useState<string>();
  // The chosen user stays named when a later search no longer lists them.
  const [chosenUser, setChosenUser] = useState<{ value: string; label: string }>();
  const [entity, setEntity] = useState<string>();
  const [open, setOpen] = useState<string>();
  const enabled = target !== undefined && entity !== undefined;
  const meta = useQuery({ queryKey: ['admin', 'view-as', target, 'meta', entity], enabled, retry: false, queryFn: () => getAs<EntityDef>(target!, `/api/meta/entities/${encodeURIComponent(entity!)}`) });
  const list = useQuery({ queryKey: ['admin', 'view-as', target, 'list', entity], enabled: enabled && meta.isSuccess, retry: false, queryFn: () => getAs<{ items: Row[] }>(target!, `/api/data/${encodeURIComponent(entity!)}`, { limit: 50, sort: '-createdAt' }) });
  const record = useQuery({ queryKey: ['admin', 'view-as', target, 'record', entity, open], enabled: enabled && open !== undefined, retry: false, queryFn: () => getAs<Row>(target!, `/api/data/${encodeURIComponent(entity!)}/${encodeURIComponent(open!)}`) });
  const full = entities.find((e) => e.name === entity);
  const allFields = Object.keys((full?.['fields'] ?? {}) as object);
  const seen = meta.data ? Object.keys(meta.data.fields) : [];
  const hidden = allFields.filter((f) => !seen.includes(f));
  const columns = seen.slice(0, 8);
  // Lookups by their targets' titles, read as the same user or role: what they may not read is "(no access)".
  const titles = useAsTitles(target, meta.data, [...(list.data?.items ?? []), ...(record.data ? [record.data] : [])]);
  const denied = meta.error instanceof ApiError && (meta.error.status === 404 || meta.error.status === 403);

  const targets = [
    { label: t('roles.users'), options: withChosen((users.data?.items ?? []).filter((u) => !u.disabled).map((u) => ({ value: `user:${u.id}`, label: `${u.name ?? u.email} · ${u.roles.join(', ') || '—'}` })), chosenUser) },
    { label: t('roles.rolesNoUser'), options: roles.map((r) => ({ value: `role:${r.name}`, label: `${label(r['label'] as never, r.name)} (${r.name})` })) },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary">{t('roles.viewAsHelp')}</Typography.Paragraph>
      <Space wrap>
        <label htmlFor="view-as-target">{t('roles.viewAsTarget')}</label>
        <Select id="view-as-target" showSearch style={{ width: 340 }} value={target} options={targets} loading={users.isFetching} placeholder={t('roles.viewAsSearch')}
          onSearch={setUserSearch} filterOption={(input, option) => { const value = option && 'value' in option ? String(option.value) : ''; return value.startsWith('user:') || String(option?.label ?? '').toLowerCase().includes(input.toLowerCase()); }}
          onChange={(v, option) => { setTarget(v); setOpen(undefined); setUserSearch(''); if (v.startsWith('user:') && option && !Array.isArray(option) && 'value' in option) setChosenUser({ value: v, label: String(option.label) }); }} />
        <label htmlFor="view-as-entity">{t('roles.list')}</label>
        <Select id="view-as-entity" showSearch optionFilterProp="label" style={{ width: 240 }} value={entity} onChange={(v) => { setEntity(v); setOpen(undefined); }}
          options={entities.map((e) => ({ value: e.name, label: label(e['pluralLabel'] as never, label(e['label'] as never, e.name)) }))} />
      </Space>
      {denied && <Alert type="warning" showIcon message={t('roles.cannotSee')} />}
      {meta.error && !denied && <Alert type="error" showIcon message={String((meta.error as Error).message)} />}
      {meta.data && (
        <div data-testid="view-as-result">
          <Space wrap style={{ marginBottom: 8 }}>
            <span>{t('roles.seesRecords', { count: list.data?.items.length ?? 0 })}</span>
            {hidden.length > 0 && <span>{t('roles.hiddenFromThem')}</span>}
            {hidden.map((f) => <Tag key={f}>{label((full?.['fields'] as Record<string, { label?: never }>)[f]?.label, f)}</Tag>)}
          </Space>
          <ResponsiveTable<Row> size="small" rowKey="id" loading={list.isFetching} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: true }}
            onRow={(r) => ({ onClick: () => setOpen(r.id), onKeyDown: (e) => { if (e.key === 'Enter') setOpen(r.id); }, tabIndex: 0, style: { cursor: 'pointer' } })}
            columns={columns.map((f) => ({ key: f, title: label(meta.data.fields[f]?.label, f), render: (_: unknown, r: Row) => <AsValue field={meta.data.fields[f]} value={r[f]} language={language} titles={titles} /> }))} />
        </div>
      )}
      <Drawer open={open !== undefined} onClose={() => setOpen(undefined)} title={t('roles.recordAs')} size={480}>
        {record.data && meta.data && (
          <Descriptions size="small" column={1} items={Object.keys(meta.data.fields).filter((f) => f in record.data).map((f) => ({ key: f, label: label(meta.data.fields[f]?.label, f), children: <AsValue field={meta.data.fields[f]} value={record.data[f]} language={language} titles={titles} /> }))} />
        )}
        {record.error && <Alert type="warning" showIcon message={String((record.error as Error).message)} />}
      </Drawer>
    </Space>
  );
}

type AsTitles = (field: FieldDef | undefined, id: string) => ReactNode;

/** Lookups by their records' titles, read as the viewed user or role (what they may not read: "(no access)"). */
function useAsTitles(target: string | undefined, def: EntityDef | undefined, rows: readonly Row[]): AsTitles {
  const titles = useReferencedTitleMaps(def, target ? rows : [], target);
  return (field, id) => {
    const to = targetsOf(field)[0]!;
    return <RecordTitle entity={to} id={id} titles={{ data: titles.data ? (titles.data.get(to) ?? new Map()) : undefined, isError: titles.isError }} />;
  };
}

/** A value as the viewed user gets it; a lookup by its record's title. */
function AsValue({ field, value, language, titles }: { field: FieldDef | undefined; value: unknown; language: Language; titles: AsTitles }) {
  const [to, ...others] = targetsOf(field);
  if (to && others.length === 0 && typeof value === 'string' && value !== '') return <>{titles(field, value)}</>;
  return <ValueView field={field} value={value} language={language} />;
}

/** The options with the chosen one kept in (first) when the current search does not list it. */
function withChosen(options: { value: string; label: string }[], chosen: { value: string; label: string } | undefined): { value: string; label: string }[] {
  return chosen && !options.some((o) => o.value === chosen.value) ? [chosen, ...options] : options;
}
