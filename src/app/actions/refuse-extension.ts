/** 不予延期: a leader refuses the waiting request; the deadline stands. */
import { z } from 'zod';
import { refusableExtension } from '../../domain/extensions.ts';
import { extensionDecision } from './decide-extension.ts';
import { defineAction } from './define-action.ts';
import { Reason } from './fields.ts';

export const refuseExtension = defineAction('refuse_extension', z.object({ reason: Reason }), async (b, ctx) => {
  const { pending } = await extensionDecision(ctx);
  return { clock: refusableExtension(pending).clock, reason: b.reason };
});
