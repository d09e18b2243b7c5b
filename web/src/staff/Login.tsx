/** Staff login: username and password; wrong ones, a locked account and a lost network read plainly. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { ApiError, errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from './session.tsx';

export function Login() {
  const { t, lang, setLang } = useI18n();
  const { login } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: 'linear-gradient(160deg,#8c0b1f,#c8102e 60%,#f3d3d8)', padding: 16 }}>
      <Card style={{ width: 'min(380px, 100%)' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>{t('s.login.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('s.login.intro')}</Typography.Paragraph>
        <Form layout="vertical" requiredMark={false} onFinish={async (v: { username: string; password: string }) => {
          setBusy(true);
          setError(null);
          try {
            await login(v.username.trim(), v.password);
          } catch (e) {
            setError(e instanceof ApiError && e.status === 401 ? t('err.credentials') : errorText(t, e));
          } finally {
            setBusy(false);
          }
        }}>
          <Form.Item name="username" label={t('s.login.username')} rules={[{ required: true, message: t('err.required') }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('s.login.password')} rules={[{ required: true, message: t('err.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={busy}>{t('s.login.submit')}</Button>
        </Form>
        <Button type="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} style={{ padding: 0, marginTop: 12 }}>{lang === 'zh' ? 'English' : '中文'}</Button>
        {' · '}<a href="/">{t('s.login.citizen')}</a>
      </Card>
    </div>
  );
}
