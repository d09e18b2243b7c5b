/** 联动签收: a summoned unit signs for its part of an escalated case. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Note } from './fields.ts';

export const coSignCase = defineAction('co_sign', z.object({ note: Note.optional() }), (b, { actor }) => {
  // The policy admitted only staff of a summoned unit (relation `summoned`).
  if (actor.kind !== 'staff') throw new Error('co_sign needs a staff actor');
  return { unitCode: actor.unitCode, note: b.note };
});
