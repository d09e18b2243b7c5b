/** 派单: the center sends a received case to a handling unit, which becomes the lead. */
import { z } from 'zod';
import { defineAction, unitRef } from './define-action.ts';
import { Note, UnitCode } from './fields.ts';

export const dispatchCase = defineAction('dispatch', z.object({ unitCode: UnitCode, note: Note.optional() }),
  async (b, { tx }) => ({ unit: await unitRef(tx, b.unitCode), note: b.note }));
