/** The citizen H5: home, the three submission pages, and tracking. Plain React and citizen.css. */
import './citizen.css';
import { Link, Route, Switch } from 'wouter';
import { useI18n } from '../i18n.tsx';
import { Shell } from './Shell.tsx';
import { Home } from './Home.tsx';
import { QrPage } from './QrPage.tsx';
import { MailboxPage, MailboxesPage } from './Mailboxes.tsx';
import { GeneralPage } from './GeneralPage.tsx';
import { TrackPage } from './TrackPage.tsx';

function NotFound() {
  const { t } = useI18n();
  return (
    <Shell title={t('c.notFound')}>
      <div className="c-hero"><h1>{t('c.notFound')}</h1></div>
      <div className="c-card"><Link href="/">{t('c.backHome')}</Link></div>
    </Shell>
  );
}

export default function CitizenApp() {
  return (
    <Switch>
      <Route path="/"><Home /></Route>
      <Route path="/r/:unitCode">{(p) => <QrPage unitCode={p.unitCode} />}</Route>
      <Route path="/submit"><GeneralPage /></Route>
      <Route path="/mailboxes"><MailboxesPage /></Route>
      <Route path="/mailboxes/:unitCode">{(p) => <MailboxPage unitCode={p.unitCode} />}</Route>
      <Route path="/track"><TrackPage /></Route>
      <Route path="/track/:trackingNo">{(p) => <TrackPage trackingNo={p.trackingNo} />}</Route>
      <Route><NotFound /></Route>
    </Switch>
  );
}
