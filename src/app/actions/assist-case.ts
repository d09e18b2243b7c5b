/** 协办: another unit co-handles; the lead unit keeps ownership. */
import { z } from 'zod';
import { badInput } from '../../domain/errors.ts';
import { defineAction, unitRef } from './define-action.ts';
import { Note, UnitCode } from './fields.ts';

export const assistCase = defineAction('assist', z.object({ unitCode: UnitCode, note: Note.optional() }), async (b, { tx, case: c }) => {
  if (b.unitCode === c.leadUnitCode || c.coUnitCodes.includes(b.unitCode)) throw badInput('unitCode', 'is already handling this case');
  return { unit: await unitRef(tx, b.unitCode), note: b.note };
});
