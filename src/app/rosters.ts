/**
 * Duty rosters (专班 / 轮班) as use cases: read a unit's shifts and who is on duty, add shifts
 * (one by one or from a template), delete a future shift, import a CSV. Saving checks every
 * shift (domain/roster.ts) against the batch and the same people's shifts at any unit, all or
 * nothing, in one transaction.
 */
import { z } from 'zod';
import type { Actor } from '../domain/actor.ts';
import { DomainError, badInput, notFound } from '../domain/errors.ts';
import type { Unit } from '../domain/org.ts';
import { readRosterCsv } from '../domain/roster-csv.ts';
import {
  DUTY_ROLES, SHIFT_TEMPLATE_NAMES, assignInTurn, canManageRoster, canReadRoster, checkShifts, parseShiftTime, templateSlots,
  type Shift, type ShiftIssue,
} from '../domain/roster.ts';
import type { Tx } from '../store/db.ts';
import {
  deleteShift as removeShift, getShift, insertShifts, listShifts, lockRosterOf, onDutyUsers, userShifts, usersByUsername, type ShiftRow,
} from '../store/rosters.queries.ts';
import { getUnit } from '../store/units.queries.ts';
import type { Deps } from './deps.ts';

const Time = z.string().trim().max(40).transform((s, ctx) => {
  const d = parseShiftTime(s);
  if (!d) ctx.addIssue({ code: 'custom', message: 'must be an ISO datetime with a zone or YYYY-MM-DD HH:mm (China time)' });
  return d ?? new Date(NaN);
});
const Username = z.string().trim().min(1).max(40);
const Label = z.string().trim().min(1).max(40);

/** Either explicit `shifts` (times ISO with a zone or China-local) or a `template` handed to `usernames` in turn. */
export const AddShiftsBody = z.object({
  shifts: z.array(z.object({ username: Username, startsAt: Time, endsAt: Time, label: Label.optional() })).min(1).max(500).optional(),
  template: z.object({
    kind: z.enum(SHIFT_TEMPLATE_NAMES as ['three_8h', 'one_24h']),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm').default('08:00'),
    days: z.number().int().min(1).max(31).default(1),
    usernames: z.array(Username).min(1).max(50),
  }).optional(),
}).refine((b) => !!b.shifts !== !!b.template, { message: 'give either shifts or a template', path: ['shifts'] });
export type AddShiftsInput = z.infer<typeof AddShiftsBody>;

export const RosterQuery = z.object({ from: z.coerce.date().optional(), to: z.coerce.date().optional() });
export const OnDutyQuery = z.object({ at: z.coerce.date().optional() });

const MAX_RANGE_MS = 62 * 24 * 3_600_000;
const DEFAULT_RANGE_MS = 7 * 24 * 3_600_000;

/** A planned shift named by username, before the names are resolved. */
interface Planned {
  username: string;
  startsAt: Date;
  endsAt: Date;
  label: string | null;
}

/** A shift as the API and the CLI show it. */
export function presentShift(s: ShiftRow) {
  return {
    id: s.id, unitCode: s.unitCode, startsAt: s.startsAt, endsAt: s.endsAt, label: s.label,
    user: { id: s.userId, username: s.username, displayName: s.displayName },
  };
}

async function unitFor(tx: Tx, code: string): Promise<Unit> {
  const unit = await getUnit(tx, code);
  if (!unit) throw notFound(`unit ${code}`);
  return unit;
}

/**
 * Resolves names and checks and saves a batch, or returns the problems (each with its batch
 * index); saves nothing then. Run inside the caller's transaction.
 */
async function saveShifts(tx: Tx, unitCode: string, planned: readonly Planned[]): Promise<{ ids: string[]; issues: (Omit<ShiftIssue, 'field'> & { field: ShiftIssue['field'] | 'username' })[] }> {
  const found = new Map((await usersByUsername(tx, planned.map((p) => p.username))).map((u) => [u.username, u]));
  const issues: (Omit<ShiftIssue, 'field'> & { field: ShiftIssue['field'] | 'username' })[] = [];
  planned.forEach((p, index) => {
    const u = found.get(p.username);
    if (!u) issues.push({ index, field: 'username', message: `no account named ${p.username}` });
    else if (u.disabled) issues.push({ index, field: 'username', message: `${p.username}'s account is disabled` });
    else if (!DUTY_ROLES.includes(u.role as never)) issues.push({ index, field: 'username', message: `${p.username} is ${u.role === 'admin' ? 'an' : 'a'} ${u.role}, who stands no duty` });
  });
  const shifts: Shift[] = planned.map((p) => ({ userId: found.get(p.username)?.id ?? `?${p.username}`, startsAt: p.startsAt, endsAt: p.endsAt, label: p.label }));
  const valid = shifts.filter((s) => !Number.isNaN(+s.startsAt) && !Number.isNaN(+s.endsAt));
  const userIds = [...new Set(shifts.map((s) => s.userId).filter((id) => !id.startsWith('?')))];
  await lockRosterOf(tx, userIds);
  const existing = valid.length
    ? await userShifts(tx, userIds, new Date(Math.min(...valid.map((s) => +s.startsAt))), new Date(Math.max(...valid.map((s) => +s.endsAt))))
    : [];
  issues.push(...checkShifts(shifts, existing));
  issues.sort((a, b) => a.index - b.index);
  if (issues.length) return { ids: [], issues };
  return { ids: await insertShifts(tx, unitCode, shifts), issues: [] };
}

/**
 * Adds shifts to a unit's roster: explicit ones, or a template's slots given to people in turn.
 * Throws not_found for an unknown unit, forbidden when the actor may not manage it, bad_input
 * naming the first problem (`shifts.2.endsAt: …`, or `template: slot 3 …`) with all of them in
 * `details.problems`.
 */
export async function addShifts(deps: Deps, actor: Actor, unitCode: string, body: AddShiftsInput) {
  return deps.db.orm.transaction(async (tx) => {
    const unit = await unitFor(tx, unitCode);
    if (!canManageRoster(actor, unit)) throw new DomainError('forbidden', `you may not change the roster of ${unit.code}`);
    let planned: Planned[];
    let where: (index: number, field: string) => string;
    if (body.shifts) {
      planned = body.shifts.map((s) => ({ username: s.username, startsAt: s.startsAt, endsAt: s.endsAt, label: s.label ?? null }));
      where = (i, field) => `shifts.${i}.${field}`;
    } else {
      const t = body.template!;
      const slots = assignInTurn(templateSlots(t.kind, t.date, t.start, t.days), t.usernames);
      planned = slots.map((s) => ({ username: s.userId, startsAt: s.startsAt, endsAt: s.endsAt, label: s.label }));
      where = (i) => `template: slot ${i + 1} (${planned[i]!.username})`;
    }
    const { ids, issues } = await saveShifts(tx, unit.code, planned);
    if (issues.length) {
      const problems = issues.map((p) => `${where(p.index, p.field)}: ${p.message}`);
      const first = issues[0]!;
      throw new DomainError('bad_input', problems[0]!, { field: body.shifts ? `shifts.${first.index}.${first.field}` : 'template', problems });
    }
    const rows = await listShifts(tx, [unit.code], new Date(Math.min(...planned.map((p) => +p.startsAt))), new Date(Math.max(...planned.map((p) => +p.endsAt))));
    const added = new Set(ids);
    return { shifts: rows.filter((r) => added.has(r.id)).map(presentShift) };
  });
}

/** A unit's shifts overlapping [from, to) (default: the next 7 days; at most 62). Throws not_found, forbidden, bad_input. */
export async function readRoster(deps: Deps, actor: Actor, unitCode: string, q: z.infer<typeof RosterQuery>) {
  const unit = await unitFor(deps.db.orm, unitCode);
  if (!canReadRoster(actor, unit)) throw new DomainError('forbidden', `you may not read the roster of ${unit.code}`);
  const from = q.from ?? deps.now();
  const to = q.to ?? new Date(+from + DEFAULT_RANGE_MS);
  if (+to <= +from) throw badInput('to', 'must be after from');
  if (+to - +from > MAX_RANGE_MS) throw badInput('to', 'the range is at most 62 days');
  const rows = await listShifts(deps.db.orm, [unit.code], from, to);
  return { unitCode: unit.code, unitName: unit.name, from, to, shifts: rows.map(presentShift) };
}

/** Who is on duty at a unit at `at` (default now). Throws not_found, forbidden. */
export async function whoIsOnDuty(deps: Deps, actor: Actor, unitCode: string, at?: Date) {
  const unit = await unitFor(deps.db.orm, unitCode);
  if (!canReadRoster(actor, unit)) throw new DomainError('forbidden', `you may not read the roster of ${unit.code}`);
  const when = at ?? deps.now();
  const rows = await onDutyUsers(deps.db.orm, unit.code, when);
  return { unitCode: unit.code, unitName: unit.name, at: when, onDuty: rows.map(presentShift) };
}

/**
 * Deletes a shift that has not started; a started shift is history (the case view shows who was
 * on duty) and is kept. Throws not_found, forbidden, conflict.
 */
export async function deleteShift(deps: Deps, actor: Actor, unitCode: string, id: string): Promise<void> {
  await deps.db.orm.transaction(async (tx) => {
    const unit = await unitFor(tx, unitCode);
    if (!canManageRoster(actor, unit)) throw new DomainError('forbidden', `you may not change the roster of ${unit.code}`);
    if (!z.string().uuid().safeParse(id).success) throw notFound('shift');
    const shift = await getShift(tx, unit.code, id);
    if (!shift) throw notFound('shift');
    if (+shift.startsAt <= +deps.now()) throw new DomainError('conflict', 'the shift has started; it is part of the record and stays');
    await removeShift(tx, unit.code, id);
  });
}

/**
 * `suqiu roster import`: reads the CSV and saves every shift or none. Throws bad_input listing
 * every problem, one per line, each naming its CSV line; not_found for an unknown unit.
 */
export async function importRosterCsv(deps: Deps, unitCode: string, text: string): Promise<{ unitCode: string; shifts: number }> {
  return deps.db.orm.transaction(async (tx) => {
    const unit = await unitFor(tx, unitCode);
    const { rows, problems } = readRosterCsv(text);
    const column = { username: 'username', startsAt: 'starts_at', endsAt: 'ends_at', userId: 'username' } as const;
    const { issues } = rows.length ? await saveShifts(tx, unit.code, rows) : { issues: [] };
    const all = [
      ...problems,
      ...issues.map((i) => ({ line: rows[i.index]!.line, message: `${column[i.field]}: ${i.message}` })),
    ].sort((a, b) => a.line - b.line);
    if (all.length) {
      // Nothing may stay when anything failed: throwing rolls the transaction back.
      throw new DomainError('bad_input', all.map((p) => `line ${p.line}: ${p.message}`).join('\n'), { problems: all });
    }
    return { unitCode: unit.code, shifts: rows.length };
  });
}
