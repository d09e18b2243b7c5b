/** Shows one piece of the citizen's personal data to a permitted actor; the reveal is an event. */
import { z } from 'zod';
import type { Actor } from '../../domain/actor.ts';
import type { Deps } from '../deps.ts';
import { defineAction } from './define-action.ts';

const Body = z.object({ field: z.enum(['name', 'phone']) });
const action = defineAction('reveal', Body, (b) => b);

export const revealCitizen = {
  ...action,
  /** Returns the plain value, or null when the citizen gave none. */
  async reveal(deps: Deps, actor: Actor, caseId: string, body: z.infer<typeof Body>) {
    const { row } = await action.run(deps, actor, caseId, body);
    const sealed = body.field === 'name' ? row.citizenName : row.citizenPhone;
    return { field: body.field, value: sealed ? deps.pii.decrypt(sealed) : null };
  },
};
