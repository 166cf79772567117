// The grants matrix of one role: entity × create / read / update / delete / reassign (with their
// scope: none, own, team, all) and, per entity, each field hidden, read or edit; and the dashboard
// the role's users land on. Saved through the dry run (the changes and any problem shown first),
// then applied.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Drawer, List, Modal, Space, Tag, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyDocuments, dryRun, listDocuments, type DryRunReport, type MetaDocument } from '../../api/admin-meta.ts';
import { ApiError } from '../../api/client.ts';
import { navigationKey } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { NewItemDialog } from '../impact/NewItemDialog.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

type Scope = false | 'own' | 'team' | 'all';
type Access = 'hidden' | 'read' | 'edit';
interface Grant {
  create?: boolean;
  read?: Scope;
  update?: Scope;
  delete?: Scope;
  reassign?: Scope;
  defaultFieldAccess?: Access;
  fields?: Record<string, Access>;
  [key: string]: unknown;
}
type RoleDoc = MetaDocument & { label?: never; admin?: boolean; homeDashboard?: string; permissions?: Record<string, Grant> };

/** The role landing on `dashboard`, or (none) on the template's home: the key left out, not emptied. */
function withHome(role: RoleDoc, dashboard: string | undefined): RoleDoc {
  const { homeDashboard: _previous, ...rest } = role;
  return dashboard ? { ...rest, homeDashboard: dashboard } : (rest as RoleDoc);
}

const scopes: Scope[] = [false, 'own', 'team', 'all'];
const scoped = ['read', 'update', 'delete', 'reassign'] as const;

function withGrant(role: RoleDoc, entity: string, change: Partial<Grant>): RoleDoc {
  const current = role.permissions?.[entity] ?? {};
  const next: Grant = { ...current, ...change };
  for (const [k, v] of Object.entries(next)) if (v === undefined || v === false) delete next[k];
  const permissions = { ...(role.permissions ?? {}) };
  if (Object.keys(next).length === 0) delete permissions[entity];
  else permissions[entity] = next;
  return { ...role, permissions };
}

export function GrantsMatrix({ entities }: { entities: MetaDocument[] }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { message } = App.useApp();
  const client = useQueryClient();
  const roles = useQuery({ queryKey: ['admin', 'roles'], queryFn: () => listDocuments<RoleDoc>('role') });
  const dashboards = useQuery({ queryKey: ['admin', 'dashboards'], queryFn: () => listDocuments('dashboard') });
  const [name, setName] = useState<string>();
  const [role, setRole] = useState<RoleDoc>();
  const [fieldsOf, setFieldsOf] = useState<string>();
  const [report, setReport] = useState<DryRunReport>();
  const [busy, setBusy] = useState(false);
  const [creating, setCreating] = useState(false);
  const saved = useMemo(() => roles.data?.find((r) => r.name === name), [roles.data, name]);
  useEffect(() => setRole(saved), [saved]);
  useEffect(() => {
    if (!name && roles.data?.length) setName(roles.data.find((r) => !r.admin)?.name ?? roles.data[0]!.name);
  }, [roles.data, name]);
  const dirty = role !== undefined && JSON.stringify(role) !== JSON.stringify(saved);
  const scopeLabel = (s: Scope) => t(`roles.scope_${s === false ? 'none' : s}`);
  /** An entity as the UI names it (its label in the UI language), for the matrix's control names. */
  const entityLabel = (entityName: string) => {
    const def = entities.find((e) => e.name === entityName);
    return label(def?.['label'] as never, entityName);
  };

  const check = async () => {
    if (!role) return;
    setBusy(true);
    try {
      setReport(await dryRun([role]));
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!role) return;
    setBusy(true);
    try {
      const result = await applyDocuments([role]);
      void message.success(t('roles.saved', { revision: result.revision }));
      setReport(undefined);
      await client.invalidateQueries({ queryKey: ['admin', 'roles'] });
      await client.invalidateQueries({ queryKey: ['admin', 'roles-page'] });
      await client.invalidateQueries({ queryKey: navigationKey });
    } catch (e) {
      void message.error(e instanceof ApiError ? [e.message, ...e.details.map((d) => `${d.path}: ${d.message}`)].join(' — ') : String(e));
    } finally {
      setBusy(false);
    }
  };

  const entity = entities.find((e) => e.name === fieldsOf);
  const grant = fieldsOf ? (role?.permissions?.[fieldsOf] ?? {}) : {};
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <label htmlFor="roles-role">{t('roles.role')}</label>
        <Select id="roles-role" style={{ width: 320 }} value={name} onChange={setName} loading={roles.isPending}
          options={(roles.data ?? []).map((r) => ({ value: r.name, label: `${label(r['label'] as never, r.name)} (${r.name})` }))} />
        {role?.admin && <Tag color="error">{t('roles.adminRole')}</Tag>}
        <Button type="primary" disabled={!dirty} loading={busy} onClick={() => void check()}>{t('roles.save')}</Button>
        <Button onClick={() => setCreating(true)}>{t('roles.newRole')}</Button>
      </Space>
      <NewItemDialog
        id="new-role"
        title={t('roles.newRole')}
        open={creating}
        onClose={() => setCreating(false)}
        taken={(n) => Boolean(roles.data?.some((r) => r.name === n))}
        build={({ name: roleName, label: roleLabel }) => ({ kind: 'role', name: roleName, label: roleLabel, permissions: {} }) as MetaDocument}
        onApplied={(roleName) => {
          // The users' role pickers (RolesPage's roles) offer the new role at once, without a reload.
          void client.invalidateQueries({ queryKey: ['admin', 'roles-page'] });
          void client.invalidateQueries({ queryKey: ['admin', 'roles'] }).then(() => setName(roleName));
        }}
      />
      {role && (
        <Space wrap>
          {/* The dashboard the role's users land on at "/", over the installed template's home. */}
          <label htmlFor="roles-home">{t('roles.homeDashboard')}</label>
          <Select id="roles-home" style={{ width: 320 }} allowClear placeholder={t('roles.homeDashboardNone')} loading={dashboards.isPending}
            value={role.homeDashboard} onChange={(v?: string) => setRole(withHome(role, v))}
            options={(dashboards.data ?? []).map((d) => ({ value: d.name, label: `${label((d['title'] ?? d['label']) as never, d.name)} (${d.name})` }))} />
        </Space>
      )}
      {role && (
        <ResponsiveTable size="small" pagination={false} scroll={{ x: true }} rowKey="name" dataSource={entities.map((e) => ({ name: e.name, e }))}
          columns={[
            // Kept on one line: squeezed on a phone, a Chinese label broke one character per line.
            { title: t('roles.entity'), render: (_, r) => `${label(r.e['label'] as never, r.name)}`, fixed: 'left', onCell: () => ({ style: { whiteSpace: 'nowrap' } }), onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
            {
              title: t('roles.create'),
              render: (_, r) => <Checkbox aria-label={t('roles.cell', { entity: entityLabel(r.name), action: t('roles.create') })} checked={role.permissions?.[r.name]?.create === true} onChange={(ev) => setRole(withGrant(role, r.name, { create: ev.target.checked }))} />,
            },
            ...scoped.map((action) => ({
              title: t(`roles.${action}`),
              render: (_: unknown, r: { name: string }) => (
                <Select size="small" style={{ width: 110 }} aria-label={t('roles.cell', { entity: entityLabel(r.name), action: t(`roles.${action}`) })} value={String(role.permissions?.[r.name]?.[action] ?? false)}
                  onChange={(v) => setRole(withGrant(role, r.name, { [action]: v === 'false' ? false : (v as Scope) }))}
                  options={scopes.map((s) => ({ value: String(s), label: scopeLabel(s) }))} />
              ),
            })),
            {
              title: t('roles.fields'),
              render: (_, r) => {
                const g = role.permissions?.[r.name];
                // The fields this role cannot see: those set to hidden and, with hidden as the default, those not set at all.
                const hidden = Object.keys((r.e['fields'] ?? {}) as Record<string, unknown>).filter((f) => (g?.fields?.[f] ?? g?.defaultFieldAccess ?? 'edit') === 'hidden').length;
                return <Button size="small" onClick={() => setFieldsOf(r.name)} aria-label={t('roles.fieldsOf', { entity: entityLabel(r.name) })}>{t('roles.fieldSummary', { access: t(`roles.access_${g?.defaultFieldAccess ?? 'edit'}`), hidden })}</Button>;
              },
            },
          ]} />
      )}
      <Drawer open={entity !== undefined} onClose={() => setFieldsOf(undefined)} title={t('roles.fieldsTitle', { entity: entity ? label(entity['label'] as never, entity.name) : '' })} size={480}>
        {entity && role && fieldsOf && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <label htmlFor="roles-default-access">{t('roles.defaultAccess')}</label>
              <Select id="roles-default-access" style={{ width: 140 }} value={grant.defaultFieldAccess ?? 'edit'} onChange={(v: Access) => setRole(withGrant(role, fieldsOf, { defaultFieldAccess: v === 'edit' ? undefined : v } as Partial<Grant>))}
                options={(['hidden', 'read', 'edit'] as const).map((a) => ({ value: a, label: t(`roles.access_${a}`) }))} />
            </Space>
            <ResponsiveTable size="small" pagination={false} rowKey="field" dataSource={Object.entries((entity['fields'] ?? {}) as Record<string, { label?: never }>).map(([field, f]) => ({ field, f }))}
              columns={[
                { title: t('roles.field'), render: (_, r) => `${label(r.f.label, r.field)} (${r.field})` },
                {
                  title: t('roles.access'),
                  render: (_, r) => (
                    <Select size="small" style={{ width: 140 }} aria-label={t('roles.accessOf', { field: label(r.f.label, r.field) })} value={grant.fields?.[r.field] ?? ''}
                      onChange={(v: Access | '') => {
                        const fields = { ...(grant.fields ?? {}) };
                        if (v === '') delete fields[r.field];
                        else fields[r.field] = v;
                        setRole(withGrant(role, fieldsOf, { fields: Object.keys(fields).length ? fields : undefined } as Partial<Grant>));
                      }}
                      options={[{ value: '', label: t('roles.asDefault') }, ...(['hidden', 'read', 'edit'] as const).map((a) => ({ value: a, label: t(`roles.access_${a}`) }))]} />
                  ),
                },
              ]} />
          </Space>
        )}
      </Drawer>
      <Modal open={report !== undefined} title={t('roles.dryRunTitle')} onCancel={() => setReport(undefined)} onOk={() => void apply()} okText={t('roles.apply')} cancelText={t('roles.cancel')} okButtonProps={{ disabled: !report?.valid, loading: busy }}>
        {report && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert type={report.valid ? 'success' : 'error'} showIcon message={report.valid ? t('roles.valid') : t('roles.invalid')} />
            <List size="small" dataSource={report.changes} renderItem={(c) => <List.Item>{c.kind} · {c.name} · {c.action}</List.Item>} />
            {report.issues.map((i) => <Typography.Text key={`${i.kind}${i.name}${i.path}`} type="danger">/{i.kind}/{i.name}{i.path} {i.message}</Typography.Text>)}
          </Space>
        )}
      </Modal>
    </Space>
  );
}
