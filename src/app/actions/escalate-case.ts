/** 上报 / 提级: the lead unit asks its parent to coordinate; the parent leads until it hands the case back. */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import { getUnit } from '../../store/units.queries.ts';
import { defineAction, unitRef } from './define-action.ts';
import { Reason } from './fields.ts';

export const escalateCase = defineAction('escalate', z.object({ reason: Reason }), async (b, { tx, case: c }) => {
  const lead = c.leadUnitCode ? await getUnit(tx, c.leadUnitCode) : null;
  if (!lead?.parentCode) throw new DomainError('invalid_transition', 'the lead unit has no higher level to escalate to', { action: 'escalate' });
  return { unit: await unitRef(tx, lead.parentCode), fromUnitCode: lead.code, reason: b.reason };
});
