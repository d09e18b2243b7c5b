/**
 * Who acts. Staff roles follow 三员分立: the admin runs the system but reads no cases and no
 * audit log; the auditor reads the event log only.
 */
export const ROLES = ['operator', 'handler', 'leader', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  operator: '受理派单员', handler: '承办人', leader: '领导', admin: '系统管理员', auditor: '安全审计员',
};

export interface StaffActor {
  kind: 'staff';
  id: string;
  role: Role;
  unitCode: string;
}

/** A citizen who proved a case is theirs (tracking number + phone). */
export interface CitizenActor {
  kind: 'citizen';
  caseId: string;
}

/**
 * The platform itself (the clock scanner): it records events such as a breached deadline, but
 * the workflow table names no system party, so it can take no action and sees no case.
 */
export interface SystemActor {
  kind: 'system';
  id: string;
}

export type Actor = StaffActor | CitizenActor | SystemActor;
/** Everyone the workflow table can name: the staff roles and the citizen. */
export type Party = Role | 'citizen';
export const PARTIES: readonly Party[] = [...ROLES, 'citizen'];

/** The party an actor acts as, or 'system' for the platform (recorded as the event's actor role). */
export const partyOf = (a: Actor): Party | 'system' => (a.kind === 'staff' ? a.role : a.kind);
export const actorId = (a: Actor): string => (a.kind === 'citizen' ? 'citizen' : a.id);
