/**
 * The notifications bell: the unread count and the latest notifications, kept live by the
 * server-sent event stream (EventSource reconnects by itself and resumes after the last id).
 * A new notification pops up and asks the inbox to reload.
 */
import { useCallback, useEffect, useState } from 'react';
import { App, Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useLocation } from 'wouter';
import { fmtTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { REFRESH_EVENT } from './Inbox.tsx';
import { useSession } from './session.tsx';

interface Note { id: number; caseId: string | null; kind: string; title: string; body: string; createdAt: string; readAt?: string | null }

export function Bell() {
  const { t, lang } = useI18n();
  const { call, session } = useSession();
  const { notification } = App.useApp();
  const [, navigate] = useLocation();
  const [items, setItems] = useState<Note[]>([]);
  const [unread, setUnread] = useState(0);
  const [live, setLive] = useState(false);
  const load = useCallback(() => call<{ items: Note[]; unread: number }>('/api/v1/notifications?limit=20').then((r) => {
    setItems(r.items);
    setUnread(r.unread);
  }, () => undefined), [call]);

  useEffect(() => {
    void load();
    if (!session) return;
    const es = new EventSource(`/api/v1/notifications/stream?token=${encodeURIComponent(session.token)}`);
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    es.addEventListener('notification', (ev) => {
      const n = JSON.parse((ev as MessageEvent<string>).data) as Note;
      setItems((list) => [n, ...list.filter((x) => x.id !== n.id)].slice(0, 20));
      setUnread((u) => u + 1);
      notification.info({ title: n.title, description: n.body, placement: 'bottomRight' });
      window.dispatchEvent(new Event(REFRESH_EVENT));
    });
    return () => es.close();
  }, [session, load, notification]);

  async function open(n: Note) {
    if (!n.readAt) {
      await call<{ unread: number }>(`/api/v1/notifications/${n.id}/read`, { method: 'POST' }).then((r) => setUnread(r.unread), () => undefined);
      setItems((list) => list.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x)));
    }
    if (n.caseId) navigate(`/cases/${n.caseId}`);
  }

  const content = (
    <div style={{ width: 'min(360px, 90vw)' }}>
      {items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('s.bell.none')} /> : (
        <List size="small" dataSource={items} style={{ maxHeight: 420, overflow: 'auto' }} renderItem={(n) => (
          <List.Item onClick={() => void open(n)} style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}>
            <List.Item.Meta title={<button type="button" style={{ all: 'unset', cursor: 'pointer', fontWeight: n.readAt ? 400 : 600 }}>{n.title}</button>}
              description={<><div>{n.body}</div><Typography.Text type="secondary">{fmtTime(n.createdAt, lang)}</Typography.Text></>} />
          </List.Item>
        )} />
      )}
      {unread > 0 && (
        <Button size="small" block onClick={() => void call('/api/v1/notifications/read-all', { method: 'POST' }).then(load)}>{t('s.bell.readAll')}</Button>
      )}
    </div>
  );
  return (
    <Popover content={content} title={`${t('s.bell.title')}${live ? '' : ` · ${t('s.bell.offline')}`}`} trigger="click" placement="bottomRight">
      <Badge count={unread} size="small" offset={[-4, 4]}>
        <Button type="text" aria-label={t('s.bell.aria', { n: unread })} icon={<BellOutlined style={{ color: '#fff', fontSize: 18 }} />} data-testid="bell" />
      </Badge>
    </Popover>
  );
}
