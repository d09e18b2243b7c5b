/**
 * Clock policies (ordered; the first that matches a case wins) and the work calendar's overrides.
 * Policies are edited as JSON: the server validates them and names the field at fault.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from '../staff/session.tsx';

interface Policy { id: string; name: string; match: Record<string, unknown>; clocks: { name: string; target: { amount: number; unit: string }; basis: string }[] }
interface Override { date: string; kind: string; name: string | null }

export function ClockPolicies() {
  const { t } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [data, setData] = useState<{ policies: Policy[]; defaults: boolean } | null>(null);
  const [overrides, setOverrides] = useState<Override[]>([]);
  const [warnings, setWarnings] = useState<unknown>(null);
  const [json, setJson] = useState('');
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const p = await call<{ policies: Policy[]; defaults: boolean }>('/api/v1/admin/clock-policies');
      setData(p);
      setJson(JSON.stringify(p.policies, null, 2));
      setOverrides((await call<{ overrides: Override[] }>('/api/v1/admin/calendar-overrides')).overrides);
      setWarnings(await call('/api/v1/admin/calendar/warnings'));
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [call, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const warnList = Array.isArray((warnings as { years?: unknown[] } | null)?.years) ? (warnings as { years: unknown[] }).years : [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} />}
      {warnList.length > 0 && <Alert type="warning" showIcon title={t('a.clocks.warn')} description={JSON.stringify(warnList)} />}
      <Card size="small" title={t('a.clocks.policies')} extra={data?.defaults && <Tag>{t('a.clocks.defaults')}</Tag>}>
        <Table<Policy> size="small" rowKey="id" pagination={false} dataSource={data?.policies ?? []} loading={!data && !error} scroll={{ x: 640 }} columns={[
          { title: '#', key: 'i', render: (_, __, i) => i + 1, width: 40 },
          { title: t('a.clocks.name'), dataIndex: 'name' },
          { title: t('a.clocks.match'), key: 'm', render: (_, p) => (Object.keys(p.match).length ? <code>{JSON.stringify(p.match)}</code> : <Tag>{t('a.clocks.any')}</Tag>) },
          { title: t('s.clocks'), key: 'c', render: (_, p) => p.clocks.map((c) => <Tag key={c.name}>{t.label('clock', c.name)} {c.target.amount}{t.label('enum.unit', c.target.unit)} · {t.label('basis', c.basis)}</Tag>) },
        ]} />
        {!editing ? <Button style={{ marginTop: 12 }} onClick={() => setEditing(true)}>{t('a.clocks.edit')}</Button> : (
          <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
            <Input.TextArea aria-label={t('a.clocks.policies')} value={json} onChange={(e) => setJson(e.target.value)} autoSize={{ minRows: 10, maxRows: 30 }} style={{ fontFamily: 'monospace' }} />
            <Space>
              <Button type="primary" onClick={async () => {
                try {
                  await call('/api/v1/admin/clock-policies', { method: 'PUT', body: { policies: JSON.parse(json) } });
                  void message.success(t('s.done'));
                  setEditing(false);
                  void load();
                } catch (e) {
                  void message.error(e instanceof SyntaxError ? t('a.clocks.badJson') : errorText(t, e));
                }
              }}>{t('a.clocks.save')}</Button>
              <Button onClick={() => { setEditing(false); setJson(JSON.stringify(data?.policies ?? [], null, 2)); }}>{t('common.cancel')}</Button>
            </Space>
            <Typography.Text type="secondary">{t('a.clocks.saveHint')}</Typography.Text>
          </Space>
        )}
      </Card>
      <Card size="small" title={t('a.clocks.calendar')}>
        <Form layout="inline" onFinish={async (v: { date: { format(f: string): string }; kind: string; name?: string }) => {
          try {
            await call('/api/v1/admin/calendar-overrides', { body: { date: v.date.format('YYYY-MM-DD'), kind: v.kind, name: v.name || undefined } });
            void message.success(t('s.done'));
            void load();
          } catch (e) {
            void message.error(errorText(t, e));
          }
        }} style={{ rowGap: 8 }}>
          <Form.Item name="date" label={t('a.clocks.date')} rules={[{ required: true, message: t('err.required') }]}><DatePicker /></Form.Item>
          <Form.Item name="kind" label={t('a.clocks.kind')} initialValue="holiday">
            <Select style={{ width: 120 }} options={[{ value: 'holiday', label: t('a.clocks.holiday') }, { value: 'workday', label: t('a.clocks.workday') }]} />
          </Form.Item>
          <Form.Item name="name" label={t('a.clocks.holidayName')}><Input maxLength={40} /></Form.Item>
          <Button htmlType="submit">{t('a.clocks.addOverride')}</Button>
        </Form>
        <List size="small" style={{ marginTop: 8 }} dataSource={overrides} locale={{ emptyText: t('a.clocks.noOverrides') }}
          renderItem={(o) => <List.Item>{o.date} · {o.kind === 'holiday' ? t('a.clocks.holiday') : t('a.clocks.workday')}{o.name ? ` · ${o.name}` : ''}</List.Item>} />
      </Card>
    </Space>
  );
}
