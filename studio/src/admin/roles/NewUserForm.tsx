// Adds a user from the studio (POST /api/users): e-mail, name, a first password the admin hands
// over, roles and teams. The server's reasons (a taken e-mail, a password too easy to guess) show
// beside their fields, in the UI language.

import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { createUser, type NewUser } from '../../api/people.ts';

const fieldNames = ['email', 'name', 'password', 'roles', 'teams'] as const;

export function NewUserForm({ roleOptions, teamOptions }: { roleOptions: { value: string; label: string }[]; teamOptions: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<NewUser>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: NewUser) => {
    setBusy(true);
    try {
      const created = await createUser({ email: values.email.trim(), ...(values.name?.trim() ? { name: values.name.trim() } : {}), password: values.password, roles: values.roles ?? [], teams: values.teams ?? [] });
      form.resetFields();
      void message.success(t('roles.userAdded', { user: created.name ?? created.email }));
      await client.invalidateQueries({ queryKey: ['admin', 'users'] });
    } catch (e) {
      if (e instanceof ApiError) {
        // Each reason beside its field; one naming no field of the form goes into a message.
        const byField = new Map<string, string[]>();
        const loose: string[] = [];
        for (const d of e.details) {
          const field = fieldNames.find((f) => d.path === `/${f}` || d.path.startsWith(`/${f}/`));
          if (field) byField.set(field, [...(byField.get(field) ?? []), d.message]);
          else loose.push(d.message);
        }
        form.setFields([...byField].map(([name, errors]) => ({ name: name as keyof NewUser, errors })));
        if (byField.size === 0 || loose.length > 0) void message.error([e.message, ...loose].join(' — '));
      } else void message.error(String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" aria-label={t('roles.addUser')} onFinish={(v) => void submit(v)} style={{ maxWidth: 520 }} data-testid="new-user">
      <Form.Item name="email" label={t('roles.userEmail')} rules={[{ required: true, message: t('wfDesigner.required') }, { type: 'email', message: t('roles.userEmailInvalid') }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={t('roles.userName')}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="password" label={t('roles.userPassword')} extra={t('roles.userPasswordHelp')} rules={[{ required: true, message: t('wfDesigner.required') }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="roles" label={t('roles.roles')}>
        <Select mode="multiple" options={roleOptions} optionFilterProp="label" />
      </Form.Item>
      <Form.Item name="teams" label={t('roles.teams')}>
        <Select mode="multiple" options={teamOptions} />
      </Form.Item>
      <Button htmlType="submit" type="primary" loading={busy}>{t('roles.addUser')}</Button>
    </Form>
  );
}
