/** 局长信箱 of the bureaus: the open ones (public list), and opening, editing or closing one (admin). */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Form, Input, List, Space, Switch } from 'antd';
import { api, errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from '../staff/session.tsx';
import { UnitPicker } from '../staff/UnitPicker.tsx';

interface Mailbox { unitCode: string; unitName: string; title: string; intro: string | null }

export function Mailboxes() {
  const { t } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [items, setItems] = useState<Mailbox[]>([]);
  const [form] = Form.useForm();
  const load = useCallback(() => api<{ items: Mailbox[] }>('/api/v1/mailboxes').then((r) => setItems(r.items), () => undefined), []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form form={form} layout="vertical" style={{ maxWidth: 560 }} initialValues={{ open: true }} onFinish={async (v: { unitCode: string; title: string; intro?: string; open: boolean }) => {
        try {
          await call(`/api/v1/units/${encodeURIComponent(v.unitCode)}/mailbox`, { method: 'PUT', body: { title: v.title, intro: v.intro || undefined, open: v.open } });
          void message.success(t('s.done'));
          void load();
        } catch (e) {
          void message.error(errorText(t, e));
        }
      }}>
        <Form.Item name="unitCode" label={t('a.mail.bureau')} rules={[{ required: true, message: t('err.required') }]}><UnitPicker /></Form.Item>
        <Form.Item name="title" label={t('a.mail.title')} rules={[{ required: true, message: t('err.required') }]}><Input maxLength={60} /></Form.Item>
        <Form.Item name="intro" label={t('a.mail.intro')}><Input.TextArea maxLength={2000} autoSize={{ minRows: 2 }} /></Form.Item>
        <Form.Item name="open" label={t('a.mail.open')} valuePropName="checked"><Switch /></Form.Item>
        <Button type="primary" htmlType="submit">{t('a.mail.save')}</Button>
      </Form>
      <List size="small" header={t('a.mail.openOnes')} dataSource={items} renderItem={(m) => (
        <List.Item actions={[<a key="o" onClick={() => form.setFieldsValue({ unitCode: m.unitCode, title: m.title, intro: m.intro ?? '', open: true })}>{t('a.mail.editIt')}</a>]}>
          <List.Item.Meta title={m.title} description={`${m.unitName} · ${m.unitCode}`} />
        </List.Item>
      )} />
    </Space>
  );
}
