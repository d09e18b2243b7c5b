/** 局长信箱: the open mailboxes of the bureaus, and writing a letter to one of them. */
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { api, errorText } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Loading } from '../Loading.tsx';
import { Shell } from './Shell.tsx';
import { SubmitForm } from './SubmitForm.tsx';

interface Mailbox { unitCode: string; unitName: string; title: string; intro: string | null }

function useMailboxes() {
  const t = useT();
  const [items, setItems] = useState<Mailbox[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ items: Mailbox[] }>('/api/v1/mailboxes').then((r) => setItems(r.items), (e) => setError(errorText(t, e)));
  }, [t]);
  return { items, error };
}

export function MailboxesPage() {
  const t = useT();
  const { items, error } = useMailboxes();
  return (
    <Shell title={t('c.mail.title')}>
      <div className="c-hero"><h1>{t('c.mail.title')}</h1><p>{t('c.mail.intro')}</p></div>
      <div className="c-card">
        {error && <div className="c-err" role="alert">{error}</div>}
        {!items && !error && <Loading />}
        {items?.length === 0 && <p>{t('c.mail.none')}</p>}
        {items && items.length > 0 && (
          <ul className="c-list">
            {items.map((m) => (
              <li key={m.unitCode}>
                <Link href={`/mailboxes/${encodeURIComponent(m.unitCode)}`}><strong>{m.title}</strong><span>{m.unitName}</span></Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Shell>
  );
}

export function MailboxPage({ unitCode }: { unitCode: string }) {
  const t = useT();
  const { items, error } = useMailboxes();
  const box = items?.find((m) => m.unitCode === unitCode);
  return (
    <Shell title={box?.title ?? t('c.mail.title')}>
      {error && <div className="c-card"><div className="c-err" role="alert">{error}</div></div>}
      {!items && !error && <Loading />}
      {items && !box && (
        <div className="c-card"><p>{t('c.mail.closed')}</p><Link href="/mailboxes">{t('c.mail.title')}</Link></div>
      )}
      {box && (
        <>
          <div className="c-hero"><h1>{box.title}</h1><p>{box.intro ?? box.unitName}</p></div>
          <SubmitForm channel="mailbox" unitCode={box.unitCode} />
        </>
      )}
    </Shell>
  );
}
