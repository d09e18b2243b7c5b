/**
 * What the server's intelligence suggests for a case (GET /api/v1/cases/{id}/intel): the top
 * categories with their confidence (one click sets the category, recorded as a correction),
 * the place it read from the text, the unit to dispatch to (one click dispatches when the case
 * allows it), similar recent cases the viewer may see, and risk flags.
 * Nothing is guessed in the browser: without suggestions the card says so.
 */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { Link } from 'wouter';
import { errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from './session.tsx';
import type { CaseView } from './types.ts';

/** A routing suggestion (派单建议) as the server explains it. */
export interface Route {
  unitCode: string; unitName: string; confidence: number; rule: { id: string; name: string }; reasons: string[];
  alternatives: { unitCode: string; unitName: string; confidence: number; rule: { id: string; name: string } }[];
}

interface Intel {
  suggestions: {
    route?: Route | null;
    categories: { label: string; confidence: number }[];
    location: { unitCode: string; kind: string; name: string; confidence: number } | null;
    similar: { caseId: string; trackingNo: string; status: string; similarity: number }[];
  } | null;
  flags: { flag: string; label: string; words: string[]; cleared: unknown }[];
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** The suggested unit, the rule and reasons behind it, the alternatives; `onPick` makes each unit a dispatch button. */
export function RouteView({ route, onPick }: { route: Route; onPick?: (unitCode: string) => void }) {
  const { t } = useI18n();
  return (
    <div data-testid="route-suggestion">
      <Typography.Text type="secondary">{t('s.intel.route')}：</Typography.Text>
      <Typography.Text strong>{route.unitName}</Typography.Text> · {pct(route.confidence)}
      {onPick && <Button size="small" type="link" data-testid="route-pick" onClick={() => onPick(route.unitCode)}>{t('s.intel.dispatchRoute')}</Button>}
      <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('s.intel.routeRule', { name: route.rule.name })}；{route.reasons.join('；')}</Typography.Text></div>
      {route.alternatives.length > 0 && (
        <div>
          <Typography.Text type="secondary">{t('s.intel.routeOr')}：</Typography.Text>
          <Space wrap size={4}>
            {route.alternatives.map((a) => onPick
              ? <Button key={a.unitCode} size="small" type="link" title={a.rule.name} onClick={() => onPick(a.unitCode)}>{a.unitName} · {pct(a.confidence)}</Button>
              : <Tag key={a.unitCode} title={a.rule.name}>{a.unitName} · {pct(a.confidence)}</Tag>)}
          </Space>
        </div>
      )}
    </div>
  );
}

export function IntelCard({ c, onChanged }: { c: CaseView; onChanged: () => void }) {
  const { t } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [intel, setIntel] = useState<Intel | null | 'none'>(null);
  const load = useCallback(() => call<Intel>(`/api/v1/cases/${c.id}/intel`).then(setIntel, () => setIntel('none')), [call, c.id]);
  useEffect(() => {
    void load();
  }, [load, c.updatedAt]);
  if (intel === null || intel === 'none') return null;
  const s = intel.suggestions;
  const flags = intel.flags.filter((f) => !f.cleared);
  const empty = !s || (s.categories.length === 0 && !s.location && s.similar.length === 0 && !s.route);
  const dispatch = c.allowedActions.includes('dispatch')
    ? (unitCode: string) => call(`/api/v1/cases/${c.id}/actions/dispatch`, { body: { unitCode } })
      .then(() => { void message.success(t('s.done')); onChanged(); }, (e) => void message.error(errorText(t, e)))
    : undefined;
  return (
    <Card size="small" title={t('s.intel')}>
      {flags.length > 0 && (
        <Space wrap style={{ marginBottom: 8 }}>
          {flags.map((f) => <Tag key={f.flag} color="red">{f.label}{f.words.length ? `：${f.words.join('、')}` : ''}</Tag>)}
        </Space>
      )}
      {empty && flags.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('s.intel.none')} /> : s && (
        <Space orientation="vertical" size="small" style={{ width: '100%' }}>
          {s.categories.length > 0 && (
            <div>
              <Typography.Text type="secondary">{t('s.intel.category')}：</Typography.Text>
              <Space wrap size={4}>
                {s.categories.map((k) => (
                  <Button key={k.label} size="small" type={c.category === k.label ? 'primary' : 'default'} data-testid="category-suggestion"
                    onClick={() => call(`/api/v1/cases/${c.id}/category`, { method: 'PUT', body: { category: k.label } })
                      .then(() => { void message.success(t('s.done')); onChanged(); }, (e) => void message.error(errorText(t, e)))}>
                    {k.label} · {pct(k.confidence)}
                  </Button>
                ))}
              </Space>
            </div>
          )}
          {s.route && <RouteView route={s.route} onPick={dispatch} />}
          {s.location && <div><Typography.Text type="secondary">{t('s.intel.place')}：</Typography.Text>{s.location.name}（{t.label('kind', s.location.kind)} · {pct(s.location.confidence)}）</div>}
          {s.similar.length > 0 && (
            <div>
              <Typography.Text type="secondary">{t('s.intel.similar')}：</Typography.Text>
              <Space wrap size={4}>
                {s.similar.map((x) => <Link key={x.caseId} href={`/cases/${x.caseId}`}>{x.trackingNo} · {pct(x.similarity)}</Link>)}
              </Space>
            </div>
          )}
        </Space>
      )}
    </Card>
  );
}
