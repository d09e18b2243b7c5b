/** Creates a staff account at a unit with one role. */
import { z } from 'zod';
import { ROLES } from '../domain/actor.ts';
import { DomainError, badInput } from '../domain/errors.ts';
import { passwordProblem } from '../domain/login.ts';
import { getUnit } from '../store/units.queries.ts';
import { getUserByUsername, insertUser } from '../store/users.queries.ts';
import { hashPassword } from './auth.ts';
import type { Deps } from './deps.ts';

export const AddUserBody = z.object({
  username: z.string().trim().regex(/^[a-z0-9_.-]{3,40}$/, 'must be 3-40 lower-case letters, digits, _ . -'),
  password: z.string(),
  role: z.enum(ROLES),
  unitCode: z.string().trim().min(2),
  displayName: z.string().trim().min(1).max(40).optional(),
});

/** Throws bad_input for a weak password or unknown unit, conflict for a taken username. */
export async function addUser(deps: Deps, input: z.infer<typeof AddUserBody>) {
  const problem = passwordProblem(input.password);
  if (problem) throw badInput('password', problem);
  const unit = await getUnit(deps.db.orm, input.unitCode);
  if (!unit) throw badInput('unitCode', `unknown unit ${input.unitCode}`);
  if (await getUserByUsername(deps.db.orm, input.username)) throw new DomainError('conflict', `username: ${input.username} is taken`);
  const user = await insertUser(deps.db.orm, {
    username: input.username, displayName: input.displayName ?? input.username, passwordHash: await hashPassword(input.password),
    role: input.role, unitCode: unit.code,
  });
  return { id: user.id, username: user.username, role: user.role, unitCode: user.unitCode, unitName: unit.name };
}
