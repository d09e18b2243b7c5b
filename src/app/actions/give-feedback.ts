/** 首次反馈 / 阶段反馈: progress told to the citizen. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Note } from './fields.ts';

export const giveFeedback = defineAction('feedback', z.object({ message: Note }), (b) => b);
