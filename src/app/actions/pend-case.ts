/** 待补充: the case waits for the citizen (clocks pause). */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Reason } from './fields.ts';

export const pendCase = defineAction('pend', z.object({ reason: Reason }), (b) => b);
