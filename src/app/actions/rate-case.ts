/** 回访 / 评价: the citizen (or an operator calling back) rates the answer; unsatisfied reopens it. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Comment } from './fields.ts';

export const RatingBody = z.object({ resolved: z.boolean(), satisfied: z.boolean(), comment: Comment.optional() });

export const rateCase = defineAction('rate', RatingBody, (b, { actor }) =>
  ({ ...b, by: actor.kind === 'citizen' ? 'citizen' as const : 'callback' as const }));
