/**
 * The case workflow as one table: for each action, the statuses it may start from, the status it
 * leads to, which parties may take it and in what relation to the case, and what it changes.
 * Nothing else in the code decides whether a transition exists.
 */
import type { Party } from './actor.ts';
import type { CaseRef } from './policy.ts';
import type { CaseState, Rating, Status } from './case.ts';
import { STATUSES, STATUS_LIST } from './case.ts';
import type { AttachmentPurpose } from './attachment.ts';
import type { ClockName, Duration } from './clock-policy.ts';
import { EXTENSION_ACTION } from './clocks.ts';

export interface UnitRef {
  code: string;
  ancestors: string[];
}

/** The inputs each action takes once the edge has validated them and resolved unit codes. */
export interface ActionInputs {
  dispatch: { unit: UnitRef; note?: string };
  sign: { note?: string };
  return: { reason: string };
  rule_return: { decision: 'redispatch'; unit: UnitRef; reason?: string } | { decision: 'keep'; reason: string };
  transfer: { unit: UnitRef; reason: string };
  assist: { unit: UnitRef; note?: string };
  contact: { method: 'phone' | 'visit' | 'sms' | 'other'; note: string };
  feedback: { message: string };
  resolve: { reply: string };
  rate: { resolved: boolean; satisfied: boolean; comment?: string | null; by: Rating['by'] };
  close: { note?: string };
  reopen: { reason: string };
  merge: { into: { id: string; trackingNo: string } };
  answer: { reply: string };
  not_accept: { reason: string };
  pend: { reason: string };
  resume: { note?: string };
  reveal: { field: 'name' | 'phone' };
  extend: { clock: ClockName; amount: number; unit: Duration['unit']; reason: string };
  approve_extension: { clock: ClockName; amount: number; unit: Duration['unit']; note?: string };
  refuse_extension: { clock: ClockName; reason: string };
  /** 上报 / 提级: `unit` is the lead unit's parent; `fromUnitCode` the escalating (lead) unit. */
  escalate: { unit: UnitRef; fromUnitCode: string; reason: string };
  /** 吹哨报到: each unit becomes a co-unit that owes a signature (co_sign). */
  summon: { units: UnitRef[]; reason: string };
  /** 联动签收: `unitCode` is the signing actor's unit. */
  co_sign: { unitCode: string; note?: string };
  /** 交回: back to the unit that escalated, in the status it escalated from (domain/escalation.ts). */
  hand_back: { unit: UnitRef; status: Status; note: string };
  /** 补充材料: the citizen adds information; `attachmentIds` are files they uploaded before. */
  supplement: { content: string; attachmentIds: string[] };
  /** 撤回: the citizen withdraws a request that is not resolved yet. */
  withdraw: { reason?: string };
  /** 表扬信: the thank-you letter became its own praise case, addressed to the unit that handled this one. */
  thank: { praiseCase: { id: string; trackingNo: string } };
  /** A stored file joins the case (app/attachments.ts; not a body anyone can post). */
  attach: { attachmentId: string; purpose: AttachmentPurpose; mime: string; size: number; sha256: string };
}
export type CaseAction = keyof ActionInputs;

/**
 * How the actor must stand to the case: `scope` — the case involves the actor's unit or a unit
 * below it; `lead` — the actor's unit is the lead unit; `party` — lead or co-handling unit;
 * `owner` — the citizen proved the case is theirs; `summoned` — the actor's unit was summoned (吹哨)
 * and has not co-signed yet (derived from the events: policy.ts CaseRef.awaitingCoSign).
 */
export type Relation = 'scope' | 'lead' | 'party' | 'owner' | 'summoned';

interface Rule<A extends CaseAction> {
  from: readonly Status[];
  to: Status | 'same' | ((c: CaseState, input: ActionInputs[A]) => Status);
  parties: Partial<Record<Party, Relation>>;
  /** A further condition on the case beyond its status, and why the action waits when it fails. */
  when?: { test: (c: CaseRef) => boolean; reason: string };
  /** Shown on the citizen's tracking page. */
  public: boolean;
  effect?: (c: CaseState, input: ActionInputs[A], now: Date) => Partial<CaseState>;
  /** What the event records; defaults to the input. Never personal data. */
  payload?: (input: ActionInputs[A]) => Record<string, unknown>;
  /** The event's action when it is not the action's name (the name another reader of the log expects). */
  event?: string;
}

const working = ['signed', 'reopened'] as const;
/** Every status before an answer: what the citizen may still add to or withdraw. */
const unresolved = STATUS_LIST.filter((s) => (['new', 'open', 'pending'] as const).includes(STATUSES[s] as 'new'));
const withUnit = (c: CaseState, u: UnitRef) => [...new Set([...c.scopeUnits, ...u.ancestors])];
const unitPayload = <I extends { unit: UnitRef }>({ unit, ...rest }: I) => ({ ...rest, unitCode: unit.code });
const lead = (c: CaseState, u: UnitRef, now: Date): Partial<CaseState> => ({
  leadUnitCode: u.code,
  scopeUnits: withUnit(c, u),
  dispatchedAt: now,
  signedAt: null,
  returnReason: null,
});

export const WORKFLOW: { [A in CaseAction]: Rule<A> } = {
  dispatch: {
    from: ['received'], to: 'dispatched', parties: { operator: 'scope' }, public: true,
    effect: (c, i, now) => lead(c, i.unit, now), payload: unitPayload,
  },
  sign: {
    from: ['dispatched'], to: 'signed', parties: { handler: 'lead' }, public: true,
    effect: (_c, _i, now) => ({ signedAt: now }),
  },
  return: {
    from: ['dispatched', 'signed'], to: 'return_requested', parties: { handler: 'lead' }, public: false,
    effect: (_c, i) => ({ returnReason: i.reason }),
  },
  rule_return: {
    from: ['return_requested'], to: 'dispatched', parties: { operator: 'scope' }, public: false,
    effect: (c, i, now) => (i.decision === 'redispatch' ? lead(c, i.unit, now) : { returnReason: null, dispatchedAt: now }),
    payload: (i) => (i.decision === 'redispatch' ? unitPayload(i) : i),
  },
  transfer: {
    from: ['dispatched', ...working], to: 'dispatched', parties: { operator: 'scope' }, public: true,
    effect: (c, i, now) => lead(c, i.unit, now), payload: unitPayload,
  },
  assist: {
    from: ['dispatched', ...working], to: 'same', parties: { operator: 'scope', handler: 'lead' }, public: false,
    effect: (c, i) => ({ coUnitCodes: [...new Set([...c.coUnitCodes, i.unit.code])], scopeUnits: withUnit(c, i.unit) }),
    payload: unitPayload,
  },
  contact: {
    from: [...working, 'escalated'], to: 'same', parties: { handler: 'party' }, public: true,
    effect: (c, _i, now) => ({ contactedAt: c.contactedAt ?? now }),
    payload: (i) => ({ method: i.method, note: i.note }),
  },
  feedback: {
    from: [...working, 'pending', 'escalated'], to: 'same', parties: { handler: 'party' }, public: true,
    effect: (c, _i, now) => ({ firstFeedbackAt: c.firstFeedbackAt ?? now }),
  },
  resolve: {
    from: working, to: 'resolved', parties: { handler: 'lead' }, public: true,
    effect: (_c, i, now) => ({ reply: i.reply, resolvedAt: now }),
  },
  // A merged reporter rates the answer of the case theirs was merged into; their case stays merged.
  rate: {
    from: ['resolved', 'merged'],
    when: { test: (c) => c.status !== 'merged' || c.rootAnswerToRate === true, reason: 'the case it was merged into has no answer yet, or its answer is rated already' },
    to: (c, i) => (c.status === 'merged' ? 'merged' : i.satisfied ? 'closed' : 'reopened'),
    parties: { citizen: 'owner', operator: 'scope' }, public: true,
    effect: (c, i, now) => {
      const rating: Rating = { resolved: i.resolved, satisfied: i.satisfied, comment: i.comment ?? null, by: i.by, at: now.toISOString() };
      if (c.status === 'merged') return { rating };
      return { rating, closedAt: i.satisfied ? now : null, resolvedAt: i.satisfied ? undefined : null };
    },
  },
  close: {
    from: ['resolved'], to: 'closed', parties: { operator: 'scope' }, public: true,
    effect: (_c, _i, now) => ({ closedAt: now }),
  },
  reopen: {
    from: ['resolved', 'closed'], to: 'reopened', parties: { operator: 'scope', leader: 'scope' }, public: true,
    effect: () => ({ resolvedAt: null, closedAt: null }),
  },
  merge: {
    from: ['received', 'dispatched'], to: 'merged', parties: { operator: 'scope' }, public: true,
    effect: (_c, i, now) => ({ mergedInto: i.into.id, closedAt: now }),
    payload: (i) => ({ intoCaseId: i.into.id, intoTrackingNo: i.into.trackingNo }),
  },
  answer: {
    from: ['received'], to: 'answered', parties: { operator: 'scope' }, public: true,
    effect: (_c, i, now) => ({ reply: i.reply, resolvedAt: now, closedAt: now }),
  },
  not_accept: {
    from: ['received'], to: 'not_accepted', parties: { operator: 'scope' }, public: true,
    effect: (_c, i, now) => ({ reply: i.reason, closedAt: now }),
  },
  pend: { from: working, to: 'pending', parties: { handler: 'lead' }, public: true },
  resume: { from: ['pending'], to: 'signed', parties: { handler: 'lead', citizen: 'owner' }, public: true },
  reveal: {
    from: STATUS_LIST, to: 'same', parties: { operator: 'scope', handler: 'party', leader: 'scope' }, public: false,
  },
  extend: { from: [...working, 'pending'], to: 'same', parties: { handler: 'lead' }, public: false },
  approve_extension: {
    from: [...working, 'pending'], to: 'same', parties: { leader: 'scope' }, public: false, event: EXTENSION_ACTION,
  },
  refuse_extension: { from: [...working, 'pending'], to: 'same', parties: { leader: 'scope' }, public: false },
  // Escalation and linkage: the parent leads while it coordinates, then hands the case back.
  escalate: {
    from: working, to: 'escalated', parties: { handler: 'lead' }, public: true,
    effect: (c, i) => ({ leadUnitCode: i.unit.code, scopeUnits: withUnit(c, i.unit) }),
    payload: (i) => ({ unitCode: i.unit.code, fromUnitCode: i.fromUnitCode, reason: i.reason }),
  },
  summon: {
    from: ['escalated'], to: 'same', parties: { handler: 'lead' }, public: false,
    effect: (c, i) => ({
      coUnitCodes: [...new Set([...c.coUnitCodes, ...i.units.map((u) => u.code)])],
      scopeUnits: [...new Set([...c.scopeUnits, ...i.units.flatMap((u) => u.ancestors)])],
    }),
    payload: (i) => ({ unitCodes: i.units.map((u) => u.code), reason: i.reason }),
  },
  co_sign: { from: [...working, 'escalated', 'pending'], to: 'same', parties: { handler: 'summoned' }, public: false },
  hand_back: {
    from: ['escalated'], to: (_c, i) => i.status, parties: { handler: 'lead' }, public: false,
    effect: (c, i) => ({ leadUnitCode: i.unit.code, scopeUnits: withUnit(c, i.unit) }),
    payload: (i) => ({ unitCode: i.unit.code, note: i.note }),
  },
  // The citizen's side (also taken by an operator for a citizen on the phone, except thank).
  supplement: {
    from: unresolved, to: (c) => (STATUSES[c.status] === 'pending' ? 'signed' : c.status),
    parties: { citizen: 'owner', operator: 'scope' }, public: true,
  },
  withdraw: {
    from: unresolved, to: 'withdrawn', parties: { citizen: 'owner', operator: 'scope' }, public: true,
    effect: (_c, _i, now) => ({ closedAt: now }),
  },
  thank: {
    from: ['resolved', 'closed'], to: 'same', parties: { citizen: 'owner' }, public: true,
    payload: (i) => ({ praiseCaseId: i.praiseCase.id, praiseTrackingNo: i.praiseCase.trackingNo }),
  },
  attach: {
    from: STATUS_LIST.filter((s) => s !== 'merged' && s !== 'withdrawn'), to: 'same',
    parties: { citizen: 'owner', operator: 'scope', handler: 'scope', leader: 'scope' }, public: false,
  },
};

export const CASE_ACTIONS = Object.keys(WORKFLOW) as CaseAction[];

export interface Transition {
  /** The action the event records. */
  event: string;
  from: Status;
  to: Status;
  patch: Partial<CaseState>;
  payload: Record<string, unknown>;
  public: boolean;
}

/**
 * Applies an action to a case. Assumes the caller checked `can` (policy.ts); throws only if the
 * status does not allow the action, which is a programming error past that check.
 */
export function transition<A extends CaseAction>(c: CaseState, action: A, input: ActionInputs[A], now: Date): Transition {
  const rule = WORKFLOW[action] as Rule<A>;
  if (!rule.from.includes(c.status)) throw new Error(`${action} is not allowed from ${c.status}`);
  const to = rule.to === 'same' ? c.status : typeof rule.to === 'function' ? rule.to(c, input) : rule.to;
  const patch = { ...(rule.effect?.(c, input, now) ?? {}), status: to, updatedAt: now };
  for (const k of Object.keys(patch) as (keyof CaseState)[]) if (patch[k] === undefined) delete patch[k];
  const payload = rule.payload ? rule.payload(input) : { ...(input as Record<string, unknown>) };
  return { event: rule.event ?? action, from: c.status, to, patch, payload, public: rule.public };
}
