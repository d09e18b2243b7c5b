/** The case as the staff API presents it (src/app/present-case.ts). */
export interface UnitRef { code: string; name: string }
export interface CaseSummary {
  id: string; trackingNo: string; channel: string; type: string; typeLabel: string; category: string | null; content: string;
  address: string | null; urgency: string; groupSize: number | null; amount: number | null;
  status: string; statusLabel: string; statusCategory: string;
  intakeUnit: UnitRef | null; leadUnit: UnitRef | null; coUnits: (UnitRef | null)[];
  citizen: { anonymous: boolean; name: string | null; phone: string | null };
  reply: string | null; rating: { resolved: boolean; satisfied: boolean; comment: string | null; by: string } | null;
  createdAt: string; updatedAt: string; allowedActions: string[]; supervised: boolean; nextDueAt: string | null;
  due: 'soon' | 'overdue' | null;
  dueClocks?: { name: string; label: string; dueAt: string }[];
}
export interface Clock {
  name: string; label: string; basis: string; startedAt: string | null; dueAt: string | null; remainingMs: number | null;
  state: string; onTime: boolean | null; metAt: string | null; cancelledAt: string | null; pausedMs: number;
}
export interface CaseView extends CaseSummary {
  timeline: { seq: number; at: string; action: string; label: string; from: string | null; to: string | null; payload: Record<string, unknown> | null;
    actor: { id: string | null; role: string; unitCode: string | null; name: string | null } }[];
  clocks: Clock[];
  clockPolicy?: { id: string; name: string };
  duty?: unknown;
  /** 合并件: duplicates merged into this case. */
  mergedCases?: { id: string; trackingNo: string }[];
}
export interface Page<T> { items: T[]; nextCursor: string | null }
