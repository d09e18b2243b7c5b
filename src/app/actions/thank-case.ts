/**
 * 表扬信: the citizen thanks the unit that handled a resolved or closed case. The letter becomes
 * its own case of type praise (表扬) — with its own tracking number, counted as praise in the
 * statistics and handled like any request — taken in by the unit that led the original case
 * (or took it in, for one answered at intake), with the same citizen. The original case records
 * a `thank` event naming the new one, and the new case's `accept` event names the original:
 * one transaction. One letter per case.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CaseState } from '../../domain/case.ts';
import { DomainError } from '../../domain/errors.ts';
import { chinaDay, formatTrackingNo } from '../../domain/tracking.ts';
import { getCase, listEvents, nextDailyCounter } from '../../store/cases.queries.ts';
import { getUnit } from '../../store/units.queries.ts';
import { acceptCase } from '../submit-request.ts';
import { defineAction } from './define-action.ts';

export const ThankBody = z.object({
  content: z.string().trim().min(5, 'must be at least 5 characters').max(2000, 'must be at most 2000 characters'),
});

export const thankCase = defineAction('thank', ThankBody, async (b, { tx, actor, case: c, deps }) => {
  const earlier = (await listEvents(tx, c.id)).find((e) => e.action === 'thank');
  if (earlier) {
    throw new DomainError('conflict', 'this case was thanked for already', { praiseTrackingNo: (earlier.payload as { praiseTrackingNo?: string }).praiseTrackingNo });
  }
  const unitCode = c.leadUnitCode ?? c.intakeUnitCode;
  const unit = await getUnit(tx, unitCode);
  const row = await getCase(tx, c.id);
  if (!unit || !row) throw new Error(`thank: unit ${unitCode} or case ${c.id} vanished`);
  const now = deps.now();
  const day = chinaDay(now);
  const id = randomUUID();
  const trackingNo = formatTrackingNo(deps.config.trackingPrefix, day, await nextDailyCounter(tx, 'tracking', day));
  const praise: CaseState = {
    id, trackingNo, channel: 'web', type: 'praise', category: c.category, content: b.content,
    address: null, lat: null, lng: null, urgency: 'normal', groupSize: null, amount: null,
    intakeUnitCode: unit.code, leadUnitCode: null, coUnitCodes: [], scopeUnits: unit.ancestors, status: 'received',
    anonymous: c.anonymous, reply: null, rating: null, mergedInto: null, returnReason: null, dispatchedAt: null, signedAt: null,
    contactedAt: null, firstFeedbackAt: null, resolvedAt: null, closedAt: null, createdAt: now, updatedAt: now,
  };
  const by = actor.kind === 'citizen' ? { kind: 'citizen' as const, caseId: id } : actor;
  await acceptCase(tx, deps, by, praise, { name: row.citizenName, phone: row.citizenPhone, phoneIndex: row.citizenPhoneIndex },
    { thanksFor: { caseId: c.id, trackingNo: c.trackingNo } });
  return { praiseCase: { id, trackingNo } };
});
