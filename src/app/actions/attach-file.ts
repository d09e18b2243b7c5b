/**
 * 附件: a stored file joins the case. Files arrive as uploads (app/attachments.ts), which take
 * this action themselves; it has no JSON body, so the generic action route refuses it.
 */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import type { ActionUseCase } from './define-action.ts';

const NoBody = z.never({ error: 'upload files with POST /api/v1/cases/{id}/attachments' });

export const attachFile: ActionUseCase<'attach', typeof NoBody> = {
  name: 'attach',
  body: NoBody,
  run: () => Promise.reject(new DomainError('bad_input', 'body: upload files with POST /api/v1/cases/{id}/attachments')),
};
