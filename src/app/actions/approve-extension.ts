/** 批准延期: a leader grants the waiting request; the clock's budget grows by the amount asked. */
import { z } from 'zod';
import { approvableExtension } from '../../domain/extensions.ts';
import { extensionDecision } from './decide-extension.ts';
import { defineAction } from './define-action.ts';
import { Note } from './fields.ts';

export const approveExtension = defineAction('approve_extension', z.object({ note: Note.optional() }), async (b, ctx) => {
  const { pending, defs, clocks } = await extensionDecision(ctx);
  const r = approvableExtension(defs, clocks, pending);
  return { clock: r.clock, amount: r.amount, unit: r.unit, ...(b.note ? { note: b.note } : {}) };
});
