/** The KPI endpoints' answers (src/app/kpi-dashboard.ts); every figure is computed by the server. */
export interface Text { zh: string; en: string }
export type RateFigure = { kind: 'rate'; value: number | null; numerator: number; denominator: number };
export type CountFigure = { kind: 'count'; value: number };
export type FigureKey = 'volume' | 'received' | 'duplicates' | 'resolutionRate' | 'responseRate' | 'solvedRate' | 'satisfactionRate'
  | 'signOnTimeRate' | 'contactOnTimeRate' | 'feedbackOnTimeRate' | 'resolveOnTimeRate';
export type Figures = Record<FigureKey, RateFigure | CountFigure>;
export interface Formulas { figures: Record<FigureKey, { label: Text; formula: Text; kind: 'rate' | 'count' }>; clockNote: Text }
export interface UnitBrief { code: string; name: string; kind: string }
export interface Summary { from: string; to: string; unit: UnitBrief | null; figures: Figures; typeMix: { complaints: { count: number; share: number | null }; praise: { count: number; share: number | null } }; formulas: Formulas }
export interface Trend { buckets: { start: string; end: string; volume: number; complaints: number; praise: number; resolutionRate: RateFigure; satisfactionRate: RateFigure }[] }
export interface Ranking { parent: UnitBrief | null; items: (UnitBrief & { hasChildren: boolean; figures: Figures })[]; direct: { figures: Figures } | null; total: { figures: Figures } | null }
export interface Districts { items: { code: string; adcode: number | null; name: string; figures: Figures }[] }
export interface Mix {
  volume: number;
  channels: { channel: string; label: Text; count: number; share: number | null }[];
  types: { type: string; label: Text; count: number; share: number | null }[];
  complaints: { count: number; share: number | null }; praise: { count: number; share: number | null };
  categories: { category: string | null; name: string; count: number; share: number | null; resolutionRate: RateFigure; satisfactionRate: RateFigure }[];
}

/** The big figures on the cards, in order. */
export const CARD_FIGURES: FigureKey[] = [
  'volume', 'resolutionRate', 'responseRate', 'solvedRate', 'satisfactionRate', 'signOnTimeRate', 'contactOnTimeRate', 'feedbackOnTimeRate', 'resolveOnTimeRate',
];

export const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
export const figureText = (f: RateFigure | CountFigure | undefined) => (!f ? '—' : f.kind === 'rate' ? pct(f.value) : f.value.toLocaleString());
