/**
 * Administration: the org tree (adding sites under a community), accounts and roles, clock
 * policies and the work calendar, duty rosters, QR sheets, Open311 API keys, bureau mailboxes, the category catalogue.
 * Each tab talks to its own admin API; the server checks who may do what.
 */
import { Card, Tabs } from 'antd';
import { useLocation, useParams } from 'wouter';
import { useI18n } from '../i18n.tsx';
import { OrgTree } from './OrgTree.tsx';
import { Users } from './Users.tsx';
import { ClockPolicies } from './ClockPolicies.tsx';
import { Rosters } from './Rosters.tsx';
import { QrSheets } from './QrSheets.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { Mailboxes } from './Mailboxes.tsx';
import { Categories } from './Categories.tsx';

const TABS = ['org', 'users', 'clocks', 'rosters', 'qr', 'keys', 'mailboxes', 'categories'] as const;
type Tab = (typeof TABS)[number];

export default function AdminPage() {
  const { t } = useI18n();
  const params = useParams<{ tab?: string }>();
  const [, navigate] = useLocation();
  const tab: Tab = TABS.includes(params.tab as Tab) ? (params.tab as Tab) : 'org';
  const body: Record<Tab, React.ReactNode> = {
    org: <OrgTree />, users: <Users />, clocks: <ClockPolicies />, rosters: <Rosters />, qr: <QrSheets />, keys: <ApiKeys />, mailboxes: <Mailboxes />, categories: <Categories />,
  };
  return (
    <Card>
      <Tabs activeKey={tab} onChange={(k) => navigate(`/admin/${k}`)} destroyOnHidden
        items={TABS.map((k) => ({ key: k, label: t(`a.tab.${k}`), children: body[k] }))} />
    </Card>
  );
}
