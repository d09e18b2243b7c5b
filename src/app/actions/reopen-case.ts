/** 重办: the center or a leader sends a resolved or closed case back for rework. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Reason } from './fields.ts';

export const reopenCase = defineAction('reopen', z.object({ reason: Reason }), (b) => b);
