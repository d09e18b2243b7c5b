/** 转办: the center moves the case to another lead unit. */
import { z } from 'zod';
import { badInput } from '../../domain/errors.ts';
import { defineAction, unitRef } from './define-action.ts';
import { Reason, UnitCode } from './fields.ts';

export const transferCase = defineAction('transfer', z.object({ unitCode: UnitCode, reason: Reason }), async (b, { tx, case: c }) => {
  if (b.unitCode === c.leadUnitCode) throw badInput('unitCode', 'is already the lead unit');
  return { unit: await unitRef(tx, b.unitCode), reason: b.reason };
});
