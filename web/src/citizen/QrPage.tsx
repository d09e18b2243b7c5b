/**
 * 书记在线: the page a printed QR code opens (`/r/{unitCode}`, the URL the codes encode). Shows
 * the service center's name from the public unit API, then the submission form bound to it.
 */
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { QR_UNIT_KINDS } from '@domain/channel.ts';
import type { UnitKind } from '@domain/org.ts';
import { api, ApiError, errorText } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Loading } from '../Loading.tsx';
import { Shell } from './Shell.tsx';
import { SubmitForm } from './SubmitForm.tsx';

interface UnitView { code: string; name: string; kind: UnitKind; fullName: string }

export function QrPage({ unitCode }: { unitCode: string }) {
  const t = useT();
  const [unit, setUnit] = useState<UnitView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api<UnitView>(`/api/v1/units/${encodeURIComponent(unitCode)}`)
      .then((u) => live && (QR_UNIT_KINDS.includes(u.kind) ? setUnit(u) : setProblem(t('c.qr.invalid'))))
      .catch((e) => live && setProblem(e instanceof ApiError && e.status === 404 ? t('c.qr.invalid') : errorText(t, e)));
    return () => {
      live = false;
    };
  }, [unitCode, t]);

  if (problem) {
    return (
      <Shell title={problem}>
        <div className="c-hero"><h1>{problem}</h1><p>{t('c.qr.invalidHint')}</p></div>
        <div className="c-card"><Link href="/submit">{t('c.home.submit')}</Link></div>
      </Shell>
    );
  }
  if (!unit) return <Shell><Loading /></Shell>;
  return (
    <Shell title={`${t('c.qr.title')} · ${unit.name}`}>
      <div className="c-hero">
        <h1 data-testid="unit-name">{t('c.qr.title')} · {unit.name}</h1>
        <p>{unit.fullName}</p>
      </div>
      <SubmitForm channel="qr" unitCode={unit.code} />
    </Shell>
  );
}
