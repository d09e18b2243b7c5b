/** 签收: the lead unit takes the case on. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Note } from './fields.ts';

export const signCase = defineAction('sign', z.object({ note: Note.optional() }), (b) => b);
