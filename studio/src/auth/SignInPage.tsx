// Sign-in: e-mail and password; the server sets the session cookie and gives the CSRF token.

import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { signIn } from '../api/auth.ts';
import { useSession } from '../app/session.tsx';
import { AuthCard } from './AuthCard.tsx';

export function SignInPage() {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn(values.email, values.password);
      await refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthCard title={t('auth.signInTitle')}>
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('auth.email')} name="email" rules={[{ required: true, message: t('auth.required') }]}>
          <Input type="email" autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t('auth.password')} name="password" rules={[{ required: true, message: t('auth.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('auth.signIn')}
        </Button>
      </Form>
    </AuthCard>
  );
}
