/** 联系诉求人: the handler records contact with the citizen. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Note } from './fields.ts';

export const contactCitizen = defineAction('contact',
  z.object({ method: z.enum(['phone', 'visit', 'sms', 'other']).default('phone'), note: Note }), (b) => b);
