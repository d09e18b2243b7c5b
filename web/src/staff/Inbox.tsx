/**
 * The workbench inbox: tabs over the server's list filters with their counts, rows with live
 * clock countdowns, filters (unit subtree, category, channel, type, dates) and a quick find in
 * the loaded rows. Live notifications refresh it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, DatePicker, Empty, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { Link, useLocation, useSearch } from 'wouter';
import { CASE_TYPES, CHANNELS } from '@domain/case.ts';
import { errorText } from '../api.ts';
import { fmtTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { Countdown } from './Countdown.tsx';
import { useMe, useSession } from './session.tsx';
import { UnitPicker } from './UnitPicker.tsx';
import type { CaseSummary, Page } from './types.ts';

type TabKey = 'new' | 'toSign' | 'open' | 'soon' | 'overdue' | 'resolved' | 'closed';
const TABS: { key: TabKey; q: Record<string, string> }[] = [
  { key: 'new', q: { statusCategory: 'new' } },
  { key: 'toSign', q: { status: 'dispatched' } },
  { key: 'open', q: { statusCategory: 'open' } },
  { key: 'soon', q: { due: 'soon' } },
  { key: 'overdue', q: { due: 'overdue' } },
  { key: 'resolved', q: { statusCategory: 'resolved' } },
  { key: 'closed', q: { statusCategory: 'closed' } },
];
const COUNT_LIMIT = 200;

interface Filters { unitCode?: string; category?: string; channel?: string; type?: string; from?: string; to?: string }

const qs = (o: Record<string, string | undefined>) => new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => !!e[1])).toString();

/** A refresh signal: notifications and actions elsewhere ask the lists to reload. */
export const REFRESH_EVENT = 'suqiu:refresh';

export function Inbox() {
  const { t, lang } = useI18n();
  const { call } = useSession();
  const search = useSearch();
  const [, navigate] = useLocation();
  const me = useMe();
  // Operators start with what awaits dispatch, everyone else with what awaits signing.
  const tab = (new URLSearchParams(search).get('tab') as TabKey | null) ?? (me.role === 'operator' ? 'new' : 'toSign');
  const [filters, setFilters] = useState<Filters>({});
  const [rows, setRows] = useState<CaseSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [counts, setCounts] = useState<Partial<Record<TabKey, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [find, setFind] = useState('');
  const [tick, setTick] = useState(0);
  const base = useMemo(() => qs(filters as Record<string, string>), [filters]);

  useEffect(() => {
    const again = () => setTick((n) => n + 1);
    window.addEventListener(REFRESH_EVENT, again);
    return () => window.removeEventListener(REFRESH_EVENT, again);
  }, []);

  const load = useCallback(async (after: string | null) => {
    const q = TABS.find((x) => x.key === tab)!.q;
    const page = await call<Page<CaseSummary>>(`/api/v1/cases?${qs({ ...q, cursor: after ?? undefined, limit: '50' })}${base ? `&${base}` : ''}`);
    setRows((prev) => (after && prev ? [...prev, ...page.items] : page.items));
    setCursor(page.nextCursor);
  }, [call, tab, base]);

  useEffect(() => {
    setError(null);
    setRows(null);
    load(null).catch((e) => setError(errorText(t, e)));
  }, [load, tick, t]);

  useEffect(() => {
    let live = true;
    // Each tab's count is the length of its own list (capped): the same filters, the same scope.
    Promise.all(TABS.map(async ({ key, q }) => {
      const page = await call<Page<CaseSummary>>(`/api/v1/cases?${qs({ ...q, limit: String(COUNT_LIMIT) })}${base ? `&${base}` : ''}`);
      return [key, page.nextCursor ? `${COUNT_LIMIT}+` : String(page.items.length)] as const;
    })).then((c) => live && setCounts(Object.fromEntries(c)), () => undefined);
    return () => {
      live = false;
    };
  }, [call, base, tick]);

  const shown = useMemo(() => {
    const f = find.trim().toLowerCase();
    return !rows || !f ? rows : rows.filter((r) => r.trackingNo.toLowerCase().includes(f) || r.content.toLowerCase().includes(f) || (r.address ?? '').toLowerCase().includes(f));
  }, [rows, find]);

  const columns = [
    {
      title: t('s.col.no'), dataIndex: 'trackingNo', key: 'no', width: 190,
      render: (no: string, r: CaseSummary) => <Link href={`/cases/${r.id}`} data-testid="case-link">{no}</Link>,
    },
    { title: t('s.col.type'), key: 'type', width: 80, render: (_: unknown, r: CaseSummary) => <Tag>{t.label('type', r.type, r.typeLabel)}</Tag> },
    {
      title: t('s.col.content'), dataIndex: 'content', key: 'content', ellipsis: true,
      render: (c: string, r: CaseSummary) => (
        <span>
          {r.supervised && <Tag color="magenta">{t('s.supervised')}</Tag>}
          {r.groupSize && r.groupSize > 1 ? <Tag color="volcano">{t('s.group', { n: r.groupSize })}</Tag> : null}
          {c}
        </span>
      ),
    },
    { title: t('s.col.unit'), key: 'unit', width: 150, ellipsis: true, render: (_: unknown, r: CaseSummary) => r.leadUnit?.name ?? r.intakeUnit?.name ?? '—' },
    { title: t('s.col.status'), key: 'status', width: 100, render: (_: unknown, r: CaseSummary) => <Tag color="blue">{t.label('status', r.status, r.statusLabel)}</Tag> },
    {
      title: t('s.col.clock'), key: 'clock', width: 210,
      render: (_: unknown, r: CaseSummary) => {
        const next = [...(r.dueClocks ?? [])].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
        return next ? <Countdown dueAt={next.dueAt} label={t.label('clock', next.name, next.label)} soon={r.due === 'soon'} /> : <Typography.Text type="secondary">—</Typography.Text>;
      },
    },
    { title: t('s.col.created'), dataIndex: 'createdAt', key: 'created', width: 150, render: (v: string) => fmtTime(v, lang) },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('s.filters')}>
        <Space wrap>
          <UnitPicker value={filters.unitCode} onChange={(unitCode) => setFilters((f) => ({ ...f, unitCode }))} placeholder={t('s.f.unit')} style={{ width: 220 }} allowClear />
          <Input aria-label={t('s.f.category')} placeholder={t('s.f.category')} allowClear style={{ width: 140 }}
            onPressEnter={(e) => setFilters((f) => ({ ...f, category: (e.target as HTMLInputElement).value.trim() || undefined }))}
            onChange={(e) => !e.target.value && setFilters((f) => ({ ...f, category: undefined }))} />
          <Select aria-label={t('s.f.channel')} placeholder={t('s.f.channel')} allowClear style={{ width: 130 }} value={filters.channel}
            onChange={(channel) => setFilters((f) => ({ ...f, channel }))} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
          <Select aria-label={t('s.f.type')} placeholder={t('s.f.type')} allowClear style={{ width: 110 }} value={filters.type}
            onChange={(type) => setFilters((f) => ({ ...f, type }))} options={CASE_TYPES.map((c) => ({ value: c, label: t(`type.${c}`) }))} />
          <DatePicker.RangePicker aria-label={t('s.f.dates')} onChange={(v: [Dayjs | null, Dayjs | null] | null) => setFilters((f) => ({
            ...f, from: v?.[0]?.startOf('day').toISOString(), to: v?.[1]?.endOf('day').toISOString(),
          }))} />
          <Input.Search aria-label={t('s.f.find')} placeholder={t('s.f.find')} allowClear style={{ width: 220 }} value={find} onChange={(e) => setFind(e.target.value)} />
        </Space>
      </Card>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs activeKey={tab} onChange={(k) => navigate(`/?tab=${k}`)} items={TABS.map(({ key }) => ({
          key,
          label: (
            <span data-testid={`tab-${key}`}>
              {t(`s.tab.${key}`)} <Badge count={counts[key] ?? '…'} showZero overflowCount={9999} color={key === 'overdue' ? '#cf1322' : key === 'soon' ? '#d46b08' : '#8c8c8c'} />
            </span>
          ),
        }))} />
        {error && <Alert type="error" title={error} showIcon role="alert" />}
        <Table<CaseSummary> rowKey="id" size="middle" columns={columns} dataSource={shown ?? []} loading={!rows && !error} pagination={false}
          scroll={{ x: 900 }} locale={{ emptyText: <Empty description={t('s.empty')} /> }}
          onRow={(r) => ({ onDoubleClick: () => navigate(`/cases/${r.id}`) })} />
        {cursor && <Button block style={{ marginTop: 12 }} onClick={() => load(cursor).catch((e) => setError(errorText(t, e)))}>{t('s.more')}</Button>}
      </Card>
    </Space>
  );
}
