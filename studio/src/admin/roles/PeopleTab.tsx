// Users (their roles and teams, changed in place; a new one added with a first password) and teams (with their parent), admins only.

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Space, Tag, Typography } from 'antd';
import { SearchInput, Select } from '../../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetaDocument } from '../../api/admin-meta.ts';
import { ApiError } from '../../api/client.ts';
import { createTeam, listTeams, listUsers, updateUser, type UserSummary } from '../../api/people.ts';
import { useLanguage } from '../../app/use-language.ts';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';
import { NewUserForm } from './NewUserForm.tsx';

/** Users per page of the admin's list. */
const usersPageSize = 50;

export function PeopleTab({ roles }: { roles: MetaDocument[] }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { message } = App.useApp();
  const client = useQueryClient();
  // A page at a time, by e-mail: `after` holds where each page shown so far began, to go back.
  const [search, setSearch] = useState('');
  const [starts, setStarts] = useState<(string | undefined)[]>([undefined]);
  const after = starts[starts.length - 1];
  const users = useQuery({ queryKey: ['admin', 'users', search, after], queryFn: () => listUsers({ search, limit: usersPageSize, ...(after !== undefined ? { after } : {}) }), placeholderData: keepPreviousData });
  const teams = useQuery({ queryKey: ['admin', 'teams'], queryFn: listTeams });
  const [form] = Form.useForm<{ name: string; parent?: string }>();
  const failed = (e: unknown) => void message.error(e instanceof ApiError ? [e.message, ...e.details.map((d) => `${d.path}: ${d.message}`)].join(' — ') : String(e));
  const change = async (user: UserSummary, patch: Partial<Pick<UserSummary, 'roles' | 'teams'>>) => {
    try {
      await updateUser(user.id, patch);
      await client.invalidateQueries({ queryKey: ['admin', 'users'] });
    } catch (e) {
      failed(e);
    }
  };
  const roleOptions = roles.map((r) => ({ value: r.name, label: label(r['label'] as never, r.name) }));
  const teamOptions = (teams.data ?? []).map((x) => ({ value: x.name, label: x.name }));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Typography.Title level={2} style={{ fontSize: 18 }}>{t('roles.users')}</Typography.Title>
      <SearchInput aria-label={t('roles.searchUsers')} placeholder={t('roles.searchUsers')} allowClear style={{ maxWidth: 360 }}
        onSearch={(value) => { setSearch(value.trim()); setStarts([undefined]); }} />
      <ResponsiveTable size="small" rowKey="id" loading={users.isFetching} dataSource={users.data?.items ?? []} pagination={false} scroll={{ x: true }}
        locale={{ emptyText: t('roles.noUsersFound') }}
        columns={[
          { title: t('roles.user'), render: (_, u) => <>{u.name ?? u.email} {u.admin && <Tag color="error">{t('roles.admin')}</Tag>} {u.disabled && <Tag>{t('roles.disabled')}</Tag>}<br /><Typography.Text type="secondary">{u.email}</Typography.Text></> },
          { title: t('roles.roles'), render: (_, u) => <Select mode="multiple" size="small" style={{ minWidth: 220 }} aria-label={t('roles.rolesOf', { user: u.email })} value={u.roles} options={roleOptions} onChange={(v) => void change(u, { roles: v })} /> },
          { title: t('roles.teams'), render: (_, u) => <Select mode="multiple" size="small" style={{ minWidth: 160 }} aria-label={t('roles.teamsOf', { user: u.email })} value={u.teams} options={teamOptions} onChange={(v) => void change(u, { teams: v })} /> },
        ]} />
      {(starts.length > 1 || users.data?.next) && (
        <Space>
          <Button aria-label={t('roles.previousUsers')} disabled={starts.length === 1} onClick={() => setStarts(starts.slice(0, -1))}>{t('list.previous')}</Button>
          <span>{t('roles.usersPage', { page: starts.length })}</span>
          <Button aria-label={t('roles.nextUsers')} disabled={!users.data?.next} onClick={() => users.data?.next && setStarts([...starts, users.data.next])}>{t('list.next')}</Button>
        </Space>
      )}
      <Typography.Title level={3} style={{ fontSize: 16 }}>{t('roles.addUser')}</Typography.Title>
      <NewUserForm roleOptions={roleOptions} teamOptions={teamOptions} />
      <Typography.Title level={2} style={{ fontSize: 18 }}>{t('roles.teams')}</Typography.Title>
      <ResponsiveTable size="small" rowKey="name" loading={teams.isPending} dataSource={teams.data ?? []} pagination={false}
        columns={[{ title: t('roles.team'), dataIndex: 'name' }, { title: t('roles.parent'), dataIndex: 'parent' }]} />
      <Form form={form} layout="inline" aria-label={t('roles.addTeam')} onFinish={async (v) => {
        try {
          await createTeam(v.name, v.parent);
          form.resetFields();
          await client.invalidateQueries({ queryKey: ['admin', 'teams'] });
        } catch (e) {
          failed(e);
        }
      }}>
        <Form.Item name="name" label={t('roles.team')} rules={[{ required: true, message: t('wfDesigner.required') }]}><Input /></Form.Item>
        <Form.Item name="parent" label={t('roles.parent')}><Select allowClear style={{ width: 160 }} options={teamOptions} /></Form.Item>
        <Button htmlType="submit">{t('roles.addTeam')}</Button>
      </Form>
    </Space>
  );
}
