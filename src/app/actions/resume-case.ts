/** The wait is over: the citizen supplied what was asked, or the handler resumes. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Note } from './fields.ts';

export const resumeCase = defineAction('resume', z.object({ note: Note.optional() }), (b) => b);
