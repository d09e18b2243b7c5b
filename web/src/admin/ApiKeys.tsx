/** Open311 API keys for partner systems: issue (the key is shown this once), list, revoke. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { errorText } from '../api.ts';
import { fmtTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from '../staff/session.tsx';

interface Key { id: string; name: string; prefix: string; createdAt: string; revokedAt: string | null; lastUsedAt: string | null }

export function ApiKeys() {
  const { t, lang } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Key[] | null>(null);
  const [fresh, setFresh] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => call<{ items: Key[] }>('/api/v1/admin/api-keys').then((r) => setRows(r.items), (e) => setError(errorText(t, e))), [call, t]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form layout="inline" onFinish={async (v: { name: string }) => {
        try {
          const k = await call<{ key: string }>('/api/v1/admin/api-keys', { body: v });
          setFresh(k.key);
          void load();
        } catch (e) {
          void message.error(errorText(t, e));
        }
      }}>
        <Form.Item name="name" label={t('a.keys.partner')} rules={[{ required: true, message: t('err.required') }]}><Input maxLength={80} /></Form.Item>
        <Button type="primary" htmlType="submit">{t('a.keys.add')}</Button>
      </Form>
      {fresh && <Alert type="success" showIcon title={t('a.keys.once')} description={<Typography.Text copyable code>{fresh}</Typography.Text>} closable onClose={() => setFresh(null)} />}
      {error && <Alert type="error" showIcon title={error} />}
      <Table<Key> rowKey="id" size="small" loading={!rows && !error} dataSource={rows ?? []} scroll={{ x: 600 }} columns={[
        { title: t('a.keys.partner'), dataIndex: 'name' },
        { title: t('a.keys.prefix'), key: 'p', render: (_, k) => <code>{k.prefix}…</code> },
        { title: t('s.col.created'), key: 'c', render: (_, k) => fmtTime(k.createdAt, lang) },
        { title: t('a.keys.used'), key: 'u', render: (_, k) => fmtTime(k.lastUsedAt, lang) },
        {
          title: t('a.users.state'), key: 's', render: (_, k) => (k.revokedAt ? <Tag>{t('a.keys.revoked')}</Tag> : (
            <Popconfirm title={t('a.keys.revokeQ')} onConfirm={() => call(`/api/v1/admin/api-keys/${k.id}`, { method: 'DELETE' }).then(load, (e) => message.error(errorText(t, e)))}>
              <Button size="small" danger>{t('a.keys.revoke')}</Button>
            </Popconfirm>
          )),
        },
      ]} />
    </Space>
  );
}
