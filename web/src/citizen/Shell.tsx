/** The frame of every citizen page: brand, language switch, the privacy line. */
import { useEffect } from 'react';
import { Link } from 'wouter';
import { useI18n } from '../i18n.tsx';

export function Shell({ title, children }: { title?: string; children: React.ReactNode }) {
  const { t, lang, setLang } = useI18n();
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title, t]);
  return (
    <div className="c-wrap">
      <header className="c-top">
        <Link href="/" className="c-brand">{t('app.name')}</Link>
        <button type="button" className="c-lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} lang={lang === 'zh' ? 'en' : 'zh-CN'}>
          {lang === 'zh' ? 'English' : '中文'}
        </button>
      </header>
      <main>{children}</main>
      <p className="c-foot">{t('c.privacy')}</p>
    </div>
  );
}
