/** Dates and durations for people: China time, short forms. */
import type { Lang } from './i18n.tsx';

const TZ = 'Asia/Shanghai';

export function fmtTime(v: string | Date | null | undefined, lang: Lang = 'zh'): string {
  if (!v) return '—';
  const d = new Date(v);
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** `2天3小时`, `45分12秒` / `2d 3h`, `45m 12s`: the two largest units of a span. */
export function fmtSpan(ms: number, lang: Lang = 'zh'): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const parts: [number, string, string][] = [
    [Math.floor(s / 86400), '天', 'd'], [Math.floor(s / 3600) % 24, '小时', 'h'], [Math.floor(s / 60) % 60, '分', 'm'], [s % 60, '秒', 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  const shown = first < 0 ? [parts[3]!] : parts.slice(first, first + 2);
  return shown.map(([n, zh, en]) => (lang === 'zh' ? `${n}${zh}` : `${n}${en}`)).join(lang === 'zh' ? '' : ' ');
}
