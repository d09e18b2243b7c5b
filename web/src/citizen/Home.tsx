import { Link } from 'wouter';
import { useT } from '../i18n.tsx';
import { Shell } from './Shell.tsx';

export function Home() {
  const t = useT();
  return (
    <Shell>
      <div className="c-hero">
        <h1>{t('c.home.title')}</h1>
        <p>{t('c.home.intro')}</p>
      </div>
      <nav className="c-tiles" aria-label={t('c.home.nav')}>
        <Link href="/submit" className="c-tile"><strong>{t('c.home.submit')}</strong><span>{t('c.home.submitHint')}</span></Link>
        <Link href="/mailboxes" className="c-tile"><strong>{t('c.home.mailboxes')}</strong><span>{t('c.home.mailboxesHint')}</span></Link>
        <Link href="/track" className="c-tile"><strong>{t('c.home.track')}</strong><span>{t('c.home.trackHint')}</span></Link>
        <a href="/staff" className="c-tile"><strong>{t('c.home.staff')}</strong><span>{t('c.home.staffHint')}</span></a>
      </nav>
    </Shell>
  );
}
