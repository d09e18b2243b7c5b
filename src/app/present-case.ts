/**
 * The staff view of a case: masked personal data, unit names, the timeline with who did what,
 * the clocks and the actions the actor may take. The UI draws its buttons from `allowedActions`.
 */
import type { StaffActor } from '../domain/actor.ts';
import { CASE_TYPE_LABELS, STATUS_LABELS, categoryOf, type CaseState } from '../domain/case.ts';
import { maskName, maskPhone } from '../domain/mask.ts';
import { allowedActions, canSee, type CaseRef } from '../domain/policy.ts';
import { ACTION_LABELS } from '../domain/timeline.ts';
import type { CaseAction } from '../domain/workflow.ts';
import type { Tx } from '../store/db.ts';
import { listEventsWithActors, mergedInto, toState, type CaseRow } from '../store/cases.queries.ts';
import { getUnits } from '../store/units.queries.ts';
import type { Deps } from './deps.ts';
import { caseDuty } from './case-duty.ts';
import { presentClocks } from './present-clocks.ts';
import { clockLabel, dueStatus, type StoredClockTimes } from '../domain/clock-points.ts';
import type { ClockName } from '../domain/clock-policy.ts';
import { withPolicyFacts } from './policy-facts.ts';
import { caseIntel } from './intel/case-intel.ts';

type UnitNames = Map<string, string>;

const SPECIAL_ACTOR_NAMES: Readonly<Record<string, string>> = { citizen: '诉求人', system: '系统' };

export async function unitNames(tx: Tx, rows: CaseState[]): Promise<UnitNames> {
  const codes = new Set(rows.flatMap((c) => [c.intakeUnitCode, c.leadUnitCode, ...c.coUnitCodes].filter((x): x is string => !!x)));
  return new Map((await getUnits(tx, [...codes])).map((u) => [u.code, u.name]));
}

const unit = (names: UnitNames, code: string | null) => (code ? { code, name: names.get(code) ?? code } : null);

/** The list-row view. */
export function presentSummary(deps: Deps, actor: StaffActor, row: CaseRow, names: UnitNames) {
  const c = toState(row);
  return {
    id: c.id, trackingNo: c.trackingNo, channel: c.channel, type: c.type, typeLabel: CASE_TYPE_LABELS[c.type],
    category: c.category, content: c.content, address: c.address, lat: c.lat, lng: c.lng, urgency: c.urgency,
    groupSize: c.groupSize, amount: c.amount === null ? null : Number(c.amount),
    status: c.status, statusLabel: STATUS_LABELS[c.status], statusCategory: categoryOf(c.status),
    intakeUnit: unit(names, c.intakeUnitCode), leadUnit: unit(names, c.leadUnitCode),
    coUnits: c.coUnitCodes.map((code) => unit(names, code)),
    citizen: {
      anonymous: c.anonymous,
      name: row.citizenName ? maskName(deps.pii.decrypt(row.citizenName)) : null,
      phone: row.citizenPhone ? maskPhone(deps.pii.decrypt(row.citizenPhone)) : null,
    },
    reply: c.reply, rating: c.rating, mergedInto: c.mergedInto, returnReason: c.returnReason,
    createdAt: c.createdAt, updatedAt: c.updatedAt, dispatchedAt: c.dispatchedAt, signedAt: c.signedAt,
    contactedAt: c.contactedAt, firstFeedbackAt: c.firstFeedbackAt, resolvedAt: c.resolvedAt, closedAt: c.closedAt,
    allowedActions: allowedActions(actor, c) as CaseAction[],
    supervised: row.supervised, nextDueAt: row.nextDueAt, due: dueStatus(row.clocks as StoredClockTimes[], deps.now()),
    // The live clocks' deadlines as of the last event, for the list's countdowns (the full view has `clocks`).
    dueClocks: (row.clocks as (StoredClockTimes & { name: ClockName; run: number })[])
      .filter((k) => k.run > 0 && k.metAt == null && k.cancelledAt == null && k.dueAt != null)
      .map((k) => ({ name: k.name, label: clockLabel(k.name), dueAt: new Date(k.dueAt!).toISOString() })),
  };
}

/** The full view: summary plus timeline and clocks. */
export async function presentCase(deps: Deps, tx: Tx, actor: StaffActor, row: CaseRow) {
  const c = toState(row);
  const names = await unitNames(tx, [c]);
  const events = await listEventsWithActors(tx, c.id);
  return {
    ...presentSummary(deps, actor, row, names),
    // co_sign depends on the summons in the events, rating a merged case on its root (policy.ts CaseRef).
    allowedActions: allowedActions(actor, await withPolicyFacts(tx, c, events)) as CaseAction[],
    duty: await caseDuty(tx, c, events, row.clocks, deps.now()),
    // 合并件: the duplicates merged into this case that the actor may see (their reporters follow it and rate its answer).
    mergedCases: (await mergedInto(tx, c.id)).filter((m) => canSee(actor, { id: m.id, scopeUnits: m.scopeUnits } as CaseRef))
      .map((m) => ({ id: m.id, trackingNo: m.trackingNo })),
    timeline: events.map((e) => ({
      seq: e.seq, at: e.at, action: e.action, label: ACTION_LABELS[e.action as CaseAction] ?? e.action,
      from: e.fromStatus, to: e.toStatus, payload: e.payload,
      actor: { id: e.actorId, role: e.actorRole, unitCode: e.actorUnit, name: e.actorName ?? SPECIAL_ACTOR_NAMES[e.actorRole] ?? null },
    })),
    ...(await presentClocks(deps, tx, c.id, events, deps.now())),
    // Intake suggestions and risk flags (app/intel/case-intel.ts).
    intel: await caseIntel(tx, c.id, actor),
  };
}
