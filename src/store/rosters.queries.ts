/**
 * Duty shifts (duty_shifts): who is on duty for a unit. Accept a transaction or the database.
 * Shifts are half-open [starts_at, ends_at).
 */
import { and, asc, eq, gt, inArray, lt, lte, sql } from 'drizzle-orm';
import type { DutyShift } from '../domain/duty.ts';
import type { Shift } from '../domain/roster.ts';
import { rowsOf, type Tx } from './db.ts';
import { dutyShifts, users } from './schema.ts';

export interface ShiftRow extends DutyShift {
  username: string;
  displayName: string;
}

const shiftColumns = {
  id: dutyShifts.id, unitCode: dutyShifts.unitCode, userId: dutyShifts.userId, startsAt: dutyShifts.startsAt,
  endsAt: dutyShifts.endsAt, label: dutyShifts.label, username: users.username, displayName: users.displayName,
};

/**
 * Ids of the enabled users whose shift at `unitCode` covers `at` — whom to tell about a case
 * arriving there. Empty when nobody is rostered.
 */
export async function onDutyUserIds(tx: Tx, unitCode: string, at: Date): Promise<string[]> {
  return (await onDutyUsers(tx, unitCode, at)).map((u) => u.userId);
}

/** The covering shifts at `unitCode` at `at` with their people (enabled accounts only), earliest start first. */
export async function onDutyUsers(tx: Tx, unitCode: string, at: Date): Promise<(ShiftRow & { email: string | null })[]> {
  return tx.select({ ...shiftColumns, email: users.email })
    .from(dutyShifts).innerJoin(users, eq(users.id, dutyShifts.userId))
    .where(and(eq(dutyShifts.unitCode, unitCode), lte(dutyShifts.startsAt, at), gt(dutyShifts.endsAt, at), eq(users.disabled, false)))
    .orderBy(asc(dutyShifts.startsAt), asc(users.username));
}

/** Shifts at any of `unitCodes` overlapping [from, to), in start order. */
export async function listShifts(tx: Tx, unitCodes: readonly string[], from: Date, to: Date): Promise<ShiftRow[]> {
  if (unitCodes.length === 0) return [];
  return tx.select(shiftColumns)
    .from(dutyShifts).innerJoin(users, eq(users.id, dutyShifts.userId))
    .where(and(inArray(dutyShifts.unitCode, [...unitCodes]), lt(dutyShifts.startsAt, to), gt(dutyShifts.endsAt, from)))
    .orderBy(asc(dutyShifts.startsAt), asc(users.username));
}

/** The given users' shifts at any unit overlapping [from, to): what new shifts must not collide with. */
export async function userShifts(tx: Tx, userIds: readonly string[], from: Date, to: Date): Promise<Shift[]> {
  if (userIds.length === 0) return [];
  return tx.select({ id: dutyShifts.id, unitCode: dutyShifts.unitCode, userId: dutyShifts.userId, startsAt: dutyShifts.startsAt, endsAt: dutyShifts.endsAt, label: dutyShifts.label })
    .from(dutyShifts)
    .where(and(inArray(dutyShifts.userId, [...userIds]), lt(dutyShifts.startsAt, to), gt(dutyShifts.endsAt, from)));
}

/**
 * Serializes roster changes per person until the transaction ends (transaction-scoped advisory
 * locks, taken in a fixed order), so two concurrent imports cannot both pass the overlap check.
 */
export async function lockRosterOf(tx: Tx, userIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(userIds)].sort()) {
    await rowsOf(tx, sql`select pg_advisory_xact_lock(hashtextextended(${`duty:${id}`}, 0))`);
  }
}

/** Inserts checked shifts (domain/roster.ts checkShifts) at a unit; returns their ids in order. */
export async function insertShifts(tx: Tx, unitCode: string, shifts: readonly Shift[]): Promise<string[]> {
  if (shifts.length === 0) return [];
  const rows = await tx.insert(dutyShifts)
    .values(shifts.map((s) => ({ unitCode, userId: s.userId, startsAt: s.startsAt, endsAt: s.endsAt, label: s.label })))
    .returning({ id: dutyShifts.id });
  return rows.map((r) => r.id);
}

/** One shift of a unit, or null. */
export async function getShift(tx: Tx, unitCode: string, id: string): Promise<ShiftRow | null> {
  const [row] = await tx.select(shiftColumns).from(dutyShifts).innerJoin(users, eq(users.id, dutyShifts.userId))
    .where(and(eq(dutyShifts.id, id), eq(dutyShifts.unitCode, unitCode)));
  return row ?? null;
}

/** Deletes one shift of the unit; false when there is no such shift there. */
export async function deleteShift(tx: Tx, unitCode: string, id: string): Promise<boolean> {
  const rows = await tx.delete(dutyShifts).where(and(eq(dutyShifts.id, id), eq(dutyShifts.unitCode, unitCode))).returning({ id: dutyShifts.id });
  return rows.length === 1;
}

/** Enabled and disabled users by username, for resolving a roster's names. */
export async function usersByUsername(tx: Tx, usernames: readonly string[]) {
  if (usernames.length === 0) return [];
  return tx.select({ id: users.id, username: users.username, role: users.role, disabled: users.disabled })
    .from(users).where(inArray(users.username, [...usernames]));
}
