/** Staff accounts and roles (GET/POST /api/v1/admin/users). Passwords are set here once, never shown again. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Select, Space, Table, Tag } from 'antd';
import { errorText } from '../api.ts';
import { fmtTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from '../staff/session.tsx';
import { UnitPicker } from '../staff/UnitPicker.tsx';

interface User { id: string; username: string; displayName: string; role: string; unitCode: string; unitName: string; disabled: boolean; lockedUntil: string | null; createdAt: string }
const ROLES = ['operator', 'handler', 'leader', 'admin', 'auditor'];

export function Users() {
  const { t, lang } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [rows, setRows] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const load = useCallback(() => call<{ items: User[] }>('/api/v1/admin/users').then((r) => setRows(r.items), (e) => setError(errorText(t, e))), [call, t]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form form={form} layout="inline" onFinish={async (v) => {
        try {
          await call('/api/v1/admin/users', { body: v });
          void message.success(t('s.done'));
          form.resetFields();
          void load();
        } catch (e) {
          void message.error(errorText(t, e));
        }
      }} style={{ rowGap: 8 }}>
        <Form.Item name="username" label={t('s.login.username')} rules={[{ required: true, message: t('err.required') }]}><Input autoComplete="off" /></Form.Item>
        <Form.Item name="displayName" label={t('a.users.name')}><Input /></Form.Item>
        <Form.Item name="role" label={t('a.users.role')} rules={[{ required: true, message: t('err.required') }]}>
          <Select style={{ width: 120 }} options={ROLES.map((r) => ({ value: r, label: t.label('role', r) }))} />
        </Form.Item>
        <Form.Item name="unitCode" label={t('field.unitCode')} rules={[{ required: true, message: t('err.required') }]}><UnitPicker style={{ width: 240 }} /></Form.Item>
        <Form.Item name="password" label={t('s.login.password')} rules={[{ required: true, message: t('err.required') }]}><Input.Password autoComplete="new-password" /></Form.Item>
        <Button type="primary" htmlType="submit">{t('a.users.add')}</Button>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<User> rowKey="id" size="small" loading={!rows && !error} dataSource={rows ?? []} scroll={{ x: 720 }} columns={[
        { title: t('s.login.username'), dataIndex: 'username' },
        { title: t('a.users.name'), dataIndex: 'displayName' },
        { title: t('a.users.role'), key: 'role', render: (_, u) => <Tag>{t.label('role', u.role)}</Tag> },
        { title: t('field.unitCode'), key: 'unit', render: (_, u) => `${u.unitName} (${u.unitCode})` },
        { title: t('a.users.state'), key: 'state', render: (_, u) => (u.disabled ? <Tag>{t('a.users.disabled')}</Tag> : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? <Tag color="red">{t('a.users.locked')}</Tag> : <Tag color="green">{t('a.users.active')}</Tag>) },
        { title: t('s.col.created'), key: 'c', render: (_, u) => fmtTime(u.createdAt, lang) },
      ]} />
    </Space>
  );
}
