/**
 * The staff side (Ant Design): login, the workbench (inbox and case detail), the operator's desk,
 * the leader's dashboard and administration. Desk, dashboard and admin are chunks of their own.
 */
import { Suspense, lazy, useEffect } from 'react';
import { App as AntApp, ConfigProvider, Layout, Menu, Button, Dropdown, Space, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { Link, Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { useI18n } from '../i18n.tsx';
import { Loading } from '../Loading.tsx';
import { SessionProvider, useSession, type Me } from './session.tsx';
import { Login } from './Login.tsx';
import { Inbox } from './Inbox.tsx';
import { CaseDetail } from './CaseDetail.tsx';
import { Bell } from './Bell.tsx';

const OperatorDesk = lazy(() => import('./OperatorDesk.tsx'));
const Dashboard = lazy(() => import('../dashboard/Dashboard.tsx'));
const AdminPage = lazy(() => import('../admin/AdminPage.tsx'));
const Problems = lazy(() => import('./Problems.tsx'));

/** Where each role starts. Which pages exist for whom is navigation only: the API decides access. */
const HOME: Record<Me['role'], string> = { operator: '/', handler: '/', leader: '/dashboard', admin: '/admin', auditor: '/admin' };

function menuFor(role: Me['role']): { key: string; labelKey: 'nav.inbox' | 'nav.desk' | 'nav.dashboard' | 'nav.problems' | 'nav.admin' }[] {
  const reads = role === 'operator' || role === 'handler' || role === 'leader';
  return [
    ...(reads ? [{ key: '/', labelKey: 'nav.inbox' as const }] : []),
    ...(role === 'operator' ? [{ key: '/desk', labelKey: 'nav.desk' as const }] : []),
    ...(reads ? [{ key: '/dashboard', labelKey: 'nav.dashboard' as const }] : []),
    ...(reads ? [{ key: '/problems', labelKey: 'nav.problems' as const }] : []),
    ...(role === 'admin' ? [{ key: '/admin', labelKey: 'nav.admin' as const }] : []),
  ];
}

function Frame({ children }: { children: React.ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { session, logout } = useSession();
  const [location] = useLocation();
  const me = session!.me;
  const items = menuFor(me.role).map((m) => ({ key: m.key, label: <Link href={m.key}>{t(m.labelKey)}</Link> }));
  const selected = items.map((i) => i.key).filter((k) => (k === '/' ? location === '/' || location.startsWith('/cases') : location.startsWith(k)));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 12, padding: '0 12px', background: '#8c0b1f' }}>
        <Link href={HOME[me.role]} style={{ color: '#fff', fontWeight: 700, whiteSpace: 'nowrap' }}>{t('app.name')}</Link>
        <Menu theme="dark" mode="horizontal" selectedKeys={selected} items={items} style={{ flex: 1, minWidth: 0, background: 'transparent' }} />
        <Space size="small">
          {me.role !== 'admin' && me.role !== 'auditor' && <Bell />}
          <Button size="small" ghost onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{lang === 'zh' ? 'EN' : '中文'}</Button>
          <Dropdown menu={{ items: [{ key: 'out', label: t('nav.logout'), onClick: logout }] }} trigger={['click']}>
            <Button size="small" type="text" style={{ color: '#fff' }} aria-label={t('nav.account')}>
              <Typography.Text ellipsis style={{ color: '#fff', maxWidth: 140 }}>{me.displayName}</Typography.Text>
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 'clamp(8px, 2vw, 24px)' }}>
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </Layout.Content>
    </Layout>
  );
}

function Pages() {
  const { session } = useSession();
  const { t } = useI18n();
  const [location] = useLocation();
  const screen = new URLSearchParams(useSearch()).has('screen');
  useEffect(() => {
    document.title = `${t('s.title')} · ${t('app.name')}`;
  }, [t]);
  if (!session) {
    return location === '/login' ? <Login /> : <Redirect to="/login" replace />;
  }
  const role = session.me.role;
  const home = HOME[role];
  return (
    <Switch>
      <Route path="/login"><Redirect to={home} replace /></Route>
      <Route path="/dashboard">
        {screen ? <Suspense fallback={<Loading />}><Dashboard bigScreen /></Suspense> : <Frame><Dashboard /></Frame>}
      </Route>
      <Route>
        <Frame>
          <Switch>
            <Route path="/">{role === 'admin' || role === 'auditor' ? <Redirect to={home} replace /> : <Inbox />}</Route>
            <Route path="/cases/:id">{(p) => <CaseDetail id={p.id} />}</Route>
            <Route path="/desk"><OperatorDesk /></Route>
            <Route path="/problems"><Problems /></Route>
            <Route path="/admin/:tab?"><AdminPage /></Route>
            <Route><Typography.Title level={3}>{t('c.notFound')}</Typography.Title></Route>
          </Switch>
        </Frame>
      </Route>
    </Switch>
  );
}

export default function StaffApp() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#c8102e', borderRadius: 6 } }}>
      <AntApp>
        <SessionProvider>
          <Pages />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
