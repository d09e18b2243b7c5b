/**
 * The database schema (drizzle). Migrations in ./migrations are generated from it with
 * `npm run db:generate` and are forward-only.
 */
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, customType, date, index, integer, jsonb, numeric, pgTable, primaryKey, real, serial, text, timestamp, uniqueIndex, uuid,
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
  /** Work e-mail for notifications (not a citizen's personal data). */
  email: text('email'),
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
  /** The clock policy chosen at intake (clock_policies.id). */
  policyId: text('policy_id'),
  /** Clock states as last recomputed from the events (domain/clocks.ts ClockState[]). */
  clocks: jsonb('clocks').notNull().default(sql`'[]'::jsonb`),
  /** The earliest future warning or due point of a running clock; what the scanner waits for. */
  nextDueAt: ts('next_due_at'),
  /** Earliest due time of a live clock (domain/clock-points.ts dueMarks): overdue from then on. */
  dueAt: ts('due_at'),
  /** When the first live clock enters its due-soon window (80 % point or 2 h before due). */
  dueSoonAt: ts('due_soon_at'),
  /** 督办: a resolution deadline was breached, or a leader supervises the case. */
  supervised: boolean('supervised').notNull().default(false),
  /** 信访事项: handled under the petition regulation's time limits. */
  petition: boolean('petition').notNull().default(false),
  /** 疑难复杂: judged complex at intake by an operator (longer resolution period). */
  complex: boolean('complex').notNull().default(false),
  /** The event_seq last covered by an audit anchor. */
  anchoredSeq: integer('anchored_seq').notNull().default(0),
}, (t) => [
  index('cases_next_due_idx').on(t.nextDueAt).where(sql`${t.nextDueAt} is not null`),
  index('cases_due_idx').on(t.dueAt).where(sql`${t.dueAt} is not null`),
  index('cases_due_soon_idx').on(t.dueSoonAt).where(sql`${t.dueSoonAt} is not null`),
  index('cases_unanchored_idx').on(t.id).where(sql`${t.eventSeq} <> ${t.anchoredSeq}`),
  uniqueIndex('cases_tracking_uq').on(t.trackingNo),
  index('cases_scope_gin').using('gin', t.scopeUnits),
  index('cases_created_idx').on(t.createdAt, t.id),
  index('cases_phone_idx').on(t.citizenPhoneIndex),
  index('cases_status_idx').on(t.statusCategory, t.status),
  index('cases_merged_into_idx').on(t.mergedInto).where(sql`${t.mergedInto} is not null`),
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

/** One row per clock point that fired (warning or breach): the unique key makes it fire once. */
export const clockPoints = pgTable('clock_points', {
  caseId: uuid('case_id').notNull(),
  clock: text('clock').notNull(),
  run: integer('run').notNull(),
  /** `warn:0.5`, `warn:0.8`, `breach` */
  point: text('point').notNull(),
  dueAt: ts('due_at').notNull(),
  firedAt: ts('fired_at').notNull(),
  /** Fired after the point was due by more than the scanner's tolerance (e.g. after downtime). */
  late: boolean('late').notNull(),
}, (t) => [primaryKey({ columns: [t.caseId, t.clock, t.run, t.point] })]);

/** Clock policies, ordered: the first whose match fits wins; the last must match everything. */
export const clockPolicies = pgTable('clock_policies', {
  id: text('id').primaryKey(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  match: jsonb('match').notNull(),
  clocks: jsonb('clocks').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Published holidays and make-up workdays for years the calendar package does not cover. */
export const calendarOverrides = pgTable('calendar_overrides', {
  date: text('date').primaryKey(),
  kind: text('kind').notNull(),
  name: text('name'),
});

/** Duty rosters (专班/轮班): who is on duty for a unit, shift by shift. */
export const dutyShifts = pgTable('duty_shifts', {
  id: uuid('id').primaryKey().defaultRandom(),
  unitCode: text('unit_code').notNull().references(() => units.code),
  userId: uuid('user_id').notNull().references(() => users.id),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  label: text('label'),
}, (t) => [index('duty_shifts_unit_idx').on(t.unitCode, t.startsAt)]);

/** Transactional outbox: written with the change, delivered at least once, deduplicated by key. */
export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  dedupeKey: text('dedupe_key').notNull(),
  channel: text('channel').notNull(),
  recipient: text('recipient').notNull(),
  payload: jsonb('payload').notNull(),
  createdAt: ts('created_at').notNull(),
  availableAt: ts('available_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  deliveredAt: ts('delivered_at'),
  lastError: text('last_error'),
}, (t) => [
  uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
  index('outbox_pending_idx').on(t.availableAt).where(sql`${t.deliveredAt} is null`),
]);

/** In-app notifications for staff. */
export const notifications = pgTable('notifications', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  caseId: uuid('case_id'),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdAt: ts('created_at').notNull(),
  readAt: ts('read_at'),
}, (t) => [index('notifications_user_idx').on(t.userId, t.id)]);

/** Signed webhooks (HMAC) that receive case events. */
export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  events: text('events').array().notNull(),
  unitCode: text('unit_code'),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull(),
});

/** A retried POST with the same Idempotency-Key returns the first response. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  status: integer('status').notNull(),
  response: jsonb('response').notNull(),
  createdAt: ts('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.scope, t.key] })]);

/** Photos and PDFs on submissions, supplements and replies, stored under the data dir. */
export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull(),
  eventSeq: integer('event_seq'),
  purpose: text('purpose').notNull(),
  filename: text('filename').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  storagePath: text('storage_path').notNull(),
  createdAt: ts('created_at').notNull(),
  createdBy: text('created_by').notNull(),
}, (t) => [index('attachments_case_idx').on(t.caseId)]);

/** Open311 API keys: only a hash is stored. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull(),
  createdAt: ts('created_at').notNull(),
  revokedAt: ts('revoked_at'),
  lastUsedAt: ts('last_used_at'),
}, (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash)]);

/** 局长信箱: a bureau's mailbox, open or closed. */
export const mailboxes = pgTable('mailboxes', {
  unitCode: text('unit_code').primaryKey().references(() => units.code),
  title: text('title').notNull(),
  intro: text('intro'),
  open: boolean('open').notNull().default(true),
  createdAt: ts('created_at').notNull(),
});

/** One-time codes sent to a citizen's phone for tracking without typing the number twice. */
export const otpCodes = pgTable('otp_codes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').notNull(),
  codeHash: text('code_hash').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  usedAt: ts('used_at'),
}, (t) => [index('otp_codes_case_idx').on(t.caseId)]);

/**
 * KPI rollups (domain/kpi.ts). Each case counts once under its leaf key: China-time acceptance
 * day, responsible unit (lead unit, or intake unit before dispatch), channel, type, category ('' for
 * none). Counter columns are domain/kpi.ts KPI_COUNTERS in snake case.
 */
const kpiLeafKey = () => ({
  day: date('day', { mode: 'string' }).notNull(),
  unitCode: text('unit_code').notNull(),
  channel: text('channel').notNull(),
  type: text('type').notNull(),
  category: text('category').notNull(),
});
const counter = (name: string) => integer(name).notNull().default(0);
const kpiMixCounters = () => ({
  accepted: counter('accepted'), resolved: counter('resolved'), closed: counter('closed'),
  rated: counter('rated'), ratedResolved: counter('rated_resolved'), ratedSatisfied: counter('rated_satisfied'),
});
const kpiCounters = () => ({
  ...kpiMixCounters(),
  received: counter('received'), merged: counter('merged'), withdrawn: counter('withdrawn'), dispatched: counter('dispatched'),
  answered: counter('answered'), notAccepted: counter('not_accepted'), complaints: counter('complaints'), praise: counter('praise'),
  signedOnTime: counter('signed_on_time'), signedTotal: counter('signed_total'), contactOnTime: counter('contact_on_time'),
  contactTotal: counter('contact_total'), feedbackOnTime: counter('feedback_on_time'), feedbackTotal: counter('feedback_total'),
  resolveOnTime: counter('resolve_on_time'), resolveTotal: counter('resolve_total'),
});

/**
 * Subtree totals per day: a case counts in the row of every unit on its responsible unit's path
 * (city, district, street, community …), so a leader's figures are one unit's rows, whatever the
 * number of cases below it.
 */
export const kpiRollups = pgTable('kpi_rollups', {
  unitCode: text('unit_code').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  ...kpiCounters(),
}, (t) => [primaryKey({ columns: [t.unitCode, t.day] })]);

/** Subtree totals per day by channel, type and category (`dim` names which; `value` is '' for no category). */
export const kpiMix = pgTable('kpi_mix', {
  unitCode: text('unit_code').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  dim: text('dim').notNull(),
  value: text('value').notNull(),
  ...kpiMixCounters(),
}, (t) => [primaryKey({ columns: [t.unitCode, t.day, t.dim, t.value] })]);

/**
 * Changes to the rollups under the leaf key, appended in each event's transaction (no shared row
 * is updated there, so concurrent events never wait on each other) and folded into kpi_rollups and
 * kpi_mix by a job; readers add the rows not yet folded. `unit_path` is root → responsible unit.
 */
export const kpiDeltas = pgTable('kpi_deltas', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  ...kpiLeafKey(),
  unitPath: text('unit_path').array().notNull(),
  ...kpiCounters(),
});

/** What each case adds to the rollups now (leaf key and counters): the `before` of its next change. */
export const kpiContributions = pgTable('kpi_contributions', {
  caseId: uuid('case_id').primaryKey(),
  ...kpiLeafKey(),
  counters: jsonb('counters').notNull(),
});

// ───────────── intel (src/intel): classifier models, suggestions, corrections, flags, signatures ─────────────

/** Trained text classifiers (src/intel/classifier.ts TextModel as JSON); one active per kind. */
export const intelModels = pgTable('intel_models', {
  id: serial('id').primaryKey(),
  /** What it predicts: `category` (the case category). */
  kind: text('kind').notNull(),
  createdAt: ts('created_at').notNull(),
  labels: text('labels').array().notNull(),
  /** Cross-validated figures and where the samples came from. */
  metrics: jsonb('metrics').notNull(),
  model: jsonb('model').notNull(),
  /** The samples it was trained on ({text, label}[]): the base of the next retraining. */
  training: jsonb('training'),
  active: boolean('active').notNull().default(false),
}, (t) => [index('intel_models_kind_idx').on(t.kind, t.active)]);

/** What intake suggested for a case (category top 3, resolved location, similar cases). */
export const intelSuggestions = pgTable('intel_suggestions', {
  caseId: uuid('case_id').primaryKey(),
  modelId: integer('model_id'),
  categories: jsonb('categories').notNull(),
  location: jsonb('location'),
  similar: jsonb('similar').notNull(),
  /** The routing suggestion (src/domain/routing.ts RouteSuggestion); null for cases taken in before routing existed. */
  route: jsonb('route'),
  createdAt: ts('created_at').notNull(),
});

/** Routing rules (派单建议), ordered: the first that matches and names a unit wins; the last matches everything. */
export const routingRules = pgTable('routing_rules', {
  id: text('id').primaryKey(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  match: jsonb('match').notNull(),
  target: jsonb('target').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Operators' corrections of a case's category: training data for the next model. */
export const intelCorrections = pgTable('intel_corrections', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').notNull(),
  kind: text('kind').notNull(),
  fromValue: text('from_value'),
  toValue: text('to_value').notNull(),
  /** The model's top suggestion at intake, if any. */
  suggested: text('suggested'),
  by: text('by').notNull(),
  at: ts('at').notNull(),
}, (t) => [index('intel_corrections_kind_idx').on(t.kind, t.id)]);

/** Risk flags raised on a case (src/intel/risk.ts), with the words that raised them. */
export const caseFlags = pgTable('case_flags', {
  caseId: uuid('case_id').notNull(),
  flag: text('flag').notNull(),
  words: text('words').array().notNull(),
  raisedAt: ts('raised_at').notNull(),
  clearedAt: ts('cleared_at'),
  clearedBy: text('cleared_by'),
  clearReason: text('clear_reason'),
}, (t) => [primaryKey({ columns: [t.caseId, t.flag] })]);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** MinHash signature of each case's text (src/intel/similar.ts), for duplicates; its LSH keys are in case_lsh_keys. */
export const caseSignatures = pgTable('case_signatures', {
  caseId: uuid('case_id').primaryKey(),
  /** The resolved location, else the intake unit. */
  areaCode: text('area_code').notNull(),
  createdAt: ts('created_at').notNull(),
  /** similar.ts `packMinhash`: 32 big-endian int32. */
  minhash: bytea('minhash').notNull(),
}, (t) => [
  index('case_signatures_created_idx').on(t.createdAt),
]);

/**
 * One row per LSH band key of a case (similar.ts `lshKeys`: time bucket in the high 32 bits, the
 * band scoped to street and bucket in the low 32). The primary key is the look-up index: "cases
 * sharing any of these keys, and how many" is an index-only scan.
 */
export const caseLshKeys = pgTable('case_lsh_keys', {
  key: bigint('key', { mode: 'number' }).notNull(),
  caseId: uuid('case_id').notNull(),
}, (t) => [primaryKey({ columns: [t.key, t.caseId] })]);

/**
 * Administrators' changes to the category catalogue (src/app/categories.ts), layered over the
 * shipped list in src/domain/categories.ts: a row for a shipped code renames or deactivates it
 * (null columns keep the shipped value); a row for a new code adds a category.
 */
export const categoryOverrides = pgTable('category_overrides', {
  code: text('code').primaryKey(),
  name: text('name'),
  description: text('description'),
  group: text('group'),
  keywords: text('keywords').array(),
  caseType: text('case_type'),
  active: boolean('active').notNull().default(true),
  updatedAt: ts('updated_at').notNull(),
  updatedBy: text('updated_by'),
});

// ───────────── common problems (共性问题): src/intel/problems.ts, src/app/problems ─────────────

/**
 * Common problems: a cluster of similar cases of one category in one street, proposed by a run
 * and followed by the street's leaders (confirmed, named, fixed or dismissed). `history` holds
 * every change (who, when, what). Visibility is `scope_units && actor roots`, as for cases.
 */
export const problems = pgTable('problems', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** proposed | confirmed | fixed | dismissed (src/domain/problem.ts). */
  status: text('status').notNull(),
  name: text('name').notNull(),
  /** The name the last run suggested (kept when a leader renames). */
  suggestedName: text('suggested_name').notNull(),
  category: text('category').notNull(),
  /** The street (or unit) the cases are in: its leaders own the problem. */
  unitCode: text('unit_code').notNull(),
  /** Every ancestor-or-self code of unit_code. */
  scopeUnits: text('scope_units').array().notNull(),
  /** [{term, weight, cases}] of the last description. */
  keyTerms: jsonb('key_terms').notNull(),
  /** What later cases are matched with (src/intel/problems.ts Profile); refreshed while proposed, frozen once confirmed. */
  profile: jsonb('profile').notNull(),
  /** The most central cases of the last description. */
  representativeIds: text('representative_ids').array().notNull(),
  proposedAt: ts('proposed_at').notNull(),
  confirmedAt: ts('confirmed_at'),
  confirmedBy: text('confirmed_by'),
  fixedAt: ts('fixed_at'),
  fixedBy: text('fixed_by'),
  fixNote: text('fix_note'),
  dismissedAt: ts('dismissed_at'),
  dismissedBy: text('dismissed_by'),
  dismissReason: text('dismiss_reason'),
  history: jsonb('history').notNull().default(sql`'[]'::jsonb`),
  updatedAt: ts('updated_at').notNull(),
}, (t) => [
  index('problems_scope_gin').using('gin', t.scopeUnits),
  index('problems_group_idx').on(t.category, t.unitCode),
]);

/** The cases of a problem: linked by the run that proposed it or by a later run (`via`). */
export const problemCases = pgTable('problem_cases', {
  problemId: uuid('problem_id').notNull(),
  caseId: uuid('case_id').notNull(),
  addedAt: ts('added_at').notNull(),
  /** `proposal` (in the cluster when proposed) or `match` (joined it later). */
  via: text('via').notNull(),
}, (t) => [
  primaryKey({ columns: [t.problemId, t.caseId] }),
  index('problem_cases_case_idx').on(t.caseId),
]);
