/**
 * The citizen's side: find a case by tracking number and a proof (phone, one-time code or access
 * token: citizen-proof.ts), read its public part, rate it. A wrong proof looks exactly like a
 * wrong tracking number (404).
 */
import type { z } from 'zod';
import { mayReadAttachment } from '../domain/attachment.ts';
import { CASE_TYPE_LABELS, STATUS_LABELS, categoryOf, type Status } from '../domain/case.ts';
import { allowedActions } from '../domain/policy.ts';
import { isPublic, publicEntry } from '../domain/timeline.ts';
import { listAttachments } from '../store/attachments.queries.ts';
import { listEvents, mergeRoot, toState } from '../store/cases.queries.ts';
import { getUnits } from '../store/units.queries.ts';
import { rateCase, RatingBody } from './actions/rate-case.ts';
import { issueAccessToken, proveOwner, withProof, type Proof } from './citizen-proof.ts';
import type { Deps } from './deps.ts';
import { actAsCitizen } from './citizen-actions.ts';
import { withPolicyFacts } from './policy-facts.ts';

export const TrackQuery = withProof({});
export const CitizenRateBody = withProof(RatingBody.shape);

/**
 * The public view: status, the public timeline, the reply and the files the citizen may read;
 * no staff names, no internal notes. After a phone or code proof it carries a fresh access token
 * for the next steps; a token proof gets none, so a token cannot renew itself forever.
 */
export async function trackCase(deps: Deps, trackingNo: string, proof: Proof) {
  const { row, actor } = await proveOwner(deps, trackingNo, proof);
  const c = toState(row);
  const events = await listEvents(deps.db.orm, c.id);
  const files = await listAttachments(deps.db.orm, c.id);
  const root = c.mergedInto ? await mergeRoot(deps.db.orm, c.mergedInto) : null;
  const unitCodes = [c.leadUnitCode, root?.leadUnitCode].filter((u): u is string => !!u);
  const names = new Map((await getUnits(deps.db.orm, unitCodes)).map((u) => [u.code, u.name]));
  const lead = c.leadUnitCode ? names.get(c.leadUnitCode) : undefined;
  return {
    trackingNo: c.trackingNo, type: c.type, typeLabel: CASE_TYPE_LABELS[c.type], content: c.content,
    status: c.status, statusLabel: STATUS_LABELS[c.status], statusCategory: categoryOf(c.status),
    handlingUnit: lead ?? null, reply: c.reply, rating: c.rating, createdAt: c.createdAt,
    timeline: events.filter((e) => isPublic(e.action)).map(publicEntry),
    attachments: files.filter((a) => mayReadAttachment(actor, a.purpose)).map((a) => ({
      id: a.id, filename: a.filename, mime: a.mime, size: a.size, purpose: a.purpose, createdAt: a.createdAt,
    })),
    // Merged (合并办理): the reporter follows the case theirs was merged into — its status, unit and answer, not its text.
    mergedInto: root && {
      trackingNo: root.trackingNo, status: root.status, statusLabel: STATUS_LABELS[root.status as Status],
      handlingUnit: root.leadUnitCode ? names.get(root.leadUnitCode) ?? null : null, reply: root.reply, resolvedAt: root.resolvedAt,
    },
    allowedActions: allowedActions(actor, await withPolicyFacts(deps.db.orm, c)),
    ...(proof.token === undefined ? issueAccessToken(deps, c.id) : {}),
  };
}

/** The citizen rates the answer; unsatisfied reopens the case. */
export async function rateAsCitizen(deps: Deps, trackingNo: string, body: z.infer<typeof CitizenRateBody>) {
  const { phone: _p, code: _c, token: _t, ...rating } = body;
  return actAsCitizen(deps, trackingNo, body, rateCase, rating);
}
