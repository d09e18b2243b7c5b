/**
 * 补充材料: the citizen (or an operator taking their call) adds information to a request that is
 * not answered yet. While the case waits for the citizen (pending) this resumes it; before that
 * it is extra information and the status stays (domain/workflow.ts). Files are uploaded first
 * (app/attachments.ts) and named here by id.
 */
import { z } from 'zod';
import { badInput } from '../../domain/errors.ts';
import { listAttachments } from '../../store/attachments.queries.ts';
import { sideOf, type AttachmentPurpose } from '../../domain/attachment.ts';
import { defineAction } from './define-action.ts';
import { Note } from './fields.ts';

export const SupplementBody = z.object({
  content: Note,
  attachmentIds: z.array(z.string().uuid('must be attachment ids')).max(20, 'must be at most 20 ids').default([]),
});

export const supplementCase = defineAction('supplement', SupplementBody, async (b, { tx, case: c }) => {
  const ids = [...new Set(b.attachmentIds)];
  if (ids.length) {
    const own = new Set((await listAttachments(tx, c.id)).filter((a) => sideOf(a.purpose as AttachmentPurpose) === 'citizen').map((a) => a.id));
    const unknown = ids.find((id) => !own.has(id));
    if (unknown) throw badInput('attachmentIds', `${unknown} is not a file uploaded for this request`);
  }
  return { content: b.content, attachmentIds: ids };
});
