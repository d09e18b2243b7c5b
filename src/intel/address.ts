/**
 * Address → unit (地址解析): the most specific Shenzhen unit (district, street, community) a free
 * text names, with a confidence and the words that decided it. Pure: the org rows and the
 * gazetteer are data passed in (default: the committed seed and gazetteer.ts).
 *
 * Every unit is known by its full name (田寮社区, 南湾街道, 福田区) and its bare name (田寮, 南湾,
 * 福田); the gazetteer adds places (华强北 → 华强北街道). A mention is stronger when a unit above
 * it is also mentioned (光明区玉塘街道田寮社区) and weaker when the text names another district or
 * street (a contradiction). Bare community names and ambiguous names (新围社区 exists in several
 * streets) count only with an ancestor mentioned. The best mention wins; the confidence says
 * how sure it is (≥ 0.8: use it; below: a suggestion).
 */
import { normalize } from './normalize.ts';
import { GAZETTEER } from './gazetteer.ts';
import { loadShenzhenPlaces, nameVariants, type PlaceRow } from './segment.ts';

export type AddressKind = 'district' | 'street' | 'community';

export interface ResolvedAddress {
  unitCode: string;
  kind: AddressKind;
  name: string;
  /** 0..1; ≥ HIGH_CONFIDENCE means the unit can be used without a person checking. */
  confidence: number;
  /** The words of the text that decided it (the unit's and its ancestors' mentions). */
  matched: string[];
}

export const HIGH_CONFIDENCE = 0.8;

interface Place {
  code: string;
  name: string;
  kind: AddressKind;
  /** Ancestors from the district down, excluding the city and itself. */
  ancestors: string[];
}

type Strength = 'full' | 'gazetteer' | 'bare';

interface Entry {
  code: string;
  strength: Strength;
}

export interface AddressIndex {
  places: Map<string, Place>;
  /** Surface form → the units it may name. */
  names: Map<string, Entry[]>;
  /** Surface forms, longest first. */
  forms: string[];
}

const BASE: Record<Strength, number> = { full: 0.9, gazetteer: 0.85, bare: 0.6 };
const DEPTH: Record<AddressKind, number> = { district: 1, street: 2, community: 3 };

/** Builds the look-up tables from org rows (default: the Shenzhen seed) and the gazetteer. */
export function buildAddressIndex(rows: readonly PlaceRow[] = loadShenzhenPlaces(), gazetteer = GAZETTEER): AddressIndex {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const places = new Map<string, Place>();
  for (const r of rows) {
    if (r.kind !== 'district' && r.kind !== 'street' && r.kind !== 'community') continue;
    const ancestors: string[] = [];
    for (let p = r.parentCode ? byCode.get(r.parentCode) : undefined; p && p.kind !== 'city'; p = p.parentCode ? byCode.get(p.parentCode) : undefined) {
      ancestors.unshift(p.code);
    }
    places.set(r.code, { code: r.code, name: r.name, kind: r.kind, ancestors });
  }
  const names = new Map<string, Entry[]>();
  const add = (form: string, e: Entry) => {
    const list = names.get(form) ?? [];
    const same = list.find((x) => x.code === e.code);
    if (!same) list.push(e);
    else if (BASE[e.strength] > BASE[same.strength]) same.strength = e.strength;
    names.set(form, list);
  };
  for (const p of places.values()) {
    const [full, bare] = nameVariants(p.name, p.kind);
    full.forEach((f) => add(f, { code: p.code, strength: 'full' }));
    bare.forEach((b) => add(b, { code: p.code, strength: 'bare' }));
  }
  for (const [place, district, unit] of gazetteer) {
    const d = [...places.values()].find((p) => p.kind === 'district' && p.name === district);
    const u = [...places.values()].find((p) => p.name === unit && (p.code === d?.code || p.ancestors.includes(d?.code ?? '')));
    if (!d || !u) throw new Error(`gazetteer: ${place} → ${district} ${unit} names no unit`);
    add(place, { code: u.code, strength: 'gazetteer' });
  }
  // A form that is a known place or a unit's bare name and its seat (沙井 → 沙井街道, not 沙井社区)
  // names the place or the larger unit.
  for (const [form, list] of names) {
    const gaz = list.some((e) => e.strength === 'gazetteer');
    const kept = list.filter((e) => {
      if (e.strength !== 'bare') return true;
      if (gaz) return false;
      const p = places.get(e.code)!;
      return !list.some((o) => o !== e && o.strength === 'bare' && p.ancestors.includes(o.code));
    });
    names.set(form, kept);
  }
  const forms = [...names.keys()].sort((a, b) => b.length - a.length);
  return { places, names, forms };
}

let shared: AddressIndex | undefined;
export const defaultAddressIndex = (): AddressIndex => (shared ??= buildAddressIndex());

interface Mention {
  form: string;
  start: number;
  end: number;
  entries: Entry[];
}

/** Longest-first, non-overlapping mentions of known names. */
function mentions(text: string, index: AddressIndex): Mention[] {
  const taken = new Uint8Array(text.length);
  const out: Mention[] = [];
  for (const form of index.forms) {
    for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) {
      let free = true;
      for (let k = i; k < i + form.length; k++) if (taken[k]) { free = false; break; }
      if (!free) continue;
      taken.fill(1, i, i + form.length);
      out.push({ form, start: i, end: i + form.length, entries: index.names.get(form)! });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}


/**
 * Resolves a free-text address (or a whole message) to a Shenzhen unit; null when it names none.
 * Deterministic; about a microsecond per character.
 */
export function resolveAddress(text: string, index: AddressIndex = defaultAddressIndex()): ResolvedAddress | null {
  const t = normalize(text).replace(/\s+/g, '').replace(/^(中国)?(广东省?)?(深圳市)?/, '');
  const found = mentions(t, index);
  if (found.length === 0) return null;
  // Every unit a mention may name, with the words naming it.
  const named = new Map<string, { strength: Strength; form: string; ambiguous: boolean }>();
  for (const m of found) {
    for (const e of m.entries) {
      const prev = named.get(e.code);
      if (!prev || BASE[e.strength] > BASE[prev.strength]) named.set(e.code, { strength: e.strength, form: m.form, ambiguous: m.entries.length > 1 });
    }
  }
  // Units named outright (not via an ambiguous bare form) that an answer must agree with.
  const firm = [...named].filter(([, n]) => n.strength !== 'bare' && !n.ambiguous).map(([code]) => index.places.get(code)!);
  let best: { score: number; place: Place; confidence: number; matched: string[] } | null = null;
  for (const [code, n] of named) {
    const place = index.places.get(code)!;
    const support = place.ancestors.filter((a) => named.has(a));
    const related = (o: Place) => o.code === place.code || place.ancestors.includes(o.code) || o.ancestors.includes(place.code);
    const contradictions = firm.filter((o) => o.kind !== 'community' && !related(o)).length;
    if (n.strength === 'bare' && place.kind === 'community' && support.length === 0) continue;
    let confidence = BASE[n.strength];
    if (n.ambiguous) confidence = support.length ? confidence : Math.min(confidence, 0.45);
    if (support.length) confidence = Math.min(0.98, confidence + 0.05 + support.length * (n.strength === 'bare' ? 0.15 : 0.05));
    confidence -= 0.3 * contradictions;
    if (confidence <= 0.2) continue;
    const score = confidence * 10 + DEPTH[place.kind] * (confidence >= 0.55 ? 2 : 0.2);
    if (!best || score > best.score) {
      best = { score, place, confidence, matched: [...support.map((a) => named.get(a)!.form), n.form] };
    }
  }
  if (!best) return null;
  const p = best.place;
  return { unitCode: p.code, kind: p.kind, name: p.name, confidence: Math.round(best.confidence * 100) / 100, matched: best.matched };
}
