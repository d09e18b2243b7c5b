/**
 * The citizen's side: find a case by tracking number and phone, read its public part, rate it.
 * A wrong phone looks exactly like a wrong tracking number (404).
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { CitizenActor } from '../domain/actor.ts';
import { CASE_TYPE_LABELS, STATUS_LABELS, categoryOf } from '../domain/case.ts';
import { notFound } from '../domain/errors.ts';
import { normalizePhone } from '../domain/mask.ts';
import { allowedActions } from '../domain/policy.ts';
import { isPublic, publicEntry } from '../domain/timeline.ts';
import { getCaseByTrackingNo, listEvents, toState, type CaseRow } from '../store/cases.queries.ts';
import { getUnits } from '../store/units.queries.ts';
import { rateCase, RatingBody } from './actions/rate-case.ts';
import type { Deps } from './deps.ts';

export const TrackQuery = z.object({ phone: z.string().trim().min(5).max(30) });
export const CitizenRateBody = RatingBody.extend({ phone: z.string().trim().min(5).max(30) });

async function proveOwner(deps: Deps, trackingNo: string, phone: string): Promise<{ row: CaseRow; actor: CitizenActor }> {
  const row = await getCaseByTrackingNo(deps.db.orm, trackingNo.toUpperCase());
  const normal = normalizePhone(phone);
  if (!row || !row.citizenPhoneIndex || !normal) throw notFound('case');
  const a = Buffer.from(row.citizenPhoneIndex), b = Buffer.from(deps.pii.index(normal));
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw notFound('case');
  return { row, actor: { kind: 'citizen', caseId: row.id } };
}

/** The public view: status, the public timeline and the reply; no staff names, no internal notes. */
export async function trackCase(deps: Deps, trackingNo: string, phone: string) {
  const { row, actor } = await proveOwner(deps, trackingNo, phone);
  const c = toState(row);
  const events = await listEvents(deps.db.orm, c.id);
  const [lead] = c.leadUnitCode ? await getUnits(deps.db.orm, [c.leadUnitCode]) : [];
  return {
    trackingNo: c.trackingNo, type: c.type, typeLabel: CASE_TYPE_LABELS[c.type], content: c.content,
    status: c.status, statusLabel: STATUS_LABELS[c.status], statusCategory: categoryOf(c.status),
    handlingUnit: lead?.name ?? null, reply: c.reply, rating: c.rating, createdAt: c.createdAt,
    timeline: events.filter((e) => isPublic(e.action)).map(publicEntry),
    allowedActions: allowedActions(actor, c),
  };
}

/** The citizen rates the answer; unsatisfied reopens the case. */
export async function rateAsCitizen(deps: Deps, trackingNo: string, body: z.infer<typeof CitizenRateBody>) {
  const { row, actor } = await proveOwner(deps, trackingNo, body.phone);
  const { phone: _phone, ...rating } = body;
  const r = await rateCase.run(deps, actor, row.id, rating);
  return { trackingNo: r.case.trackingNo, status: r.case.status, statusLabel: STATUS_LABELS[r.case.status] };
}
