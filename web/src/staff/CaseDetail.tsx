/**
 * One case: what was asked, by whom (masked; an audited reveal when the server allows it), the
 * units, the clocks with live countdowns, the files, the timeline, and the actions the server
 * allows (`allowedActions`).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Empty, List, Row, Select, Skeleton, Space, Table, Tag, Timeline, Typography, Upload } from 'antd';
import { Link } from 'wouter';
import { errorText } from '../api.ts';
import { fmtSpan, fmtTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { ActionButtons } from './ActionForms.tsx';
import { Countdown } from './Countdown.tsx';
import { IntelCard } from './IntelCard.tsx';
import { REFRESH_EVENT } from './Inbox.tsx';
import { useSession } from './session.tsx';
import type { CaseView, Clock } from './types.ts';

interface Attachment { id: string; filename: string; mime: string; size: number; purpose: string; createdAt: string }

function Reveal({ c, field, onRevealed }: { c: CaseView; field: 'name' | 'phone'; onRevealed: () => void }) {
  const { t } = useI18n();
  const { call } = useSession();
  const { modal, message } = App.useApp();
  const [value, setValue] = useState<string | null>(null);
  if (value !== null) return <Typography.Text strong data-testid={`revealed-${field}`}>{value || '—'}</Typography.Text>;
  if (!c.allowedActions.includes('reveal')) return null;
  return (
    <Button size="small" type="link" data-testid={`reveal-${field}`} onClick={() => modal.confirm({
      title: t('s.reveal.title'), content: t('s.reveal.audit'), okText: t('common.confirm'), cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const r = await call<{ value: string | null }>(`/api/v1/cases/${c.id}/actions/reveal`, { body: { field } });
          setValue(r.value ?? '');
          onRevealed();
        } catch (e) {
          void message.error(errorText(t, e));
        }
      },
    })}>{t('s.reveal.show')}</Button>
  );
}

function Files({ c }: { c: CaseView }) {
  const { t, lang } = useI18n();
  const { call, session } = useSession();
  const { message } = App.useApp();
  const [items, setItems] = useState<Attachment[] | null>(null);
  const [purpose, setPurpose] = useState<'reply' | 'internal'>('internal');
  const load = useCallback(() => call<{ items: Attachment[] }>(`/api/v1/cases/${c.id}/attachments`).then((r) => setItems(r.items), () => setItems([])), [call, c.id]);
  useEffect(() => {
    void load();
  }, [load, c.updatedAt]);
  async function open(a: Attachment) {
    try {
      const res = await fetch(`/api/v1/cases/${c.id}/attachments/${a.id}`, { headers: { authorization: `Bearer ${session?.token}` } });
      if (!res.ok) throw new Error(String(res.status));
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = a.filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      void message.error(errorText(t, e));
    }
  }
  return (
    <Card size="small" title={t('s.files')} extra={c.allowedActions.includes('attach') && (
      <Space size="small">
        <Select size="small" value={purpose} onChange={setPurpose} aria-label={t('s.files.purpose')} style={{ width: 120 }}
          options={[{ value: 'internal', label: t('s.files.internal') }, { value: 'reply', label: t('s.files.reply') }]} />
        <Upload showUploadList={false} accept="image/jpeg,image/png,image/webp,image/heic,application/pdf" customRequest={async ({ file, onSuccess, onError }) => {
          const form = new FormData();
          form.append('purpose', purpose);
          form.append('file', file as File);
          try {
            await call(`/api/v1/cases/${c.id}/attachments`, { method: 'POST', body: form });
            onSuccess?.({});
            void message.success(t('s.files.added'));
            void load();
          } catch (e) {
            onError?.(e as Error);
            void message.error(errorText(t, e));
          }
        }}>
          <Button size="small">{t('s.files.add')}</Button>
        </Upload>
      </Space>
    )}>
      {!items ? <Skeleton active paragraph={{ rows: 1 }} /> : items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('s.files.none')} /> : (
        <List size="small" dataSource={items} renderItem={(a) => (
          <List.Item actions={[<Button key="o" size="small" type="link" onClick={() => void open(a)}>{t('s.files.download')}</Button>]}>
            <List.Item.Meta title={a.filename} description={`${Math.ceil(a.size / 1024)} KB · ${a.purpose === 'reply' ? t('s.files.reply') : a.purpose === 'internal' ? t('s.files.internal') : t('s.files.citizen')} · ${fmtTime(a.createdAt, lang)}`} />
          </List.Item>
        )} />
      )}
    </Card>
  );
}

function Clocks({ clocks }: { clocks: Clock[] }) {
  const { t, lang } = useI18n();
  const started = clocks.filter((k) => k.startedAt);
  return (
    <Card size="small" title={t('s.clocks')}>
      {started.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('s.clocks.none')} /> : (
        <Table<Clock> size="small" rowKey="name" pagination={false} dataSource={started} columns={[
          { title: t('s.clocks.name'), key: 'n', render: (_, k) => t.label('clock', k.name, k.label) },
          { title: t('s.clocks.due'), key: 'd', render: (_, k) => fmtTime(k.dueAt, lang) },
          {
            title: t('s.clocks.state'), key: 's', render: (_, k) => {
              if (k.metAt) return <Tag color={k.onTime ? 'green' : 'red'}>{k.onTime ? t('s.clocks.metOnTime') : t('s.clocks.metLate')}</Tag>;
              if (k.cancelledAt) return <Tag>{t.label('clockState', 'cancelled')}</Tag>;
              return <Countdown dueAt={k.dueAt} paused={k.state === 'paused'} />;
            },
          },
          { title: t('s.clocks.paused'), key: 'p', render: (_, k) => (k.pausedMs > 0 ? fmtSpan(k.pausedMs, lang) : '—') },
        ]} />
      )}
    </Card>
  );
}

export function CaseDetail({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [c, setC] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => call<CaseView>(`/api/v1/cases/${encodeURIComponent(id)}`).then(setC, (e) => setError(errorText(t, e))), [call, id, t]);
  useEffect(() => {
    void load();
  }, [load]);
  if (error) return <Alert type="error" showIcon title={error} action={<Link href="/">{t('s.back')}</Link>} role="alert" />;
  if (!c) return <Card><Skeleton active /></Card>;
  const payloadText = (p: Record<string, unknown> | null) => {
    if (!p) return null;
    const text = ['reply', 'message', 'note', 'reason', 'content', 'comment'].map((k) => p[k]).find((v) => typeof v === 'string');
    const names = new Map([c.intakeUnit, c.leadUnit, ...c.coUnits].filter((u) => !!u).map((u) => [u!.code, u!.name]));
    const unit = typeof p.unitCode === 'string' ? names.get(p.unitCode) ?? p.unitCode : null;
    return [unit && `→ ${unit}`, text as string | undefined].filter(Boolean).join(' ');
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap align="center">
            <Link href="/">← {t('s.back')}</Link>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-no">{c.trackingNo}</Typography.Title>
            <Tag color="blue" data-testid="case-status">{t.label('status', c.status, c.statusLabel)}</Tag>
            <Tag>{t.label('type', c.type, c.typeLabel)}</Tag>
            <Tag>{t(`channel.${c.channel}` as never)}</Tag>
            {c.urgency !== 'normal' && <Tag color="red">{t.label('enum.urgency', c.urgency)}</Tag>}
            {c.supervised && <Tag color="magenta">{t('s.supervised')}</Tag>}
          </Space>
          <ActionButtons c={c} onDone={(v) => {
            setC(v);
            void message.success(t('s.done'));
            window.dispatchEvent(new Event(REFRESH_EVENT));
          }} />
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Card size="small" title={t('s.request')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.content}</Typography.Paragraph>
              <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={[
                { key: 'addr', label: t('field.address'), children: c.address ?? '—' },
                { key: 'cat', label: t('s.f.category'), children: c.category ?? '—' },
                { key: 'name', label: t('field.citizen.name'), children: c.citizen.anonymous ? t('s.anonymous') : <Space size={4}><span data-testid="masked-name">{c.citizen.name ?? '—'}</span>{c.citizen.name && <Reveal c={c} field="name" onRevealed={load} />}</Space> },
                { key: 'phone', label: t('field.citizen.phone'), children: c.citizen.anonymous ? '—' : <Space size={4}><span data-testid="masked-phone">{c.citizen.phone ?? '—'}</span>{c.citizen.phone && <Reveal c={c} field="phone" onRevealed={load} />}</Space> },
                { key: 'intake', label: t('s.intakeUnit'), children: c.intakeUnit?.name ?? '—' },
                { key: 'lead', label: t('s.leadUnit'), children: c.leadUnit?.name ?? '—' },
                ...(c.coUnits.length ? [{ key: 'co', label: t('s.coUnits'), children: c.coUnits.map((u) => u?.name).join('、') }] : []),
                ...(c.mergedCases?.length ? [{ key: 'merged', label: t('s.mergedCases'), children: (
                  <Space size={4} wrap>{c.mergedCases.map((m) => <Link key={m.id} href={`/cases/${m.id}`}>{m.trackingNo}</Link>)}</Space>
                ) }] : []),
                ...(c.groupSize ? [{ key: 'g', label: t('s.groupSize'), children: `${c.groupSize}${c.amount ? ` · ¥${c.amount.toLocaleString()}` : ''}` }] : []),
                { key: 'created', label: t('s.col.created'), children: fmtTime(c.createdAt, lang) },
              ]} />
            </Card>
            {c.reply && (
              <Card size="small" title={t('c.track.reply')}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="case-reply">{c.reply}</Typography.Paragraph>
                {c.rating && <Typography.Text type="secondary">{t('c.track.rated', { resolved: c.rating.resolved ? t('common.yes') : t('common.no'), satisfied: c.rating.satisfied ? t('common.yes') : t('common.no') })}{c.rating.comment ? ` · ${c.rating.comment}` : ''}</Typography.Text>}
              </Card>
            )}
            <Card size="small" title={t('c.track.timeline')}>
              <Timeline items={c.timeline.map((e) => ({
                key: e.seq,
                color: e.action.startsWith('clock_breach') ? 'red' : e.action.startsWith('clock_') ? 'orange' : 'blue',
                content: (
                  <div>
                    <Typography.Text strong>{t.label('action', e.action, e.label)}</Typography.Text>{' '}
                    <Typography.Text type="secondary">{fmtTime(e.at, lang)} · {e.actor.name ?? t.label('role', e.actor.role)}</Typography.Text>
                    {payloadText(e.payload) && <div style={{ whiteSpace: 'pre-wrap' }}>{payloadText(e.payload)}</div>}
                  </div>
                ),
              }))} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Clocks clocks={c.clocks ?? []} />
            <IntelCard c={c} onChanged={load} />
            <Files c={c} />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
