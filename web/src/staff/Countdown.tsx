/**
 * A live countdown to a clock's deadline, coloured: green with time to spare, orange within two
 * hours (or when the server says the case is due soon), red once over — then it counts up.
 */
import { Tag, Tooltip } from 'antd';
import { fmtSpan, fmtTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useNow } from './clock.ts';

const SOON_MS = 2 * 3600_000;

export function Countdown({ dueAt, label, soon, paused }: { dueAt: string | null; label?: string; soon?: boolean; paused?: boolean }) {
  const { t, lang } = useI18n();
  const now = useNow();
  if (paused || !dueAt) return <Tag color="default">{label ? `${label} · ` : ''}{t('s.clock.paused')}</Tag>;
  const left = Date.parse(dueAt) - now;
  const color = left <= 0 ? 'red' : left <= SOON_MS || soon ? 'orange' : 'green';
  const text = left <= 0 ? t('s.clock.over', { span: fmtSpan(left, lang) }) : t('s.clock.left', { span: fmtSpan(left, lang) });
  return (
    <Tooltip title={`${t('s.clock.due')} ${fmtTime(dueAt, lang)}`}>
      <Tag color={color} data-testid="countdown" aria-label={`${label ?? ''} ${text}`}>{label ? `${label} · ` : ''}{text}</Tag>
    </Tooltip>
  );
}
