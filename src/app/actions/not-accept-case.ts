/** 不予受理: outside the platform's remit (e.g. in court); the reason is told to the citizen. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Reason } from './fields.ts';

export const notAcceptCase = defineAction('not_accept', z.object({ reason: Reason }), (b) => b);
