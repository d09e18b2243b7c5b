/**
 * 共性问题: the common problems in the reader's scope (GET /api/v1/problems), and one of them in a
 * drawer — what it is, cases a week before and since the fix, its history and cases — with the
 * leader's decisions drawn from its `allowedActions`. Every rule is the server's.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Input, Modal, Select, Space, Statistic, Table, Tag, Timeline, Typography } from 'antd';
import { Link } from 'wouter';
import { errorText } from '../api.ts';
import { fmtTime } from '../format.ts';
import { useI18n, type Key } from '../i18n.tsx';
import { useSession } from './session.tsx';

type Status = 'proposed' | 'confirmed' | 'fixed' | 'dismissed';
type Action = 'confirm' | 'rename' | 'fix' | 'reopen' | 'dismiss';
interface Period { from: string; to: string; count: number; perWeek: number; weekly: { from: string; to: string; count: number }[] }
interface Problem {
  id: string; status: Status; statusLabel: string; name: string; suggestedName: string; category: string; categoryName: string;
  unit: { code: string; name: string }; keyTerms: { term: string; cases: number }[]; caseCount: number;
  firstSeenAt: string | null; lastSeenAt: string | null; fixedAt: string | null; fixNote: string | null; dismissReason: string | null;
  allowedActions: Action[];
}
interface Detail extends Problem {
  figures: { weeks: number; fixedAt: string | null; before: Period; after: Period | null; change: number | null };
  history: { at: string; action: string; by: string; byName?: string; name?: string; note?: string; reason?: string }[];
  cases: { id: string; trackingNo: string; status: string; content: string; createdAt: string; via: string; representative: boolean }[];
  casesNotListed: number;
}

const STATUS_COLOR: Record<Status, string> = { proposed: 'gold', confirmed: 'blue', fixed: 'green', dismissed: 'default' };
/** The field each action asks for. */
const FIELD: Record<Action, { name: 'name' | 'note' | 'reason'; label: Key; required: boolean } | null> = {
  confirm: { name: 'name', label: 'pr.name', required: false }, rename: { name: 'name', label: 'pr.name', required: true },
  fix: { name: 'note', label: 'pr.fixNote', required: true }, reopen: { name: 'note', label: 'field.note', required: true },
  dismiss: { name: 'reason', label: 'pr.dismissReason', required: true },
};

function Weekly({ title, p }: { title: string; p: Period }) {
  const { t } = useI18n();
  const max = Math.max(1, ...p.weekly.map((w) => w.count));
  return (
    <div style={{ flex: 1, minWidth: 220 }}>
      <Statistic title={title} value={p.count} suffix={<small>· {t('pr.perWeek', { n: p.perWeek })}</small>} />
      <div aria-label={t('pr.weekly')} style={{ display: 'flex', alignItems: 'flex-end', gap: 3, height: 48, marginTop: 6 }}>
        {p.weekly.map((w) => (
          <div key={w.from} title={`${w.from.slice(0, 10)}: ${w.count}`} style={{ flex: 1, background: '#c8102e', opacity: 0.75, height: `${(w.count / max) * 100}%`, minHeight: 2 }} />
        ))}
      </div>
    </div>
  );
}

function ProblemDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [p, setP] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acting, setActing] = useState<Action | null>(null);
  const [form] = Form.useForm<{ name?: string; note?: string; reason?: string; fixedAt?: { toISOString(): string } }>();
  useEffect(() => {
    call<Detail>(`/api/v1/problems/${id}`).then(setP, (e) => setError(errorText(t, e)));
  }, [call, id, t]);
  const submit = async (v: { name?: string; note?: string; reason?: string; fixedAt?: { toISOString(): string } }) => {
    if (!acting) return;
    const body = Object.fromEntries(Object.entries({ ...v, fixedAt: v.fixedAt?.toISOString() }).filter(([, x]) => x !== undefined && x !== ''));
    try {
      setP(await call<Detail>(`/api/v1/problems/${id}/actions/${acting}`, { method: 'POST', body }));
      setActing(null);
      void message.success(t('s.done'));
      onChanged();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  const f = p?.figures;
  const field = acting ? FIELD[acting] : null;
  return (
    <Drawer open size={680} title={p?.name ?? t('pr.title')} onClose={onClose}>
      {error && <Alert type="error" showIcon title={error} />}
      {p && f && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <Tag color={STATUS_COLOR[p.status]}>{t.label('pr.status', p.status, p.statusLabel)}</Tag>
            {p.allowedActions.map((a) => (
              <Button key={a} size="small" type={a === 'confirm' || a === 'fix' ? 'primary' : 'default'} danger={a === 'dismiss'}
                onClick={() => { form.resetFields(); if (a === 'confirm' || a === 'rename') form.setFieldsValue({ name: p.name }); setActing(a); }}>
                {t(`pr.act.${a}` as Key)}
              </Button>
            ))}
          </Space>
          <Descriptions size="small" column={1} items={[
            { key: 'u', label: t('pr.unit'), children: p.unit.name },
            { key: 'c', label: t('pr.category'), children: p.categoryName },
            { key: 'k', label: t('pr.keyTerms'), children: p.keyTerms.map((k) => <Tag key={k.term}>{k.term}</Tag>) },
            { key: 'n', label: t('pr.cases'), children: `${p.caseCount} · ${fmtTime(p.firstSeenAt, lang)} – ${fmtTime(p.lastSeenAt, lang)}` },
            ...(p.fixedAt ? [{ key: 'f', label: t('pr.fixedAt'), children: `${fmtTime(p.fixedAt, lang)} · ${p.fixNote ?? ''}` }] : []),
            ...(p.dismissReason ? [{ key: 'd', label: t('pr.dismissReason'), children: p.dismissReason }] : []),
          ]} />
          <Space wrap align="start" style={{ width: '100%' }}>
            <Weekly title={f.after ? t('pr.before') : t('pr.lastWeeks', { n: f.weeks })} p={f.before} />
            {f.after && <Weekly title={t('pr.after')} p={f.after} />}
            {f.change !== null && <Statistic title={t('pr.change')} value={`${f.change > 0 ? '+' : ''}${Math.round(f.change * 100)}%`} styles={{ content: { color: f.change <= 0 ? '#389e0d' : '#cf1322' } }} />}
          </Space>
          <Typography.Title level={5}>{t('pr.history')}</Typography.Title>
          <Timeline items={p.history.map((h) => ({
            key: `${h.at}-${h.action}`,
            content: <span>{fmtTime(h.at, lang)} · {t.has(`pr.act.${h.action}`) ? t(`pr.act.${h.action}` as Key) : h.action} · {h.byName ?? (h.by === 'system' ? t('pr.system') : h.by)}{h.name ? ` · ${h.name}` : ''}{h.note ? ` · ${h.note}` : ''}{h.reason ? ` · ${h.reason}` : ''}</span>,
          }))} />
          <Typography.Title level={5}>{t('pr.cases')}</Typography.Title>
          <Table size="small" rowKey="id" pagination={{ pageSize: 20 }} dataSource={p.cases} columns={[
            { title: t('pr.seen'), dataIndex: 'createdAt', render: (v: string) => fmtTime(v, lang), width: 150 },
            { title: '#', dataIndex: 'trackingNo', render: (v: string, c) => <Link href={`/cases/${c.id}`}>{v}</Link> },
            { title: t('field.content'), dataIndex: 'content', render: (v: string, c) => <span>{c.representative && <Tag color="red">★</Tag>}{v.length > 60 ? `${v.slice(0, 60)}…` : v}</span> },
          ]} />
          {p.casesNotListed > 0 && <Typography.Text type="secondary">{t('pr.hidden', { n: p.casesNotListed })}</Typography.Text>}
        </Space>
      )}
      <Modal open={acting !== null} title={acting ? t(`pr.act.${acting}` as Key) : ''} onCancel={() => setActing(null)} onOk={() => form.submit()} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={submit}>
          {field && (
            <Form.Item name={field.name} label={t(field.label)} rules={field.required ? [{ required: true, message: t('err.required') }] : []}>
              {field.name === 'name' ? <Input maxLength={80} /> : <Input.TextArea rows={3} maxLength={2000} />}
            </Form.Item>
          )}
          {acting === 'fix' && <Form.Item name="fixedAt" label={t('pr.fixedAt')}><DatePicker showTime /></Form.Item>}
        </Form>
      </Modal>
    </Drawer>
  );
}

export default function Problems() {
  const { t, lang } = useI18n();
  const { call, session } = useSession();
  const { message } = App.useApp();
  const [status, setStatus] = useState<Status[]>(['proposed', 'confirmed', 'fixed']);
  const [rows, setRows] = useState<Problem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const load = useCallback(() => call<{ items: Problem[] }>(`/api/v1/problems?limit=200${status.length ? `&status=${status.join(',')}` : ''}`)
    .then((r) => setRows(r.items), (e) => setError(errorText(t, e))), [call, status, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const run = async () => {
    try {
      const r = await call<{ proposed: unknown[] }>('/api/v1/problems/run', { method: 'POST', body: {} });
      void message.success(t('pr.ran', { n: r.proposed.length }));
      await load();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('pr.title')}</Typography.Title>
      <Typography.Text type="secondary">{t('pr.hint')}</Typography.Text>
      <Space wrap>
        <Select mode="multiple" style={{ minWidth: 280 }} value={status} onChange={setStatus} aria-label={t('pr.status')}
          options={(['proposed', 'confirmed', 'fixed', 'dismissed'] as const).map((s) => ({ value: s, label: t(`pr.status.${s}`) }))} />
        {session?.me.role === 'leader' && <Button onClick={run}>{t('pr.run')}</Button>}
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<Problem> rowKey="id" size="small" loading={!rows && !error} dataSource={rows ?? []} scroll={{ x: 800 }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })} columns={[
          { title: t('pr.name'), dataIndex: 'name' },
          { title: t('pr.status'), dataIndex: 'status', render: (s: Status, r) => <Tag color={STATUS_COLOR[s]}>{t.label('pr.status', s, r.statusLabel)}</Tag>, width: 100 },
          { title: t('pr.unit'), key: 'u', render: (_, r) => r.unit.name, width: 120 },
          { title: t('pr.category'), dataIndex: 'categoryName', width: 120 },
          { title: t('pr.cases'), dataIndex: 'caseCount', width: 90, align: 'right' },
          { title: t('pr.seen'), key: 's', render: (_, r) => `${fmtTime(r.firstSeenAt, lang).slice(0, 10)} – ${fmtTime(r.lastSeenAt, lang).slice(0, 10)}`, width: 200 },
        ]} />
      {open && <ProblemDrawer id={open} onClose={() => setOpen(null)} onChanged={() => void load()} />}
    </Space>
  );
}
