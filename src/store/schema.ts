/**
 * The database schema (drizzle). Migrations in ./migrations are generated from it with
 * `npm run db:generate` and are forward-only.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, index, integer, jsonb, numeric, pgTable, primaryKey, real, serial, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const units = pgTable('units', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  siteType: text('site_type'),
  parentCode: text('parent_code'),
  ancestors: text('ancestors').array().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [
  index('units_parent_idx').on(t.parentCode),
  index('units_ancestors_gin').using('gin', t.ancestors),
]);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').notNull(),
  unitCode: text('unit_code').notNull().references(() => units.code),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ts('locked_until'),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('users_username_uq').on(t.username)]);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  createdAt: ts('created_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey(),
  trackingNo: text('tracking_no').notNull(),
  channel: text('channel').notNull(),
  type: text('type').notNull(),
  category: text('category'),
  content: text('content').notNull(),
  address: text('address'),
  lat: real('lat'),
  lng: real('lng'),
  urgency: text('urgency').notNull().default('normal'),
  groupSize: integer('group_size'),
  amount: numeric('amount', { precision: 14, scale: 2 }),
  intakeUnitCode: text('intake_unit_code').notNull(),
  leadUnitCode: text('lead_unit_code'),
  coUnitCodes: text('co_unit_codes').array().notNull().default(sql`'{}'::text[]`),
  /** Every ancestor-or-self code of every unit involved: visibility is `scope_units && actor roots`. */
  scopeUnits: text('scope_units').array().notNull(),
  status: text('status').notNull(),
  statusCategory: text('status_category').notNull(),
  citizenName: text('citizen_name'),
  citizenPhone: text('citizen_phone'),
  citizenPhoneIndex: text('citizen_phone_index'),
  anonymous: boolean('anonymous').notNull().default(false),
  reply: text('reply'),
  rating: jsonb('rating'),
  mergedInto: uuid('merged_into'),
  returnReason: text('return_reason'),
  contactedAt: ts('contacted_at'),
  firstFeedbackAt: ts('first_feedback_at'),
  dispatchedAt: ts('dispatched_at'),
  signedAt: ts('signed_at'),
  resolvedAt: ts('resolved_at'),
  closedAt: ts('closed_at'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  eventSeq: integer('event_seq').notNull().default(0),
  headHash: text('head_hash'),
  /** The event_seq last covered by an audit anchor. */
  anchoredSeq: integer('anchored_seq').notNull().default(0),
}, (t) => [
  index('cases_unanchored_idx').on(t.id).where(sql`${t.eventSeq} <> ${t.anchoredSeq}`),
  uniqueIndex('cases_tracking_uq').on(t.trackingNo),
  index('cases_scope_gin').using('gin', t.scopeUnits),
  index('cases_created_idx').on(t.createdAt, t.id),
  index('cases_phone_idx').on(t.citizenPhoneIndex),
  index('cases_status_idx').on(t.statusCategory, t.status),
]);

export const caseEvents = pgTable('case_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').notNull(),
  seq: integer('seq').notNull(),
  at: ts('at').notNull(),
  actorId: text('actor_id').notNull(),
  actorRole: text('actor_role').notNull(),
  actorUnit: text('actor_unit'),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  payload: jsonb('payload').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [uniqueIndex('case_events_case_seq_uq').on(t.caseId, t.seq)]);

export const auditAnchors = pgTable('audit_anchors', {
  id: serial('id').primaryKey(),
  at: ts('at').notNull(),
  /** [caseId, seq, hash] of every chain head that moved since the previous anchor. */
  heads: jsonb('heads').notNull(),
  caseCount: integer('case_count').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  mac: text('mac').notNull(),
});

export const dailyCounters = pgTable('daily_counters', {
  name: text('name').notNull(),
  day: text('day').notNull(),
  value: integer('value').notNull(),
}, (t) => [primaryKey({ columns: [t.name, t.day] })]);
