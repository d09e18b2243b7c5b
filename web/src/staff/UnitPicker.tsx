/**
 * Choosing a unit by typing part of its name (GET /api/v1/units?q=): shows the name, kind and
 * code. `within` narrows to a subtree. Which units an action accepts is the server's decision.
 */
import { useEffect, useRef, useState } from 'react';
import { Select, type SelectProps } from 'antd';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';

interface Unit { code: string; name: string; kind: string }

export function UnitPicker({ value, onChange, within, placeholder, id, ...rest }: {
  value?: string; onChange?: (code: string | undefined) => void; within?: string; placeholder?: string; id?: string;
} & Omit<SelectProps, 'value' | 'onChange' | 'options'>) {
  const { t } = useI18n();
  const [options, setOptions] = useState<Unit[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const search = async (q: string) => {
    const n = ++seq.current;
    setLoading(true);
    try {
      // Typing searches by name (inside `within`); before that, the subtree's first level or the districts.
      const params = new URLSearchParams(q ? { limit: '30', q, ...(within ? { within } : {}) } : { limit: '100', ...(within ? { parentCode: within } : { kind: 'district' }) });
      const r = await api<{ items: Unit[] }>(`/api/v1/units?${params}`);
      if (n === seq.current) setOptions(r.items);
    } finally {
      if (n === seq.current) setLoading(false);
    }
  };
  useEffect(() => {
    void search('').catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [within]);
  // The chosen unit, kept apart from the search results so that a search answering late cannot drop its label.
  const [chosen, setChosen] = useState<Unit | null>(null);
  useEffect(() => {
    if (value && chosen?.code !== value && !options.some((o) => o.code === value)) {
      api<Unit>(`/api/v1/units/${encodeURIComponent(value)}`).then(setChosen, () => undefined);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const shown = chosen && chosen.code === value && !options.some((o) => o.code === chosen.code) ? [chosen, ...options] : options;
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: (q) => void search(q.trim()).catch(() => undefined) }}
      value={value}
      onChange={(v) => {
        setChosen(shown.find((u) => u.code === v) ?? null);
        onChange?.(v as string | undefined);
      }}
      placeholder={placeholder ?? t('s.unit.search')}
      loading={loading}
      notFoundContent={loading ? t('common.loading') : t('s.unit.none')}
      options={shown.map((u) => ({ value: u.code, label: `${u.name} · ${t.label('kind', u.kind)} · ${u.code}` }))}
      {...rest}
    />
  );
}
