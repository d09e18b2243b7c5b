/** 办结: the lead unit answers the citizen and resolves the case. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Reply } from './fields.ts';

export const resolveCase = defineAction('resolve', z.object({ reply: Reply }), (b) => b);
