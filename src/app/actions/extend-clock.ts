/** 延期申请: the lead handler asks for more time on one clock; a leader above the unit decides. */
import { z } from 'zod';
import { CLOCK_NAMES } from '../../domain/clock-policy.ts';
import { checkExtensionRequest, pendingExtension } from '../../domain/extensions.ts';
import { clocksNow } from '../case-clocks.ts';
import { defineAction } from './define-action.ts';
import { Reason } from './fields.ts';

const Body = z.object({
  clock: z.enum(CLOCK_NAMES),
  amount: z.number().positive('must be positive').max(1000, 'must be at most 1000'),
  unit: z.enum(['minutes', 'hours', 'days']),
  reason: Reason,
});

export const extendClock = defineAction('extend', Body, async (b, { tx, case: c, deps }) => {
  const { policy, events, report } = await clocksNow(tx, deps, c.id, deps.now());
  checkExtensionRequest(policy.clocks, report.clocks, pendingExtension(events, report.clocks), b);
  return b;
});
