/** PostgreSQL advisory lock ids, in one place so that no two uses share one. */
export const ADVISORY_LOCKS = {
  /** Migrations: one process migrates at a time (db.ts). */
  migrate: 72_651,
  /** Audit anchors: one anchor at a time across nodes (app/audit.ts). */
  auditAnchor: 72_652,
  /** KPI fold: one node folds at a time, the others skip (kpi.queries.ts). */
  kpiFold: 72_653,
  /** Common-problem runs: one stores its proposals at a time (problems.queries.ts). */
  problems: 72_654,
} as const;
