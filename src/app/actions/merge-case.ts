/** 合并: a duplicate is merged into a root case; its reporter keeps the tracking number. */
import { z } from 'zod';
import { badInput } from '../../domain/errors.ts';
import { categoryOf } from '../../domain/case.ts';
import { defineAction, visibleCase } from './define-action.ts';

const Body = z.object({
  intoCaseId: z.string().uuid('must be a case id').optional(),
  intoTrackingNo: z.string().trim().max(40).optional(),
}).refine((b) => b.intoCaseId || b.intoTrackingNo, { message: 'intoCaseId or intoTrackingNo is required', path: ['intoCaseId'] });

export const mergeCase = defineAction('merge', Body, async (b, { tx, actor, case: c }) => {
  const into = await visibleCase(tx, actor, { id: b.intoCaseId, trackingNo: b.intoTrackingNo });
  if (into.id === c.id) throw badInput('intoCaseId', 'cannot merge a case into itself');
  if (categoryOf(into.status) === 'closed') throw badInput('intoCaseId', 'the root case is closed');
  return { into: { id: into.id, trackingNo: into.trackingNo } };
});
