/**
 * 吹哨报到: the unit coordinating an escalated case summons other units (departments, stations)
 * to join; each becomes a co-unit and owes a signature (co_sign), which starts its own clock.
 */
import { z } from 'zod';
import { awaitingCoSign } from '../../domain/escalation.ts';
import { badInput } from '../../domain/errors.ts';
import { listEvents } from '../../store/cases.queries.ts';
import { defineAction, unitRef } from './define-action.ts';
import { Reason, UnitCode } from './fields.ts';

const Body = z.object({
  unitCodes: z.array(UnitCode).min(1, 'name at least one unit').max(20, 'at most 20 units at once')
    .refine((a) => new Set(a).size === a.length, 'lists a unit twice'),
  reason: Reason,
});

export const summonUnits = defineAction('summon', Body, async (b, { tx, case: c }) => {
  const owing = new Set(awaitingCoSign(await listEvents(tx, c.id)));
  const units = [];
  for (const [i, code] of b.unitCodes.entries()) {
    if (code === c.leadUnitCode) throw badInput(`unitCodes.${i}`, 'is the lead unit');
    if (owing.has(code)) throw badInput(`unitCodes.${i}`, `${code} is already summoned and has not signed yet`);
    units.push(await unitRef(tx, code, `unitCodes.${i}`));
  }
  return { units, reason: b.reason };
});
