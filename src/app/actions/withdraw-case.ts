/** 撤回: the citizen withdraws a request that is not resolved yet; the case closes as withdrawn. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Reason } from './fields.ts';

export const WithdrawBody = z.object({ reason: Reason.optional() });

export const withdrawCase = defineAction('withdraw', WithdrawBody, (b) => (b.reason ? { reason: b.reason } : {}));
