/**
 * Extensions (延期): the lead handler asks for more time on one clock (`extend`), a leader
 * approves (recorded as `extend_approved`, which `computeClocks` counts) or refuses
 * (`refuse_extension`). Which request is waiting is read from the events, never stored. Pure.
 */
import { checkExtension, type ClockDef, type ClockName, type Duration } from './clock-policy.ts';
import { EXTENSION_ACTION, type ClockState } from './clocks.ts';
import { DomainError, badInput } from './errors.ts';

export const EXTENSION_REQUEST = 'extend';
export const EXTENSION_REFUSAL = 'refuse_extension';

export interface ExtensionRequest {
  clock: ClockName;
  amount: number;
  unit: Duration['unit'];
  reason: string;
  at: Date;
}

const live = (c: ClockState | undefined): c is ClockState => !!c && c.run > 0 && c.metAt === null && c.cancelledAt === null;

/**
 * The request still waiting for a decision: the latest `extend` with no approval or refusal after
 * it, made during its clock's current run, which has not ended. Null otherwise.
 */
export function pendingExtension(events: readonly { at: Date; action: string; payload: unknown }[], clocks: readonly ClockState[]): ExtensionRequest | null {
  let pending: ExtensionRequest | null = null;
  for (const e of events) {
    if (e.action === EXTENSION_REQUEST) {
      const p = e.payload as Omit<ExtensionRequest, 'at'>;
      pending = { clock: p.clock, amount: p.amount, unit: p.unit, reason: p.reason, at: e.at };
    } else if (e.action === EXTENSION_ACTION || e.action === EXTENSION_REFUSAL) {
      pending = null;
    }
  }
  if (!pending) return null;
  const clock = clocks.find((c) => c.name === pending!.clock);
  return live(clock) && +pending.at >= +clock.startedAt! ? pending : null;
}

/**
 * Checks an extension the lead handler asks for. Throws bad_input when the policy has no such
 * clock, the clock is not running or the amount breaks the policy's limits (`checkExtension`);
 * conflict when another request is still waiting.
 */
export function checkExtensionRequest(
  defs: readonly ClockDef[], clocks: readonly ClockState[], pending: ExtensionRequest | null,
  req: { clock: ClockName; amount: number; unit: Duration['unit'] },
): void {
  const def = defs.find((d) => d.name === req.clock);
  if (!def) throw badInput('clock', `this case has no ${req.clock} clock`);
  const state = clocks.find((c) => c.name === req.clock);
  if (!live(state)) throw badInput('clock', `the ${req.clock} clock is not running`);
  if (pending) throw new DomainError('conflict', `an extension of the ${pending.clock} clock is already waiting for a decision`);
  checkExtension(def, state.extensions, { amount: req.amount, unit: req.unit });
}

/**
 * The waiting request a leader may approve, checked again against the limits (another extension
 * may have been granted since it was asked for). Throws conflict when none waits, bad_input as
 * `checkExtension` does.
 */
export function approvableExtension(defs: readonly ClockDef[], clocks: readonly ClockState[], pending: ExtensionRequest | null): ExtensionRequest {
  if (!pending) throw new DomainError('conflict', 'no extension request is waiting for a decision');
  checkExtensionRequest(defs, clocks, null, pending);
  return pending;
}

/** The waiting request a leader may refuse. Throws conflict when none waits. */
export function refusableExtension(pending: ExtensionRequest | null): ExtensionRequest {
  if (!pending) throw new DomainError('conflict', 'no extension request is waiting for a decision');
  return pending;
}

/**
 * Whether the actor's unit may decide on the lead unit's extensions: the lead unit itself or a
 * unit above it (the workflow table only knows the looser "the case is within the actor's scope").
 */
export function decidesForLead(actorUnit: string, leadAncestors: readonly string[]): boolean {
  return leadAncestors.includes(actorUnit);
}
