/** The general submission page: no unit named, the city's center takes the request in and routes it. */
import { useT } from '../i18n.tsx';
import { Shell } from './Shell.tsx';
import { SubmitForm } from './SubmitForm.tsx';

export function GeneralPage() {
  const t = useT();
  return (
    <Shell title={t('c.home.submit')}>
      <div className="c-hero"><h1>{t('c.general.title')}</h1><p>{t('c.general.intro')}</p></div>
      <SubmitForm channel="web" />
    </Shell>
  );
}
