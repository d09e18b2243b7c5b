/**
 * The citizen's tracking page: find a request by its tracking number with the phone given at
 * submission (or a one-time code texted to it), then read the status, the public timeline and the
 * reply, and take the steps the server allows (`allowedActions`): rate, add information, withdraw,
 * thank. Every step proves the case with the short-lived access token of the last look-up.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { useLocation } from 'wouter';
import { api, ApiError, errorText, newKey } from '../api.ts';
import { fmtTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { Loading } from '../Loading.tsx';
import { Shell } from './Shell.tsx';
import { FilePicker, uploadFile } from './FilePicker.tsx';
import { forgetAccess, loadAccess, saveAccess } from './citizen-session.ts';

export interface Tracked {
  trackingNo: string; typeLabel: string; type: string; content: string; status: string; statusLabel: string; statusCategory: string;
  handlingUnit: string | null; reply: string | null; createdAt: string;
  /** Merged (合并办理): the case this one follows — its status, unit and answer. */
  mergedInto: { trackingNo: string; status: string; statusLabel: string; handlingUnit: string | null; reply: string | null } | null;
  rating: { resolved: boolean; satisfied: boolean; comment: string | null } | null;
  timeline: { at: string; action: string; label: string; status: string | null; text: string | null }[];
  attachments: { id: string; filename: string; mime: string; size: number; purpose: string }[];
  allowedActions: string[]; accessToken: string; accessTokenExpiresAt: string;
}

const NO = /^[A-Z]{2,4}-\d{8}-\d{6}$/;

/** Looks a case up with an access token; the answer then carries no new token, so the one used stays. */
async function lookUpWithToken(trackingNo: string, access: { token: string; expiresAt: string }): Promise<Tracked> {
  const r = await api<Tracked>(`/api/v1/track/${encodeURIComponent(trackingNo.toUpperCase())}?token=${encodeURIComponent(access.token)}`);
  return { ...r, accessToken: r.accessToken ?? access.token, accessTokenExpiresAt: r.accessTokenExpiresAt ?? access.expiresAt };
}

function LookupForm({ initialNo, onFound }: { initialNo?: string; onFound: (c: Tracked) => void }) {
  const { t } = useI18n();
  const ids = { no: useId(), phone: useId(), code: useId() };
  const [no, setNo] = useState(initialNo ?? '');
  const [mode, setMode] = useState<'phone' | 'code'>('phone');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [codeSent, setCodeSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trackingNo = no.trim().toUpperCase();

  async function sendCode() {
    setError(null);
    if (!NO.test(trackingNo)) return setError(t('c.track.badNo'));
    setBusy(true);
    try {
      await api(`/api/v1/track/${trackingNo}/code`, { method: 'POST', body: {}, idempotencyKey: newKey() });
      setCodeSent(true);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  async function find(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (!NO.test(trackingNo)) return setError(t('c.track.badNo'));
    setBusy(true);
    try {
      const q = mode === 'phone' ? `phone=${encodeURIComponent(phone.trim())}` : `code=${encodeURIComponent(code.trim())}`;
      onFound(await api<Tracked>(`/api/v1/track/${trackingNo}?${q}`));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? t('c.track.notFound') : errorText(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="c-card" onSubmit={find} noValidate>
      <div className="c-field">
        <label htmlFor={ids.no}>{t('c.track.no')}</label>
        <input id={ids.no} name="trackingNo" className="c-input" value={no} onChange={(e) => setNo(e.target.value)} placeholder="SZ-20261127-000123" autoCapitalize="characters" required />
      </div>
      <div className="c-tabs c-field" role="group" aria-label={t('c.track.proof')}>
        <button type="button" aria-pressed={mode === 'phone'} onClick={() => setMode('phone')}>{t('c.track.byPhone')}</button>
        <button type="button" aria-pressed={mode === 'code'} onClick={() => setMode('code')}>{t('c.track.byCode')}</button>
      </div>
      {mode === 'phone' ? (
        <div className="c-field">
          <label htmlFor={ids.phone}>{t('c.track.phone')}</label>
          <input id={ids.phone} name="phone" className="c-input" type="tel" inputMode="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} required />
        </div>
      ) : (
        <div className="c-field">
          <button type="button" className="c-btn secondary" onClick={sendCode} disabled={busy}>{codeSent ? t('c.track.resend') : t('c.track.sendCode')}</button>
          {codeSent && <p className="c-hint" role="status">{t('c.track.codeSent')}</p>}
          <label htmlFor={ids.code} style={{ marginTop: '.8rem' }}>{t('c.track.code')}</label>
          <input id={ids.code} name="code" className="c-input" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} />
        </div>
      )}
      {error && <div className="c-err" role="alert">{error}</div>}
      <button type="submit" className="c-btn" disabled={busy}>{busy ? t('common.loading') : t('c.track.find')}</button>
    </form>
  );
}

type Act = (path: string, body: Record<string, unknown>) => Promise<void>;

function YesNo({ legend, name, value, onChange }: { legend: string; name: string; value: boolean | null; onChange: (v: boolean) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="c-choice">
      <legend>{legend}</legend>
      <label><input type="radio" name={name} checked={value === true} onChange={() => onChange(true)} /><span>{t('common.yes')}</span></label>
      <label><input type="radio" name={name} checked={value === false} onChange={() => onChange(false)} /><span>{t('common.no')}</span></label>
    </fieldset>
  );
}

function RateForm({ act }: { act: Act }) {
  const { t } = useI18n();
  const id = useId();
  const [resolved, setResolved] = useState<boolean | null>(null);
  const [satisfied, setSatisfied] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form className="c-card" aria-labelledby={`${id}-h`} onSubmit={(e) => {
      e.preventDefault();
      if (resolved === null || satisfied === null) return setError(t('c.rate.choose'));
      setError(null);
      void act('rate', { resolved, satisfied, comment: comment.trim() || undefined });
    }}>
      <h2 id={`${id}-h`}>{t('c.rate.title')}</h2>
      <YesNo legend={t('c.rate.resolved')} name="resolved" value={resolved} onChange={setResolved} />
      <YesNo legend={t('c.rate.satisfied')} name="satisfied" value={satisfied} onChange={setSatisfied} />
      <div className="c-field">
        <label htmlFor={id}>{t('c.rate.comment')}</label>
        <textarea id={id} className="c-textarea" style={{ minHeight: '5rem' }} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      {satisfied === false && <p className="c-hint">{t('c.rate.reopenHint')}</p>}
      {error && <div className="c-err" role="alert">{error}</div>}
      <button type="submit" className="c-btn">{t('c.rate.submit')}</button>
    </form>
  );
}

function TextForm({ title, label, hint, action, field, min, act, withFiles, trackingNo, token, secondary }: {
  title: string; label: string; hint?: string; action: string; field: string; min: number; act: Act;
  withFiles?: boolean; trackingNo: string; token: string; secondary?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const [open, setOpen] = useState(!secondary);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open) return <button type="button" className="c-btn secondary" onClick={() => setOpen(true)}>{title}</button>;
  return (
    <form className="c-card" aria-labelledby={`${id}-h`} onSubmit={async (e) => {
      e.preventDefault();
      if (text.trim().length < min) return setError(t('err.min', { n: min }));
      setBusy(true);
      setError(null);
      try {
        const attachmentIds: string[] = [];
        for (const f of files) attachmentIds.push((await uploadFile(trackingNo, { token }, f)).id);
        await act(action, withFiles ? { [field]: text.trim(), attachmentIds } : { [field]: text.trim() || undefined });
        setText('');
        setFiles([]);
        if (secondary) setOpen(false);
      } catch (err) {
        setError(errorText(t, err));
      } finally {
        setBusy(false);
      }
    }}>
      <h2 id={`${id}-h`}>{title}</h2>
      <div className="c-field">
        <label htmlFor={id}>{label}</label>
        <textarea id={id} className="c-textarea" maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
        {hint && <p className="c-hint">{hint}</p>}
      </div>
      {withFiles && <FilePicker files={files} onChange={setFiles} />}
      {error && <div className="c-err" role="alert">{error}</div>}
      <button type="submit" className="c-btn" disabled={busy}>{busy ? t('c.form.sending') : title}</button>
    </form>
  );
}

function CaseView({ c, onChange }: { c: Tracked; onChange: (c: Tracked) => void }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const token = c.accessToken;
  const refresh = useCallback(async () => {
    onChange(await lookUpWithToken(c.trackingNo, { token, expiresAt: c.accessTokenExpiresAt }));
  }, [c.trackingNo, c.accessTokenExpiresAt, token, onChange]);
  const act: Act = async (action, body) => {
    setError(null);
    try {
      const r = await api<{ praiseTrackingNo?: string | null }>(`/api/v1/track/${c.trackingNo}/${action}`, { body: { ...body, token }, idempotencyKey: newKey() });
      setNotice(action === 'thank' && r.praiseTrackingNo ? t('c.thank.done', { no: r.praiseTrackingNo }) : t(`c.${action}.done` as never));
      await refresh();
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } catch (e) {
      setError(errorText(t, e));
      throw e;
    }
  };
  const safeAct: Act = (a, b) => act(a, b).catch(() => undefined);
  const allowed = new Set(c.allowedActions);
  return (
    <>
      {notice && <div className="c-card c-ok" role="status" data-testid="notice">{notice}</div>}
      <section className="c-card" aria-labelledby="case-h">
        <h2 id="case-h">{t('c.track.status')}：<span className={`c-badge ${c.statusCategory}`} data-testid="status">{t.label('status', c.status, c.statusLabel)}</span></h2>
        <dl className="c-dl">
          <dt>{t('c.track.no')}</dt><dd>{c.trackingNo}</dd>
          <dt>{t('c.form.type')}</dt><dd>{t.label('type', c.type, c.typeLabel)}</dd>
          <dt>{t('c.track.submitted')}</dt><dd>{fmtTime(c.createdAt, lang)}</dd>
          <dt>{t('c.track.unit')}</dt><dd>{c.handlingUnit ?? t('c.track.routing')}</dd>
          <dt>{t('c.form.content')}</dt><dd>{c.content}</dd>
        </dl>
      </section>
      {c.mergedInto && (
        <section className="c-card" aria-labelledby="merged-h" data-testid="merged">
          <h2 id="merged-h">{t('c.track.merged', { no: c.mergedInto.trackingNo })}</h2>
          <dl className="c-dl">
            <dt>{t('c.track.status')}</dt><dd>{t.label('status', c.mergedInto.status, c.mergedInto.statusLabel)}</dd>
            <dt>{t('c.track.unit')}</dt><dd>{c.mergedInto.handlingUnit ?? t('c.track.routing')}</dd>
          </dl>
          {c.mergedInto.reply && <div className="c-reply" data-testid="reply">{c.mergedInto.reply}</div>}
          {c.rating && <p className="c-hint">{t('c.track.rated', { resolved: c.rating.resolved ? t('common.yes') : t('common.no'), satisfied: c.rating.satisfied ? t('common.yes') : t('common.no') })}</p>}
        </section>
      )}
      {c.reply && (
        <section className="c-card" aria-labelledby="reply-h">
          <h2 id="reply-h">{t('c.track.reply')}</h2>
          <div className="c-reply" data-testid="reply">{c.reply}</div>
          {c.rating && <p className="c-hint">{t('c.track.rated', { resolved: c.rating.resolved ? t('common.yes') : t('common.no'), satisfied: c.rating.satisfied ? t('common.yes') : t('common.no') })}</p>}
        </section>
      )}
      {error && <div className="c-card"><div className="c-err" role="alert">{error}</div></div>}
      {allowed.has('rate') && <RateForm act={safeAct} />}
      {allowed.has('supplement') && (
        <TextForm title={t('c.supplement.title')} label={t('c.supplement.label')} action="supplement" field="content" min={1}
          act={act} withFiles trackingNo={c.trackingNo} token={token} secondary />
      )}
      {allowed.has('thank') && (
        <TextForm title={t('c.thank.title')} label={t('c.thank.label')} hint={t('c.thank.hint')} action="thank" field="content" min={5}
          act={act} trackingNo={c.trackingNo} token={token} secondary />
      )}
      {allowed.has('withdraw') && (
        <TextForm title={t('c.withdraw.title')} label={t('c.withdraw.label')} action="withdraw" field="reason" min={0}
          act={act} trackingNo={c.trackingNo} token={token} secondary />
      )}
      <section className="c-card" aria-labelledby="tl-h">
        <h2 id="tl-h">{t('c.track.timeline')}</h2>
        <ol className="c-timeline">
          {c.timeline.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{fmtTime(e.at, lang)}</time>
              <strong>{t.label('action', e.action, e.label)}</strong>
              {e.text && <div>{e.text}</div>}
            </li>
          ))}
        </ol>
      </section>
      {c.attachments.length > 0 && (
        <section className="c-card" aria-labelledby="att-h">
          <h2 id="att-h">{t('c.track.files')}</h2>
          <ul className="c-files">
            {c.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/api/v1/track/${c.trackingNo}/attachments/${a.id}?token=${encodeURIComponent(token)}`} target="_blank" rel="noreferrer">{a.filename}</a>
                {' '}({Math.ceil(a.size / 1024)} KB{a.purpose === 'reply' ? ` · ${t('c.track.fromUnit')}` : ''})
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export function TrackPage({ trackingNo }: { trackingNo?: string }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const [c, setC] = useState<Tracked | null>(null);
  const [loading, setLoading] = useState(() => !!(trackingNo && loadAccess(trackingNo)));
  const show = useCallback((found: Tracked) => {
    saveAccess(found.trackingNo, found.accessToken, found.accessTokenExpiresAt);
    setC(found);
  }, []);
  useEffect(() => {
    const access = trackingNo ? loadAccess(trackingNo) : null;
    if (!trackingNo || !access) return;
    lookUpWithToken(trackingNo, access)
      .then(show, () => forgetAccess(trackingNo))
      .finally(() => setLoading(false));
  }, [trackingNo, show]);
  return (
    <Shell title={t('c.home.track')}>
      <div className="c-hero"><h1>{t('c.home.track')}</h1>{c && <p>{c.trackingNo}</p>}</div>
      {loading && <Loading />}
      {!loading && !c && <LookupForm initialNo={trackingNo} onFound={(f) => { show(f); if (f.trackingNo !== trackingNo) navigate(`/track/${f.trackingNo}`, { replace: true }); }} />}
      {c && <CaseView c={c} onChange={show} />}
    </Shell>
  );
}
