/** Duty rosters of a unit: the coming week's shifts, who is on duty now, adding a template (三班/24 小时). */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, InputNumber, Popconfirm, Select, Space, Table, TimePicker, Typography } from 'antd';
import dayjs from 'dayjs';
import { errorText } from '../api.ts';
import { fmtTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useMe, useSession } from '../staff/session.tsx';
import { UnitPicker } from '../staff/UnitPicker.tsx';

interface Shift { id: string; startsAt: string; endsAt: string; label: string | null; user: { username: string; displayName: string } }

export function Rosters() {
  const { t, lang } = useI18n();
  const { call } = useSession();
  const me = useMe();
  const { message } = App.useApp();
  const [unit, setUnit] = useState<string | undefined>(me.unitCode);
  const [shifts, setShifts] = useState<Shift[] | null>(null);
  const [onDuty, setOnDuty] = useState<Shift[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (!unit) return;
    setError(null);
    try {
      setShifts((await call<{ shifts: Shift[] }>(`/api/v1/units/${encodeURIComponent(unit)}/roster`)).shifts);
      setOnDuty((await call<{ onDuty: Shift[] }>(`/api/v1/units/${encodeURIComponent(unit)}/on-duty`)).onDuty);
    } catch (e) {
      setShifts([]);
      setError(errorText(t, e));
    }
  }, [call, unit, t]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <UnitPicker value={unit} onChange={setUnit} style={{ width: 300 }} aria-label={t('field.unitCode')} />
      {error && <Alert type="error" showIcon title={error} />}
      <Typography.Text>{t('a.roster.onDuty')}: {onDuty.length ? onDuty.map((s) => s.user.displayName).join('、') : t('a.roster.nobody')}</Typography.Text>
      <Card size="small" title={t('a.roster.template')}>
        <Form layout="inline" style={{ rowGap: 8 }} initialValues={{ kind: 'three_8h', date: dayjs().add(1, 'day'), start: dayjs('08:00', 'HH:mm'), days: 7 }}
          onFinish={async (v: { kind: string; date: dayjs.Dayjs; start: dayjs.Dayjs; days: number; usernames: string[] }) => {
            try {
              await call(`/api/v1/units/${encodeURIComponent(unit!)}/roster`, { body: { template: { kind: v.kind, date: v.date.format('YYYY-MM-DD'), start: v.start.format('HH:mm'), days: v.days, usernames: v.usernames } } });
              void message.success(t('s.done'));
              void load();
            } catch (e) {
              void message.error(errorText(t, e));
            }
          }}>
          <Form.Item name="kind" label={t('a.roster.kind')}>
            <Select style={{ width: 150 }} options={[{ value: 'three_8h', label: t('a.roster.three') }, { value: 'one_24h', label: t('a.roster.one') }]} />
          </Form.Item>
          <Form.Item name="date" label={t('a.clocks.date')}><DatePicker /></Form.Item>
          <Form.Item name="start" label={t('a.roster.start')}><TimePicker format="HH:mm" /></Form.Item>
          <Form.Item name="days" label={t('a.roster.days')}><InputNumber min={1} max={31} /></Form.Item>
          <Form.Item name="usernames" label={t('a.roster.people')} rules={[{ required: true, message: t('err.required') }]}>
            <Select mode="tags" style={{ minWidth: 220 }} tokenSeparators={[',', ' ']} />
          </Form.Item>
          <Button htmlType="submit" type="primary" disabled={!unit}>{t('a.roster.add')}</Button>
        </Form>
      </Card>
      <Table<Shift> size="small" rowKey="id" loading={!shifts && !error} dataSource={shifts ?? []} scroll={{ x: 600 }} columns={[
        { title: t('a.roster.from'), key: 'f', render: (_, s) => fmtTime(s.startsAt, lang) },
        { title: t('a.roster.to'), key: 't', render: (_, s) => fmtTime(s.endsAt, lang) },
        { title: t('a.roster.person'), key: 'p', render: (_, s) => `${s.user.displayName} (${s.user.username})` },
        { title: t('a.roster.label'), dataIndex: 'label' },
        {
          title: '', key: 'd', render: (_, s) => Date.parse(s.startsAt) > Date.now() && (
            <Popconfirm title={t('a.roster.delete')} onConfirm={() => call(`/api/v1/units/${encodeURIComponent(unit!)}/roster/${s.id}`, { method: 'DELETE' }).then(load, (e) => message.error(errorText(t, e)))}>
              <Button size="small" danger>{t('common.remove')}</Button>
            </Popconfirm>
          ),
        },
      ]} />
    </Space>
  );
}
