/**
 * Configuration from the environment, validated once at start-up. Every variable is listed in
 * the README.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  SUQIU_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (256 bits)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  PUBLIC_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  PUBLIC_BASE_URL: z.string().url().optional(),
  TRACKING_PREFIX: z.string().regex(/^[A-Z]{2,4}$/, 'must be 2-4 capital letters').default('SZ'),
  PUBLIC_PHONE_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  ATTACHMENTS_DIR: z.string().min(1).optional(),
  ATTACHMENT_MAX_MB: z.coerce.number().positive().max(100).default(10),
  ATTACHMENTS_PER_CASE: z.coerce.number().int().min(1).max(100).default(9),
  OPEN311_JURISDICTION: z.string().trim().regex(/^[\w.-]{1,100}$/, 'must be a domain-like id such as shenzhen.gov.cn').default('shenzhen.gov.cn'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  SMTP_FROM: z.string().min(3).default('suqiu <noreply@localhost>'),
  INTEL_RETRAIN_HOUR: z.coerce.number().int().min(0).max(23).default(2),
  SIGNALS_EVERY_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  PROBLEMS_RUN_HOUR: z.coerce.number().int().min(0).max(23).default(3),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  key?: string;
  logLevel: string;
  sessionIdleMinutes: number;
  /** Public submissions allowed per IP per minute. */
  publicRateLimit: number;
  publicBaseUrl?: string;
  /** Prefix of tracking numbers (SZ-20261127-000123). */
  trackingPrefix: string;
  /** Public requests allowed per phone number (by its HMAC index) or tracking number, per hour. */
  publicPhoneRateLimit: number;
  /** Where attachment files live (default `DATA_DIR/attachments`). */
  attachmentsDir: string;
  /** Largest attachment in bytes, and how many files each side (citizen, staff) may add to a case. */
  attachmentMaxBytes: number;
  attachmentsPerCase: number;
  /** The Open311 `jurisdiction_id` this deployment answers to. */
  open311Jurisdiction: string;
  /** SMTP server for e-mail notifications (smtp://user:pass@host:port); none means no e-mail. */
  smtpUrl?: string;
  /** Sender of e-mail notifications. */
  smtpFrom: string;
  /** China-time hour after which the classifier is retrained with staff corrections, once a night. */
  intelRetrainHour: number;
  /** How often the weak-signals check runs (leaders are notified once per unit, category and day). */
  signalsEveryMinutes: number;
  /** China-time hour after which common problems are proposed, once a day. */
  problemsRunHour: number;
}

/** Reads the configuration; throws `VAR: message` for a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = Env.safeParse(env);
  if (!r.success) {
    throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const e = r.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    key: e.SUQIU_KEY,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    publicRateLimit: e.PUBLIC_RATE_LIMIT,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    trackingPrefix: e.TRACKING_PREFIX,
    publicPhoneRateLimit: e.PUBLIC_PHONE_RATE_LIMIT,
    attachmentsDir: resolve(e.ATTACHMENTS_DIR ?? join(e.DATA_DIR, 'attachments')),
    attachmentMaxBytes: Math.round(e.ATTACHMENT_MAX_MB * 1024 * 1024),
    attachmentsPerCase: e.ATTACHMENTS_PER_CASE,
    open311Jurisdiction: e.OPEN311_JURISDICTION,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    intelRetrainHour: e.INTEL_RETRAIN_HOUR,
    signalsEveryMinutes: e.SIGNALS_EVERY_MINUTES,
    problemsRunHour: e.PROBLEMS_RUN_HOUR,
  };
}
