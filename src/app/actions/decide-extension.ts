/**
 * What deciding on an extension needs before either decision: the leader's unit must be the lead
 * unit or above it, and the waiting request is read from the events.
 */
import { DomainError } from '../../domain/errors.ts';
import { pendingExtension, decidesForLead, type ExtensionRequest } from '../../domain/extensions.ts';
import type { ClockDef } from '../../domain/clock-policy.ts';
import type { ClockState } from '../../domain/clocks.ts';
import { getUnit } from '../../store/units.queries.ts';
import { clocksNow } from '../case-clocks.ts';
import type { ActionContext } from './define-action.ts';

/**
 * The waiting request (or null), the policy's clocks and their state now. Throws forbidden when
 * the actor's unit is not the lead unit or above it.
 */
export async function extensionDecision({ tx, actor, case: c, deps }: ActionContext): Promise<{
  pending: ExtensionRequest | null; defs: readonly ClockDef[]; clocks: readonly ClockState[];
}> {
  const lead = c.leadUnitCode ? await getUnit(tx, c.leadUnitCode) : null;
  if (actor.kind !== 'staff' || !lead || !decidesForLead(actor.unitCode, lead.ancestors)) {
    throw new DomainError('forbidden', 'extensions are decided by a leader of the lead unit or of a unit above it');
  }
  const { policy, events, report } = await clocksNow(tx, deps, c.id, deps.now());
  return { pending: pendingExtension(events, report.clocks), defs: policy.clocks, clocks: report.clocks };
}
