/**
 * The submission form of every citizen channel (web, QR code, mailbox): content, type, place,
 * name and phone (or anonymous), photos. On success it shows the tracking number; files are
 * uploaded right after with the submission's access token.
 */
import { useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import { CASE_TYPES } from '@domain/case.ts';
import { api, errorText, newKey } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { FilePicker, MAX_BYTES, uploadFile } from './FilePicker.tsx';
import { saveAccess } from './citizen-session.ts';

interface Submitted { caseId: string; trackingNo: string; accessToken: string; accessTokenExpiresAt: string }

export function SubmitForm({ channel, unitCode }: { channel: 'web' | 'qr' | 'mailbox'; unitCode?: string }) {
  const { t } = useI18n();
  const ids = { content: useId(), type: useId(), address: useId(), name: useId(), phone: useId() };
  const [content, setContent] = useState('');
  const [type, setType] = useState<string>(channel === 'mailbox' ? 'suggestion' : 'help');
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ trackingNo: string; uploaded: number; failed: string[] } | null>(null);
  // One key per filled-in form: a retry after a lost answer does not file the request twice.
  const idem = useRef(newKey());
  const result = useRef<HTMLDivElement>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (content.trim().length < 5) return setError(t('c.form.contentShort'));
    if (!anonymous && !/^\+?[\d\s-]{7,20}$/.test(phone.trim())) return setError(t('c.form.phoneNeeded'));
    if (files.some((f) => f.size > MAX_BYTES)) return setError(t('c.form.fileTooBig'));
    setBusy(true);
    try {
      const r = await api<Submitted>('/api/v1/requests', {
        idempotencyKey: idem.current,
        body: {
          channel, unitCode, type, content: content.trim(), address: address.trim() || undefined,
          citizen: anonymous ? { anonymous: true } : { name: name.trim() || undefined, phone: phone.trim() },
        },
      });
      saveAccess(r.trackingNo, r.accessToken, r.accessTokenExpiresAt);
      const failed: string[] = [];
      let uploaded = 0;
      for (const f of files) {
        try {
          await uploadFile(r.trackingNo, { token: r.accessToken }, f);
          uploaded++;
        } catch (err) {
          failed.push(`${f.name}: ${errorText(t, err)}`);
        }
      }
      setDone({ trackingNo: r.trackingNo, uploaded, failed });
      requestAnimationFrame(() => result.current?.focus());
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div className="c-card" role="status" aria-live="polite" tabIndex={-1} ref={result} data-testid="submitted">
        <h2 className="c-ok">{t('c.done.title')}</h2>
        <p>{t('c.done.number')}</p>
        <p className="c-tracking" id="tracking-no">{done.trackingNo}</p>
        <p className="c-hint">{anonymous ? t('c.done.anonymous') : t('c.done.keep')}</p>
        {done.uploaded > 0 && <p>{t('c.done.files', { n: done.uploaded })}</p>}
        {done.failed.length > 0 && <div className="c-err">{t('c.done.filesFailed')}<ul>{done.failed.map((f) => <li key={f}>{f}</li>)}</ul></div>}
        {!anonymous && <Link href={`/track/${done.trackingNo}`} className="c-btn">{t('c.done.track')}</Link>}
        <Link href="/" className="c-btn secondary">{t('c.backHome')}</Link>
      </div>
    );
  }

  return (
    <form className="c-card" onSubmit={submit} noValidate aria-describedby={error ? 'submit-error' : undefined}>
      <div className="c-field">
        <label htmlFor={ids.content}>{t('c.form.content')}</label>
        <textarea id={ids.content} name="content" className="c-textarea" required minLength={5} maxLength={5000}
          placeholder={t('c.form.contentHint')} value={content} onChange={(e) => setContent(e.target.value)} />
      </div>
      <div className="c-field">
        <label htmlFor={ids.type}>{t('c.form.type')}</label>
        <select id={ids.type} name="type" className="c-select" value={type} onChange={(e) => setType(e.target.value)}>
          {CASE_TYPES.map((k) => <option key={k} value={k}>{t(`type.${k}`)}</option>)}
        </select>
      </div>
      <div className="c-field">
        <label htmlFor={ids.address}>{t('c.form.address')}</label>
        <input id={ids.address} name="address" className="c-input" maxLength={200} value={address} onChange={(e) => setAddress(e.target.value)} autoComplete="street-address" />
      </div>
      <FilePicker files={files} onChange={setFiles} />
      <label className="c-check">
        <input type="checkbox" name="anonymous" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
        <span>{t('c.form.anonymous')}</span>
      </label>
      {!anonymous && (
        <div className="c-row">
          <div className="c-field">
            <label htmlFor={ids.name}>{t('c.form.name')}</label>
            <input id={ids.name} name="name" className="c-input" maxLength={40} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="c-field">
            <label htmlFor={ids.phone}>{t('c.form.phone')}</label>
            <input id={ids.phone} name="phone" className="c-input" type="tel" inputMode="tel" required maxLength={30} autoComplete="tel"
              value={phone} onChange={(e) => setPhone(e.target.value)} />
          </div>
        </div>
      )}
      <p className="c-hint">{t('c.form.privacy')}</p>
      {error && <div className="c-err" role="alert" id="submit-error">{error}</div>}
      <button type="submit" className="c-btn" disabled={busy}>{busy ? t('c.form.sending') : t('c.form.submit')}</button>
    </form>
  );
}
