/** The dispatcher rules on a return request: redispatch to another unit, or keep it where it is. */
import { z } from 'zod';
import { defineAction, unitRef } from './define-action.ts';
import { Reason, UnitCode } from './fields.ts';

const Body = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('redispatch'), unitCode: UnitCode, reason: Reason.optional() }),
  z.object({ decision: z.literal('keep'), reason: Reason }),
]);

export const ruleReturn = defineAction('rule_return', Body, async (b, { tx }) =>
  b.decision === 'redispatch' ? { decision: 'redispatch', unit: await unitRef(tx, b.unitCode), reason: b.reason } : b);
