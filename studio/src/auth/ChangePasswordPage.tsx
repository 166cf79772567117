// Change password: the server ends every session of the user, so the studio signs in again.

import { App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { changePassword } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { setServerErrors } from '../records/field-errors.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
}

export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: Values) => {
    setBusy(true);
    try {
      await changePassword(values.currentPassword, values.newPassword);
      void message.success(t('auth.passwordChanged'));
      void navigate('/', { replace: true });
      await refresh();
    } catch (e) {
      if (e instanceof ApiError && e.details.length > 0) setServerErrors(form, e.details);
      else void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={<h1 style={{ fontSize: 20, margin: 0 }}>{t('auth.changePassword')}</h1>} style={{ maxWidth: 480 }}>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('auth.currentPassword')} name="currentPassword" rules={[{ required: true, message: t('auth.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label={t('auth.newPassword')} name="newPassword" extra={t('auth.passwordHint')} rules={[{ required: true, message: t('auth.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('auth.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}
