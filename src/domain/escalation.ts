/**
 * Escalation and linkage (上报 / 提级 / 联动 / 吹哨报到) read from a case's events: the minimal
 * state they need is derived, never stored. `escalate` records `{ unitCode (the parent, now
 * lead), fromUnitCode, reason }` with the status it left in `fromStatus`; `summon` records
 * `{ unitCodes, reason }` — each summoned unit owes a signature; `co_sign` records
 * `{ unitCode }` — that unit signed. The clock engine reads the same payloads to give each
 * summoned unit its own sign clock.
 */
import { STATUSES, type Status } from './case.ts';

/** The part of a case event these rules read, in event order. */
export interface FlowEvent {
  action: string;
  fromStatus: string | null;
  payload: unknown;
}

const field = (payload: unknown, name: string): unknown =>
  payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[name] : undefined;

/**
 * Where the latest escalation came from: the unit that escalated and the status it was in, so
 * `hand_back` returns the case to it as it was. Null when the case was never escalated.
 */
export function escalationOrigin(events: readonly FlowEvent[]): { unitCode: string; status: Status } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.action !== 'escalate') continue;
    const unitCode = field(e.payload, 'fromUnitCode');
    if (typeof unitCode !== 'string' || !e.fromStatus || !(e.fromStatus in STATUSES)) return null;
    return { unitCode, status: e.fromStatus as Status };
  }
  return null;
}

/**
 * Units summoned (吹哨) that have not co-signed since, in the order they were summoned. A unit
 * summoned again after signing owes a new signature.
 */
export function awaitingCoSign(events: readonly FlowEvent[]): string[] {
  const owed = new Set<string>();
  for (const e of events) {
    if (e.action === 'summon') {
      const codes = field(e.payload, 'unitCodes');
      if (Array.isArray(codes)) for (const c of codes) if (typeof c === 'string') owed.add(c);
    } else if (e.action === 'co_sign') {
      const code = field(e.payload, 'unitCode');
      if (typeof code === 'string') owed.delete(code);
    }
  }
  return [...owed];
}
