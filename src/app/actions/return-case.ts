/** 退回: the lead unit asks to give the case back (wrong unit); a reason is required. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Reason } from './fields.ts';

export const returnCase = defineAction('return', z.object({ reason: Reason }), (b) => b);
