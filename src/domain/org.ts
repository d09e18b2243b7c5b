/**
 * The org tree: administrative service centers (city → district → street → community → site)
 * and functional bureaus (bureau → branch → station). Pure data and tree helpers.
 */
import { badInput, DomainError } from './errors.ts';

export const UNIT_KINDS = ['city', 'district', 'street', 'community', 'site', 'bureau', 'branch', 'station'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const SITE_TYPES = ['estate', 'construction', 'park', 'cbd', 'school', 'hospital', 'market', 'other'] as const;
export type SiteType = (typeof SITE_TYPES)[number];

/** Which kinds may sit directly under which: one rule for the whole tree. */
export const CHILD_KINDS: Record<UnitKind, readonly UnitKind[]> = {
  city: ['district', 'bureau'],
  district: ['street'],
  street: ['community'],
  community: ['site'],
  site: [],
  bureau: ['branch', 'station'],
  branch: ['station'],
  station: [],
};

export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  siteType?: SiteType | null;
  /** Codes from the root down to and including this unit. */
  ancestors: string[];
}

/** One row of seed or import data: the tree is described by parent codes only. */
export interface SeedUnit {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  siteType?: SiteType | null;
}

const SITE_NAME_MAX = 60;
const CODE_PATTERN = /^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/;

const invalid = (message: string) => new DomainError('bad_input', message);

/**
 * Turns flat rows (any order) into units with their ancestors, parents before children.
 * Throws DomainError 'bad_input' on a duplicate code, an unknown kind, a missing parent, a root
 * that is not a city, a kind not allowed under its parent (CHILD_KINDS), a site without a valid
 * site type or a cycle.
 */
export function buildUnits(rows: readonly SeedUnit[]): Unit[] {
  const byCode = new Map<string, SeedUnit>();
  for (const row of rows) {
    if (byCode.has(row.code)) throw invalid(`unit ${row.code}: duplicate code`);
    if (!UNIT_KINDS.includes(row.kind)) throw invalid(`unit ${row.code}: unknown kind '${row.kind}'`);
    byCode.set(row.code, row);
  }
  const ancestors = new Map<string, string[]>();
  const resolve = (row: SeedUnit, path: Set<string>): string[] => {
    const done = ancestors.get(row.code);
    if (done) return done;
    if (path.has(row.code)) throw invalid(`unit ${row.code}: cycle through ${[...path].join(' → ')}`);
    const parent = row.parentCode === null ? undefined : byCode.get(row.parentCode);
    checkPlacement(row, parent);
    path.add(row.code);
    const own = parent ? [...resolve(parent, path), row.code] : [row.code];
    ancestors.set(row.code, own);
    return own;
  };
  return rows
    .map((row): Unit => ({
      code: row.code,
      name: row.name,
      kind: row.kind,
      parentCode: row.parentCode,
      siteType: row.siteType ?? null,
      ancestors: resolve(row, new Set()),
    }))
    .sort((a, b) => a.ancestors.length - b.ancestors.length || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function checkPlacement(row: SeedUnit, parent: SeedUnit | undefined): void {
  if (row.parentCode === null) {
    if (row.kind !== 'city') throw invalid(`unit ${row.code}: only a city may be a root, not a ${row.kind}`);
  } else if (!parent) {
    throw invalid(`unit ${row.code}: parent ${row.parentCode} does not exist`);
  } else if (!CHILD_KINDS[parent.kind].includes(row.kind)) {
    throw invalid(`unit ${row.code}: a ${row.kind} may not sit under a ${parent.kind} (${parent.code})`);
  }
  const hasSiteType = row.siteType !== undefined && row.siteType !== null;
  if (row.kind === 'site' && !(hasSiteType && SITE_TYPES.includes(row.siteType as SiteType))) {
    throw invalid(`unit ${row.code}: a site needs a site type (${SITE_TYPES.join(', ')})`);
  }
  if (row.kind !== 'site' && hasSiteType) throw invalid(`unit ${row.code}: only a site has a site type`);
}

/** True when the unit is rootCode or lies below it: the visibility test for one record. */
export function isWithin(unit: Pick<Unit, 'ancestors'>, rootCode: string): boolean {
  return unit.ancestors.includes(rootCode);
}

/** Every unit strictly below `code` (the unit itself excluded), in the input order. */
export function descendantsOf(units: readonly Unit[], code: string): Unit[] {
  return units.filter((u) => u.code !== code && u.ancestors.includes(code));
}

/** What a user gives to register a site (estate, construction site, park, …) under a community. */
export interface SiteInput {
  code?: string;
  name: string;
  siteType: SiteType;
}

/**
 * Makes a new site under a community. Without a code it gets `${parent.code}-S${n}`, n one past the
 * highest number in use under that parent (so a code is never reused). Throws DomainError
 * 'bad_input' when the parent is not a community, the name is not 1-60 characters, the site type
 * or the code is malformed; 'conflict' when the code is taken.
 */
export function makeSite(parent: Unit, input: SiteInput, existingCodes: Iterable<string>): Unit {
  if (!CHILD_KINDS[parent.kind].includes('site')) {
    throw badInput('parentCode', `a site must sit under a community, not a ${parent.kind} (${parent.code})`);
  }
  const name = input.name.trim();
  const length = [...name].length;
  if (length < 1 || length > SITE_NAME_MAX) throw badInput('name', `must be 1-${SITE_NAME_MAX} characters`);
  if (!SITE_TYPES.includes(input.siteType)) throw badInput('siteType', `must be one of ${SITE_TYPES.join(', ')}`);
  const taken = new Set(existingCodes);
  const code = input.code ?? nextSiteCode(parent.code, taken);
  if (!CODE_PATTERN.test(code)) throw badInput('code', 'must be 1-64 letters, digits or dashes');
  if (taken.has(code)) throw new DomainError('conflict', `code: ${code} is already in use`, { field: 'code' });
  return { code, name, kind: 'site', parentCode: parent.code, siteType: input.siteType, ancestors: [...parent.ancestors, code] };
}

function nextSiteCode(parentCode: string, taken: ReadonlySet<string>): string {
  const prefix = `${parentCode}-S`;
  let highest = 0;
  for (const code of taken) {
    const n = code.startsWith(prefix) ? Number(code.slice(prefix.length)) : NaN;
    if (Number.isInteger(n) && n > highest) highest = n;
  }
  return `${prefix}${highest + 1}`;
}
