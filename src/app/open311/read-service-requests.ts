/**
 * Open311 reads: GET requests (search), one request, a token, and FixMyStreet's
 * `servicerequestupdates`. Only published cases (domain/open311.ts), and never personal data:
 * the case row's name and phone columns are not read, and free text is scrubbed on the way out.
 */
import { z } from 'zod';
import { CATEGORIES, FALLBACK_CATEGORY, categoryByCode, categoryOfCase } from '../../domain/categories.ts';
import { STATUS_LABELS, categoryOf, type Status } from '../../domain/case.ts';
import { DomainError, badInput } from '../../domain/errors.ts';
import {
  OPEN311_STATUS, PUBLISHED_CHANNELS, categoriesFor, scrubText, searchWindow, updateStatus, w3cDateTime, type Open311Status,
} from '../../domain/open311.ts';
import { isPublic, publicEntry } from '../../domain/timeline.ts';
import { TRACKING_NO } from '../../domain/tracking.ts';
import { WORKFLOW, type CaseAction } from '../../domain/workflow.ts';
import { getPublishedCase, listPublishedCases, listPublishedEvents, type CaseRow } from '../../store/open311.queries.ts';
import { getUnits } from '../../store/units.queries.ts';
import type { Deps } from '../deps.ts';
import { commaList, date, parseParams, text, whole, type Params } from './params.ts';
import { splitMedia } from './submit-service-request.ts';

/** The spec's default and our ceiling for one page. */
const MAX_PAGE = 1000;
const MAX_IDS = 200;
/** The spec caps `description` at 4,000 characters. */
const MAX_DESCRIPTION = 4000;

/** One service request as the spec's GET Service Request(s) returns it. */
export type Open311Request = {
  service_request_id: string;
  status: Open311Status;
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime?: string;
  address: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
};

/** The due time of the resolution clock (or a petition's handling clock), when one runs. */
function expectedAt(clocks: unknown): Date | null {
  if (!Array.isArray(clocks)) return null;
  for (const name of ['resolve', 'petition_handle']) {
    const c = clocks.find((x) => x && typeof x === 'object' && (x as { name?: unknown }).name === name) as { dueAt?: unknown } | undefined;
    const due = c?.dueAt ? new Date(c.dueAt as string) : null;
    if (due && !Number.isNaN(due.getTime())) return due;
  }
  return null;
}

const round6 = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);

/** A published case as an Open311 request; `leadName` is the lead unit's name. */
export function presentRequest(r: CaseRow, leadName: string | null): Open311Request {
  const status = OPEN311_STATUS[categoryOf(r.status as Status)];
  const service = categoryOfCase(r.category);
  const { text: body, mediaUrl } = splitMedia(r.content);
  const expected = expectedAt(r.clocks);
  return {
    service_request_id: r.trackingNo,
    status,
    status_notes: STATUS_LABELS[r.status as Status] + (r.reply ? `：${scrubText(r.reply)}` : ''),
    service_name: service.name,
    service_code: service.code,
    description: scrubText(body).slice(0, MAX_DESCRIPTION),
    agency_responsible: leadName,
    requested_datetime: w3cDateTime(r.createdAt),
    updated_datetime: w3cDateTime(status === 'closed' ? (r.closedAt ?? r.resolvedAt ?? r.updatedAt) : r.updatedAt),
    ...(expected && { expected_datetime: w3cDateTime(expected) }),
    address: r.address,
    lat: round6(r.lat),
    long: round6(r.lng),
    media_url: mediaUrl,
  };
}

async function present(deps: Deps, rows: CaseRow[]): Promise<Open311Request[]> {
  const codes = [...new Set(rows.map((r) => r.leadUnitCode).filter((c): c is string => !!c))];
  const names = new Map((codes.length ? await getUnits(deps.db.orm, codes) : []).map((u) => [u.code, u.name]));
  return rows.map((r) => presentRequest(r, r.leadUnitCode ? names.get(r.leadUnitCode) ?? null : null));
}

export const SearchParams = z.object({
  service_request_id: text(MAX_IDS * 30),
  service_code: text(2000),
  start_date: date(),
  end_date: date(),
  status: text(50),
  page: whole(1, 1_000_000),
  page_size: whole(1, MAX_PAGE),
});

/** Stored category values that read as each service code (its code, and its name on older cases). */
function categoryFilter(codes: string[]) {
  for (const c of codes) if (!categoryByCode(c)) throw badInput('service_code', `${c} is not a service`);
  const stored = CATEGORIES.filter((c) => codes.includes(c.code)).flatMap((c) => [c.code, c.name]);
  const known = CATEGORIES.filter((c) => c.code !== FALLBACK_CATEGORY).flatMap((c) => [c.code, c.name]);
  return { categories: stored, uncategorisedExcept: codes.includes(FALLBACK_CATEGORY) ? known : undefined };
}

/**
 * GET requests: newest first. `service_request_id` (comma list) overrides every other filter;
 * otherwise the window is 90 days at most (default: the last 90 days), `page`/`page_size` page.
 * @throws bad_input for a bad date, a window over 90 days, an unknown status or service code
 */
export async function searchServiceRequests(deps: Deps, params: Params): Promise<Open311Request[]> {
  const p = parseParams(SearchParams, params);
  const ids = commaList(p.service_request_id);
  if (ids.length > MAX_IDS) throw badInput('service_request_id', `at most ${MAX_IDS} ids`);
  if (ids.length) {
    const trackingNos = ids.map((s) => s.toUpperCase()).filter((s) => TRACKING_NO.test(s));
    const rows = trackingNos.length
      ? await listPublishedCases(deps.db.orm, { channels: PUBLISHED_CHANNELS, trackingNos, limit: MAX_IDS, offset: 0 })
      : [];
    return present(deps, rows);
  }
  const statuses = commaList(p.status);
  for (const s of statuses) if (s !== 'open' && s !== 'closed') throw badInput('status', 'must be open, closed or both (open,closed)');
  const window = searchWindow(deps.now(), p.start_date, p.end_date);
  const size = p.page_size ?? MAX_PAGE;
  const rows = await listPublishedCases(deps.db.orm, {
    channels: PUBLISHED_CHANNELS,
    ...(p.service_code ? categoryFilter(commaList(p.service_code)) : {}),
    statusCategories: statuses.length ? statuses.flatMap((s) => categoriesFor(s as Open311Status)) : undefined,
    from: window.from, to: window.to, limit: size, offset: ((p.page ?? 1) - 1) * size,
  });
  return present(deps, rows);
}

/** GET requests/{id}. @throws not_found for an unknown or unpublished id */
export async function getServiceRequest(deps: Deps, id: string): Promise<Open311Request> {
  const trackingNo = id.trim().toUpperCase();
  const row = TRACKING_NO.test(trackingNo) ? await getPublishedCase(deps.db.orm, PUBLISHED_CHANNELS, { trackingNo }) : null;
  if (!row) throw new DomainError('not_found', `service_request_id: ${id} not found`);
  return (await present(deps, [row]))[0]!;
}

/** GET tokens/{token}: the token is the case's id. @throws not_found for an unknown token */
export async function resolveToken(deps: Deps, token: string): Promise<{ service_request_id: string; token: string }> {
  const row = z.uuid().safeParse(token).success ? await getPublishedCase(deps.db.orm, PUBLISHED_CHANNELS, { id: token }) : null;
  if (!row) throw new DomainError('not_found', `token: ${token} not found`);
  return { service_request_id: row.trackingNo, token };
}

/** One entry of FixMyStreet's `servicerequestupdates`. */
export type Open311Update = {
  update_id: string;
  service_request_id: string;
  status: string;
  external_status_code: string;
  updated_datetime: string;
  description: string;
  media_url: string | null;
};

const PUBLIC_ACTIONS = ['accept', ...(Object.keys(WORKFLOW) as CaseAction[]).filter(isPublic)];

export const UpdatesParams = SearchParams.pick({ start_date: true, end_date: true, page: true, page_size: true });

/**
 * GET servicerequestupdates (FixMyStreet's extension): what the citizen's tracking page shows,
 * oldest first, within a window of at most 90 days (default: the last 90 days).
 * @throws bad_input for a bad date or a window over 90 days
 */
export async function listServiceRequestUpdates(deps: Deps, params: Params): Promise<Open311Update[]> {
  const p = parseParams(UpdatesParams, params);
  const window = searchWindow(deps.now(), p.start_date, p.end_date);
  const size = p.page_size ?? MAX_PAGE;
  const events = await listPublishedEvents(deps.db.orm, {
    channels: PUBLISHED_CHANNELS, actions: PUBLIC_ACTIONS, from: window.from, to: window.to, limit: size, offset: ((p.page ?? 1) - 1) * size,
  });
  return events.map((e) => {
    const entry = publicEntry(e);
    const status = (e.toStatus ?? e.fromStatus ?? e.caseStatus) as Status;
    return {
      update_id: `${e.trackingNo}_${e.seq}`,
      service_request_id: e.trackingNo,
      status: updateStatus(status),
      external_status_code: status,
      updated_datetime: w3cDateTime(e.at),
      description: scrubText(entry.text ? `${entry.label}：${entry.text}` : entry.label).slice(0, MAX_DESCRIPTION),
      media_url: null,
    };
  });
}
