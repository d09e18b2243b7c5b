/**
 * The category catalogue (分类管理): the shipped categories with the admin's changes and the
 * ones added here. Edit a name, group, description, keywords or usual type; deactivate or
 * reactivate; add a category under a new code. Codes never change: cases store them.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, AutoComplete, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from '../staff/session.tsx';

interface Category {
  code: string; name: string; description: string; group: string; keywords: string[]; caseType: string;
  metadata: boolean; active: boolean; shipped: boolean; updatedAt: string | null;
}
type Fields = Pick<Category, 'code' | 'name' | 'description' | 'group' | 'keywords' | 'caseType'>;

const CASE_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise'];

export function Categories() {
  const { t } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Category[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The category being edited, `'new'` when adding one, null when the dialog is closed. */
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [form] = Form.useForm<Fields>();
  const load = useCallback(() => call<{ items: Category[] }>('/api/v1/categories?includeInactive=true').then((r) => setRows(r.items), (e) => setError(errorText(t, e))), [call, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const put = async (code: string, body: object) => {
    try {
      await call(`/api/v1/admin/categories/${encodeURIComponent(code)}`, { method: 'PUT', body });
      void message.success(t('s.done'));
      await load();
      return true;
    } catch (e) {
      void message.error(errorText(t, e));
      return false;
    }
  };
  const open = (c: Category | 'new') => {
    form.resetFields();
    if (c !== 'new') form.setFieldsValue({ code: c.code, name: c.name, description: c.description, group: c.group, keywords: c.keywords, caseType: c.caseType });
    setEditing(c);
  };
  const groups = [...new Set((rows ?? []).map((c) => c.group))];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button type="primary" onClick={() => open('new')}>{t('a.cat.add')}</Button>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<Category> rowKey="code" size="small" loading={!rows && !error} dataSource={rows ?? []} scroll={{ x: 800 }} pagination={false} columns={[
        { title: t('a.cat.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
        { title: t('a.cat.name'), dataIndex: 'name' },
        { title: t('a.cat.group'), dataIndex: 'group' },
        { title: t('field.type'), key: 'ty', render: (_, c) => t.label('type', c.caseType) },
        { title: t('a.cat.keywords'), key: 'k', render: (_, c) => c.keywords.join('、') },
        {
          title: t('a.users.state'), key: 's', render: (_, c) => (
            <Space size="small">
              {c.active ? <Tag color="green">{t('a.cat.active')}</Tag> : <Tag>{t('a.cat.inactive')}</Tag>}
              {!c.shipped && <Tag color="blue">{t('a.cat.added')}</Tag>}
            </Space>
          ),
        },
        {
          title: '', key: 'a', render: (_, c) => (
            <Space size="small">
              <Button size="small" onClick={() => open(c)}>{t('a.cat.edit')}</Button>
              {c.active ? (c.code !== 'other' && (
                <Popconfirm title={t('a.cat.deactivateQ')} onConfirm={() => put(c.code, { active: false })}>
                  <Button size="small" danger>{t('a.cat.deactivate')}</Button>
                </Popconfirm>
              )) : <Button size="small" onClick={() => void put(c.code, { active: true })}>{t('a.cat.activate')}</Button>}
            </Space>
          ),
        },
      ]} />
      <Modal open={editing !== null} title={editing === 'new' ? t('a.cat.add') : `${t('a.cat.edit')} · ${editing?.code ?? ''}`}
        onCancel={() => setEditing(null)} onOk={() => form.submit()} okText={t('common.confirm')} cancelText={t('common.cancel')} forceRender>
        <Form form={form} layout="vertical" onFinish={async ({ code, ...v }) => {
          const body = { ...v, description: v.description ?? '', keywords: v.keywords ?? [] };
          if (await put(editing === 'new' ? code : (editing as Category).code, body)) setEditing(null);
        }}>
          {editing === 'new' && (
            <Form.Item name="code" label={t('a.cat.code')} extra={t('a.cat.codeHint')}
              rules={[{ required: true, message: t('err.required') }, { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('a.cat.codeHint') }]}>
              <Input maxLength={40} />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('a.cat.name')} rules={[{ required: true, message: t('err.required') }, { max: 20 }]}><Input maxLength={20} /></Form.Item>
          <Form.Item name="group" label={t('a.cat.group')} rules={[{ required: true, message: t('err.required') }, { max: 20 }]}>
            <AutoComplete options={groups.map((g) => ({ value: g }))} maxLength={20} />
          </Form.Item>
          <Form.Item name="caseType" label={t('field.type')} rules={[{ required: true, message: t('err.required') }]} initialValue="help">
            <Select options={CASE_TYPES.map((k) => ({ value: k, label: t.label('type', k) }))} />
          </Form.Item>
          <Form.Item name="description" label={t('a.cat.description')} rules={[{ max: 200 }]}><Input.TextArea rows={2} maxLength={200} /></Form.Item>
          <Form.Item name="keywords" label={t('a.cat.keywords')}><Select mode="tags" tokenSeparators={[',', '，', '、']} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
