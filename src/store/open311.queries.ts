/**
 * Reads behind the public Open311 API. Not scoped by an actor: callers pass the channels whose
 * cases may be published (domain/open311.ts decides which) and every query filters on them.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lte, notInArray, or, type SQL } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { caseEvents, cases } from './schema.ts';

export type CaseRow = typeof cases.$inferSelect;

export interface PublishedFilter {
  channels: readonly string[];
  trackingNos?: string[];
  /** Stored category values to match. */
  categories?: string[];
  /** Also match cases whose category is null or none of these (the fallback category). */
  uncategorisedExcept?: string[];
  statusCategories?: string[];
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** Published cases, newest first. */
export async function listPublishedCases(tx: Tx, f: PublishedFilter): Promise<CaseRow[]> {
  if (f.channels.length === 0) return [];
  const category: SQL[] = [];
  if (f.categories?.length) category.push(inArray(cases.category, f.categories));
  if (f.uncategorisedExcept) category.push(or(isNull(cases.category), notInArray(cases.category, f.uncategorisedExcept))!);
  const where = [
    inArray(cases.channel, [...f.channels]),
    f.trackingNos ? inArray(cases.trackingNo, f.trackingNos) : undefined,
    category.length ? or(...category) : undefined,
    f.statusCategories ? inArray(cases.statusCategory, f.statusCategories) : undefined,
    f.from ? gte(cases.createdAt, f.from) : undefined,
    f.to ? lte(cases.createdAt, f.to) : undefined,
  ];
  return tx.select().from(cases).where(and(...where))
    .orderBy(desc(cases.createdAt), desc(cases.id)).limit(f.limit).offset(f.offset);
}

export async function getPublishedCase(tx: Tx, channels: readonly string[], by: { trackingNo: string } | { id: string }): Promise<CaseRow | null> {
  if (channels.length === 0) return null;
  const key = 'trackingNo' in by ? eq(cases.trackingNo, by.trackingNo) : eq(cases.id, by.id);
  const rows = await tx.select().from(cases).where(and(key, inArray(cases.channel, [...channels])));
  return rows[0] ?? null;
}

/** Events with the given actions on published cases within a time window, oldest first. */
export async function listPublishedEvents(tx: Tx, f: { channels: readonly string[]; actions: string[]; from: Date; to: Date; limit: number; offset: number }) {
  if (f.channels.length === 0 || f.actions.length === 0) return [];
  return tx
    .select({
      seq: caseEvents.seq, at: caseEvents.at, action: caseEvents.action, fromStatus: caseEvents.fromStatus,
      toStatus: caseEvents.toStatus, payload: caseEvents.payload, trackingNo: cases.trackingNo, caseStatus: cases.status,
    })
    .from(caseEvents)
    .innerJoin(cases, eq(cases.id, caseEvents.caseId))
    .where(and(
      inArray(cases.channel, [...f.channels]), inArray(caseEvents.action, f.actions),
      gte(caseEvents.at, f.from), lte(caseEvents.at, f.to),
    ))
    .orderBy(asc(caseEvents.at), asc(caseEvents.id))
    .limit(f.limit).offset(f.offset);
}
