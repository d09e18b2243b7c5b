/** 交回: the coordinating parent hands the case back to the unit that escalated it, which leads again. */
import { z } from 'zod';
import { escalationOrigin } from '../../domain/escalation.ts';
import { listEvents } from '../../store/cases.queries.ts';
import { defineAction, unitRef } from './define-action.ts';
import { Note } from './fields.ts';

export const handBackCase = defineAction('hand_back', z.object({ note: Note }), async (b, { tx, case: c }) => {
  const origin = escalationOrigin(await listEvents(tx, c.id));
  // An escalated case always has its escalate event; without one the log itself is broken.
  if (!origin) throw new Error(`case ${c.id} is escalated but its events record no escalation`);
  return { unit: await unitRef(tx, origin.unitCode), status: origin.status, note: b.note };
});
