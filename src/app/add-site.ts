/**
 * Registers a site (estate, construction site, park, school, …) under a community, so cases can be
 * routed to it and its staff see only its own cases.
 */
import { DomainError, notFound } from '../domain/errors.ts';
import { makeSite, type SiteInput, type Unit } from '../domain/org.ts';
import type { Db } from '../store/db.ts';
import { childCodes, getUnit, insertUnit } from '../store/units.queries.ts';

/**
 * Adds the site and returns it. Throws DomainError 'not_found' when the parent does not exist,
 * 'bad_input' when it is not a community or the input is invalid, 'conflict' when the code is taken.
 */
export async function addSite(db: Db, parentCode: string, input: SiteInput): Promise<Unit> {
  return db.orm.transaction(async (tx) => {
    const parent = await getUnit(tx, parentCode);
    if (!parent) throw notFound(`parent unit ${parentCode}`);
    const site = makeSite(parent, input, await childCodes(tx, parent.code));
    if (!(await insertUnit(tx, site))) {
      throw new DomainError('conflict', `code: ${site.code} is already in use`, { field: 'code' });
    }
    return site;
  });
}
