/**
 * Chinese by default, English on request: one small dictionary (messages.ts), the choice kept in
 * localStorage. `t.label(kind, code, serverLabel)` names a status, type, action… in the reader's
 * language: the server's Chinese label in Chinese, the dictionary's in English.
 */
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { en, zh, type Key } from './messages.ts';

export type Lang = 'zh' | 'en';
export type { Key };

export interface T {
  (key: Key, vars?: Record<string, string | number>): string;
  has(key: string): boolean;
  label(kind: string, code: string, serverLabel?: string | null): string;
  lang: Lang;
}

const STORE = 'suqiu.lang';

function makeT(lang: Lang): T {
  const dict = (lang === 'en' ? en : zh) as Record<string, string>;
  const base = zh as Record<string, string>;
  const t = ((key: string, vars?: Record<string, string | number>) => {
    let s = dict[key] ?? base[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }) as T;
  t.has = (key) => key in base;
  t.label = (kind, code, serverLabel) => {
    const k = `${kind}.${code}`;
    if (lang === 'zh') return serverLabel ?? base[k] ?? code;
    return dict[k] ?? serverLabel ?? code;
  };
  t.lang = lang;
  return t;
}

const Ctx = createContext<{ lang: Lang; setLang: (l: Lang) => void; t: T }>({ lang: 'zh', setLang: () => {}, t: makeT('zh') });

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORE);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch { /* storage blocked */ }
  return 'zh';
}

export function I18nProvider({ children }: { children: React.ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const value = useMemo(() => ({
    lang,
    t: makeT(lang),
    setLang: (l: Lang) => {
      setLangState(l);
      try {
        localStorage.setItem(STORE, l);
      } catch { /* storage blocked */ }
    },
  }), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useI18n = () => useContext(Ctx);
export const useT = () => useContext(Ctx).t;
