/**
 * The leader's dashboard: every figure comes from the server's KPI API (src/app/kpi-dashboard.ts),
 * its formula shown on hover exactly as the server states it; the browser computes none. The
 * figures cover the viewer's own subtree. A Shenzhen district map, the volume trend, the channel
 * and type mix, the top categories and a sortable ranking that drills down district → street →
 * community. `?screen=1` is the big-screen mode (dark, full window, refreshing every minute).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Breadcrumb, Button, Card, Col, ConfigProvider, DatePicker, Empty, Row, Segmented, Skeleton, Space, Statistic, Table, Tooltip, Typography, theme as antTheme } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'wouter';
import districts from 'virtual:shenzhen-districts';
import { errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { REFRESH_EVENT } from '../staff/Inbox.tsx';
import { useSession } from '../staff/session.tsx';
import { EChart, echarts } from './EChart.tsx';
import { CARD_FIGURES, figureText, pct, type Districts, type FigureKey, type Formulas, type Mix, type Ranking, type Summary, type Trend, type UnitBrief } from './kpi-api.ts';

if (districts) echarts.registerMap('shenzhen', districts as never);

const REFRESH_MS = 60_000;
type MapMetric = 'volume' | 'resolutionRate' | 'satisfactionRate';

interface Data { summary: Summary; trend: Trend; mix: Mix; ranking: Ranking; districts: Districts }

function FigureCard({ k, summary, formulas, big }: { k: FigureKey; summary: Summary; formulas: Formulas; big?: boolean }) {
  const { t, lang } = useI18n();
  const f = summary.figures[k];
  const def = formulas.figures[k];
  const detail = f?.kind === 'rate' ? `${f.numerator} / ${f.denominator}` : null;
  return (
    <Tooltip title={<div><div>{def.formula[lang]}</div>{detail && <div style={{ marginTop: 4 }}>{detail}</div>}</div>}>
      <Card size="small" hoverable tabIndex={0} aria-label={`${def.label[lang]} ${figureText(f)}. ${def.formula[lang]}`} data-testid={`kpi-${k}`}>
        <Statistic title={def.label[lang]} value={figureText(f)} styles={{ content: { fontSize: big ? 34 : 24, fontWeight: 700 } }} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{detail ?? (f?.kind === 'rate' && f.value === null ? t('d.noData') : '\u00a0')}</Typography.Text>
      </Card>
    </Tooltip>
  );
}

export default function Dashboard({ bigScreen = false }: { bigScreen?: boolean }) {
  const { t, lang } = useI18n();
  const { call, session } = useSession();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const [path, setPath] = useState<UnitBrief[]>([]);
  const [sort, setSort] = useState<{ key: FigureKey; order: 'asc' | 'desc' }>({ key: 'volume', order: 'desc' });
  const [metric, setMetric] = useState<MapMetric>('volume');
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stamp, setStamp] = useState(0);
  const unitCode = path.at(-1)?.code;

  const load = useCallback(async () => {
    const p = new URLSearchParams({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
    const u = unitCode ? `&unitCode=${encodeURIComponent(unitCode)}` : '';
    const [summary, trend, mix, ranking, dist] = await Promise.all([
      call<Summary>(`/api/v1/kpi/summary?${p}${u}`),
      call<Trend>(`/api/v1/kpi/trend?${p}${u}&interval=${range[1].diff(range[0], 'day') > 62 ? 'week' : 'day'}`),
      call<Mix>(`/api/v1/kpi/mix?${p}${u}`),
      call<Ranking>(`/api/v1/kpi/units?${p}${unitCode ? `&parentCode=${encodeURIComponent(unitCode)}` : ''}&sort=${sort.key}&order=${sort.order}`),
      call<Districts>(`/api/v1/kpi/districts?${p}`),
    ]);
    setData({ summary, trend, mix, ranking, districts: dist });
    setError(null);
  }, [call, range, unitCode, sort]);

  useEffect(() => {
    load().catch((e) => setError(errorText(t, e)));
  }, [load, stamp, t]);
  useEffect(() => {
    const again = () => setStamp((n) => n + 1);
    const timer = setInterval(again, REFRESH_MS);
    window.addEventListener(REFRESH_EVENT, again);
    return () => {
      clearInterval(timer);
      window.removeEventListener(REFRESH_EVENT, again);
    };
  }, []);

  const dark = bigScreen;
  const text = dark ? '#e6e6e6' : '#333';
  const trendOption = useMemo(() => data && {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: text } },
    grid: { left: 40, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: data.trend.buckets.map((b) => b.start.slice(5)), axisLabel: { color: text } },
    yAxis: [{ type: 'value', minInterval: 1, axisLabel: { color: text } }, { type: 'value', min: 0, max: 100, axisLabel: { color: text, formatter: '{value}%' } }],
    series: [
      { name: data.summary.formulas.figures.volume.label[lang], type: 'bar', data: data.trend.buckets.map((b) => b.volume), itemStyle: { color: '#c8102e' } },
      { name: data.summary.formulas.figures.resolutionRate.label[lang], type: 'line', yAxisIndex: 1, smooth: true, connectNulls: true,
        data: data.trend.buckets.map((b) => (b.resolutionRate.value === null ? null : +(b.resolutionRate.value * 100).toFixed(1))) },
    ],
  }, [data, lang, text]);

  const channelOption = useMemo(() => data && {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    series: [{ type: 'pie', radius: ['40%', '70%'], label: { color: text },
      data: data.mix.channels.filter((c) => c.count > 0).map((c) => ({ name: c.label[lang], value: c.count })) }],
  }, [data, lang, text]);

  const categoryOption = useMemo(() => data && {
    tooltip: { trigger: 'axis' },
    grid: { left: 90, right: 20, top: 10, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: text } },
    yAxis: { type: 'category', inverse: true, data: data.mix.categories.map((c) => c.name), axisLabel: { color: text } },
    series: [{ type: 'bar', data: data.mix.categories.map((c) => c.count), itemStyle: { color: '#d46b08' } }],
  }, [data, text]);

  const mapOption = useMemo(() => {
    if (!data || !districts) return null;
    const byAdcode = new Map(data.districts.items.map((d) => [String(d.adcode ?? d.code), d]));
    const values = (districts as { features: { properties: { adcode: string; name: string } }[] }).features.map((f) => {
      const d = byAdcode.get(f.properties.adcode);
      const fig = d?.figures[metric];
      const v = !fig ? null : fig.kind === 'rate' ? (fig.value === null ? null : +(fig.value * 100).toFixed(1)) : fig.value;
      return { name: f.properties.name, value: v };
    });
    const max = Math.max(1, ...values.map((v) => v.value ?? 0));
    return {
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}: ${Number.isFinite(p.value) ? (metric === 'volume' ? p.value : `${p.value}%`) : t('d.noData')}` },
      visualMap: { min: 0, max: metric === 'volume' ? max : 100, left: 8, bottom: 8, calculable: true, text: [t('d.high'), t('d.low')], textStyle: { color: text },
        inRange: { color: ['#fde8ea', '#f29aa7', '#c8102e', '#7a0a1c'] } },
      series: [{ type: 'map', map: 'shenzhen', roam: false, label: { show: true, fontSize: 11, color: dark ? '#fff' : '#222' }, data: values,
        emphasis: { label: { show: true } }, itemStyle: { borderColor: '#fff' } }],
    };
  }, [data, metric, t, text, dark]);

  const figuresColumns = (['volume', 'resolutionRate', 'responseRate', 'satisfactionRate', 'signOnTimeRate'] as FigureKey[]).map((k) => ({
    title: (
      <Tooltip title={data?.summary.formulas.figures[k].formula[lang]}>{data?.summary.formulas.figures[k].label[lang] ?? k}</Tooltip>
    ),
    key: k,
    sorter: true,
    sortOrder: sort.key === k ? (sort.order === 'asc' ? 'ascend' as const : 'descend' as const) : null,
    render: (_: unknown, r: Ranking['items'][number]) => figureText(r.figures[k]),
  }));

  const content = (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            <Typography.Title level={bigScreen ? 2 : 4} style={{ margin: 0 }} data-testid="dash-title">
              {(data?.summary.unit?.name ?? '') + t('d.title')}
            </Typography.Title>
            <Breadcrumb items={[
              { title: <a onClick={() => setPath([])} href="#" role="button">{t('d.myScope')}</a> },
              ...path.map((u, i) => ({ title: <a onClick={(e) => { e.preventDefault(); setPath(path.slice(0, i + 1)); }} href="#">{u.name}</a> })),
            ]} />
          </Space>
          <Space wrap>
            <DatePicker.RangePicker value={range} allowClear={false} aria-label={t('d.period')}
              presets={[7, 30, 90, 365].map((n) => ({ label: t('d.lastDays', { n }), value: [dayjs().subtract(n - 1, 'day'), dayjs()] as [Dayjs, Dayjs] }))}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
            <Button onClick={() => setStamp((n) => n + 1)}>{t('d.refresh')}</Button>
            {bigScreen ? (
              <>
                <Button onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>{t('d.fullscreen')}</Button>
                <Link href="/dashboard">{t('d.exitScreen')}</Link>
              </>
            ) : <Link href="/dashboard?screen=1">{t('d.bigScreen')}</Link>}
          </Space>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      {!data && !error && <Card><Skeleton active /></Card>}
      {data && (
        <>
          <Row gutter={[12, 12]}>
            {CARD_FIGURES.map((k) => (
              <Col key={k} flex="1 1 150px">
                <FigureCard k={k} summary={data.summary} formulas={data.summary.formulas} big={bigScreen} />
              </Col>
            ))}
          </Row>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{data.summary.formulas.clockNote[lang]}</Typography.Text>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('d.map')} extra={
                <Segmented size="small" value={metric} onChange={(v) => setMetric(v as MapMetric)} options={(['volume', 'resolutionRate', 'satisfactionRate'] as const).map((k) => ({ value: k, label: data.summary.formulas.figures[k].label[lang] }))} />
              }>
                {mapOption ? <EChart option={mapOption} height={bigScreen ? 520 : 380} label={t('d.map')} theme={dark ? 'dark' : undefined} /> : <Empty description={t('d.noMap')} />}
                <Typography.Text type="secondary" style={{ fontSize: 11 }}>{t('d.mapCredit')}</Typography.Text>
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('d.trend')}>
                {trendOption && <EChart option={trendOption} height={bigScreen ? 520 : 380} label={t('d.trend')} theme={dark ? 'dark' : undefined} />}
              </Card>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Card size="small" title={t('d.channels')}>
                {data.mix.volume === 0 ? <Empty description={t('d.noData')} /> : channelOption && <EChart option={channelOption} height={280} label={t('d.channels')} theme={dark ? 'dark' : undefined} />}
              </Card>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Card size="small" title={t('d.types')}>
                <Space size="large" wrap>
                  <Statistic title={t('d.complaints')} value={data.mix.complaints.count} suffix={<small>({pct(data.mix.complaints.share)})</small>} />
                  <Statistic title={t('d.praise')} value={data.mix.praise.count} suffix={<small>({pct(data.mix.praise.share)})</small>} />
                </Space>
                <Table size="small" pagination={false} rowKey="type" style={{ marginTop: 8 }} dataSource={data.mix.types} columns={[
                  { title: t('s.col.type'), key: 'l', render: (_, r) => r.label[lang] },
                  { title: t('d.count'), dataIndex: 'count', key: 'c' },
                  { title: t('d.share'), key: 's', render: (_, r) => pct(r.share) },
                ]} />
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card size="small" title={t('d.categories')}>
                {data.mix.categories.length === 0 ? <Empty description={t('d.noData')} /> : categoryOption && <EChart option={categoryOption} height={280} label={t('d.categories')} theme={dark ? 'dark' : undefined} />}
              </Card>
            </Col>
          </Row>
          <Card size="small" title={`${t('d.ranking')}${data.ranking.parent ? ` · ${data.ranking.parent.name}` : ''}`}>
            <Table size="small" rowKey="code" pagination={false} scroll={{ x: 720 }} dataSource={data.ranking.items}
              locale={{ emptyText: <Empty description={t('d.noUnits')} /> }}
              onChange={(_p, _f, s) => {
                const one = Array.isArray(s) ? s[0] : s;
                if (one?.columnKey && one.order) setSort({ key: one.columnKey as FigureKey, order: one.order === 'ascend' ? 'asc' : 'desc' });
              }}
              columns={[
                {
                  title: t('d.unit'), key: 'name', fixed: 'left' as const,
                  render: (_: unknown, r: Ranking['items'][number]) => (r.hasChildren
                    ? <a href="#" onClick={(e) => { e.preventDefault(); setPath([...path, r]); }} data-testid="drill">{r.name}</a>
                    : r.name),
                },
                ...figuresColumns,
              ]} />
          </Card>
        </>
      )}
    </Space>
  );

  if (!bigScreen) return content;
  return (
    <ConfigProvider theme={{ algorithm: antTheme.darkAlgorithm, token: { colorPrimary: '#ff4d6a' } }}>
      <div style={{ minHeight: '100vh', background: 'radial-gradient(circle at 20% 0%, #3a0d16, #0b0f1a 60%)', padding: 16, color: '#eee' }} data-testid="big-screen">
        {session && content}
      </div>
    </ConfigProvider>
  );
}
