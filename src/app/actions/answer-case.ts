/** 当场答复: the operator answers at intake (e.g. a consultation) and the case closes. */
import { z } from 'zod';
import { defineAction } from './define-action.ts';
import { Reply } from './fields.ts';

export const answerCase = defineAction('answer', z.object({ reply: Reply }), (b) => b);
