// First run: the one-time link the server prints leads here; the administrator created is signed in.

import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { createFirstAdmin } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { setServerErrors } from '../records/field-errors.ts';
import { AuthCard } from './AuthCard.tsx';

interface SetupValues {
  email: string;
  name?: string;
  password: string;
}

export default function SetupPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [form] = Form.useForm<SetupValues>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: SetupValues) => {
    setBusy(true);
    setError(undefined);
    try {
      await createFirstAdmin(token, { email: values.email, password: values.password, ...(values.name ? { name: values.name } : {}) });
      await refresh();
      void navigate('/', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setError(t('auth.setupGone'));
      else if (e instanceof ApiError && e.details.length > 0) setServerErrors(form, e.details);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthCard title={t('auth.setupTitle')}>
      <Typography.Paragraph>{t('auth.setupIntro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('auth.email')} name="email" rules={[{ required: true, message: t('auth.required') }]}>
          <Input type="email" autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t('auth.name')} name="name">
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item label={t('auth.password')} name="password" extra={t('auth.passwordHint')} rules={[{ required: true, message: t('auth.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('auth.setupSubmit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
