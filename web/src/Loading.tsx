import { useT } from './i18n.tsx';

/** A plain, accessible loading line (no UI library needed). */
export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div role="status" aria-live="polite" style={{ padding: '2rem', textAlign: 'center', color: '#666' }}>
      {label ?? t('common.loading')}
    </div>
  );
}
