/**
 * 受理: a request enters the platform, from the public form, a QR code, a mailbox or an operator
 * registering a walk-in or hotline call. One transaction writes the case and its `accept` event.
 */
import { randomUUID, createHash } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../domain/actor.ts';
import { CASE_TYPES, CHANNELS, URGENCIES, type CaseState } from '../domain/case.ts';
import { DomainError, badInput } from '../domain/errors.ts';
import { normalizePhone } from '../domain/mask.ts';
import { canSubmit } from '../domain/policy.ts';
import { chinaDay, formatTrackingNo } from '../domain/tracking.ts';
import { insertCase, nextDailyCounter, type SealedCitizen } from '../store/cases.queries.ts';
import type { Tx } from '../store/db.ts';
import type { Deps } from './deps.ts';
import { recordEvent } from './record-event.ts';
import { afterCaseEvent } from './case-effects.ts';
import { resolveIntakeUnit } from './intake-unit.ts';
import { UnitCode } from './actions/fields.ts';
import { assessIntake, locateIntake, recordIntakeIntel, type IntakeSuggestions } from './intel/intake-intel.ts';

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

export const SubmitBody = z.object({
  content: z.string().trim().min(5, 'must be at least 5 characters').max(5000, 'must be at most 5000 characters'),
  type: z.enum(CASE_TYPES).default('help'),
  category: z.string().trim().min(1).max(40).optional(),
  channel: z.enum(CHANNELS).default('web'),
  urgency: z.enum(URGENCIES).default('normal'),
  address: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  // Seven decimals (about 1 cm); also keeps denormal numbers out of the float4 column.
  lat: z.number().min(-90).max(90).transform(round7).optional(),
  lng: z.number().min(-180).max(180).transform(round7).optional(),
  unitCode: UnitCode.optional(),
  citizen: z.object({
    name: z.string().trim().max(40, 'must be at most 40 characters').optional(),
    phone: z.string().trim().max(30).optional(),
    anonymous: z.boolean().default(false),
  }).default({ anonymous: false }),
  groupSize: z.number().int('must be a whole number').min(1).max(100_000).optional(),
  /** 信访事项: handled under the petition time limits (15 days to decide, 60 to handle). */
  petition: z.boolean().optional(),
  /** 疑难复杂 (15 working days); honoured only when an operator registers the request. */
  complex: z.boolean().optional(),
  amount: z.number().min(0).max(1e12).multipleOf(0.01, 'at most two decimals').optional(),
});
export type SubmitInput = z.infer<typeof SubmitBody>;

export interface Submitted {
  caseId: string;
  trackingNo: string;
  /** What intake understood: category top 3, location, similar cases, risk flags (app/intel/intake-intel.ts). */
  suggestions: IntakeSuggestions;
}

/** Creates a case. Throws bad_input naming the field, forbidden for a channel the actor may not use. */
export async function submitRequest(deps: Deps, actor: Actor | null, input: SubmitInput): Promise<Submitted> {
  if (!canSubmit(actor, input.channel)) throw new DomainError('forbidden', `channel ${input.channel} is for operators`);
  const anonymous = input.citizen.anonymous;
  const phone = anonymous ? null : normalizePhone(input.citizen.phone);
  if (!anonymous && !phone) {
    throw badInput('citizen.phone', input.citizen.phone ? 'is not a phone number' : 'is required unless anonymous');
  }
  const name = anonymous ? null : input.citizen.name || null;
  const now = deps.now();
  const id = randomUUID();
  // Without a named unit, a confidently resolved address becomes the intake unit; risk raises urgency.
  const located = await locateIntake(deps.db.orm, input, await resolveIntakeUnit(deps.db.orm, actor, input));
  const unit = located.unit;
  const risk = assessIntake(input);
  // The day's counter is taken in its own short statement, not held through the transaction:
  // concurrent submissions would otherwise queue on its row. A failed submission leaves a gap.
  const day = chinaDay(now);
  const trackingNo = formatTrackingNo(deps.config.trackingPrefix, day, await nextDailyCounter(deps.db.orm, 'tracking', day));
  return deps.db.orm.transaction(async (tx) => {
    const c: CaseState = {
      id, trackingNo, channel: input.channel, type: input.type, category: input.category ?? null, content: input.content,
      address: input.address ?? null, lat: input.lat ?? null, lng: input.lng ?? null, urgency: risk.urgency,
      groupSize: input.groupSize ?? null, amount: input.amount === undefined ? null : input.amount.toFixed(2),
      intakeUnitCode: unit.code, leadUnitCode: null, coUnitCodes: [], scopeUnits: unit.ancestors, status: 'received',
      anonymous, reply: null, rating: null, mergedInto: null, returnReason: null, dispatchedAt: null, signedAt: null,
      contactedAt: null, firstFeedbackAt: null, resolvedAt: null, closedAt: null, createdAt: now, updatedAt: now,
      petition: input.petition ?? false, complex: actor?.kind === 'staff' && (input.complex ?? false),
    };
    await acceptCase(tx, deps, actor ?? { kind: 'citizen', caseId: id }, c, {
      name: name ? deps.pii.encrypt(name) : null,
      phone: phone ? deps.pii.encrypt(phone) : null,
      phoneIndex: phone ? deps.pii.index(phone) : null,
    });
    const suggestions = await recordIntakeIntel(tx, deps, c, { location: located.location, flags: risk.flags });
    return { caseId: id, trackingNo, suggestions };
  });
}

/**
 * Writes a new case (status received, created now) with its `accept` event and queues what
 * acceptance sets off, inside the caller's transaction. `extra` joins the event's payload, e.g.
 * the case a praise letter thanks for (actions/thank-case.ts).
 */
export async function acceptCase(tx: Tx, deps: Deps, by: Actor, c: CaseState, citizen: SealedCitizen, extra: Record<string, unknown> = {}) {
  await insertCase(tx, { ...c }, citizen);
  const accepted = await recordEvent(tx, { id: c.id, eventSeq: 0, headHash: null }, by, c.createdAt, {
    action: 'accept', from: null, to: 'received', patch: {},
    payload: {
      channel: c.channel, type: c.type, category: c.category, intakeUnitCode: c.intakeUnitCode, urgency: c.urgency,
      groupSize: c.groupSize, amount: c.amount, contentSm3: createHash('sm3').update(c.content).digest('hex'), ...extra,
    },
  }, deps);
  await afterCaseEvent(tx, deps, {
    before: null, after: c, sealedPhone: citizen.phone,
    event: { seq: accepted.seq, action: 'accept', at: c.createdAt, fromStatus: null, toStatus: 'received' },
  });
}
