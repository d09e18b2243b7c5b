/** 关闭: the center closes a resolved case (e.g. the citizen could not be reached for a rating). */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Note } from './fields.ts';

export const closeCase = defineAction('close', z.object({ note: Note.optional() }), (b) => b);
