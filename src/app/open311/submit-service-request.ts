/**
 * Open311 POST Service Request: a partner system's request becomes a case through the same
 * `submitRequest` as every other channel (channel `open311`). The caller has checked the API key.
 *
 * What has no column of its own goes into the case text, where staff read it: the answers to the
 * category's questions as `label：value` lines and the media URL as a last `图片：URL` line
 * (read back by `splitMedia`). `address_id` alone becomes the address `地址编码 ID`. The e-mail,
 * device and account ids are not stored: the platform keeps no sealed e-mail and identifies
 * citizens by phone.
 */
import { z } from 'zod';
import { describeAttributes, validateAttributes } from '../../domain/categories.ts';
import { activeCategory } from '../categories.ts';
import { DomainError, badInput } from '../../domain/errors.ts';
import type { Deps } from '../deps.ts';
import { SubmitBody, submitRequest } from '../submit-request.ts';
import { attributesOf, num, opt, parseParams, required, text, type Params } from './params.ts';

export const ServiceRequestParams = z.object({
  service_code: required(60),
  lat: num(-90, 90),
  long: num(-180, 180),
  address_string: text(200),
  address_id: text(100),
  email: opt(z.email('is not an e-mail address').max(254)),
  device_id: text(200),
  account_id: text(200),
  first_name: text(20),
  last_name: text(20),
  phone: text(30),
  description: text(4000),
  media_url: opt(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000)),
});

/** The line that carries `media_url` in the case text. */
const MEDIA_LABEL = '图片：';

/** Splits the trailing `图片：URL` line off a case text written by this use case. */
export function splitMedia(content: string): { text: string; mediaUrl: string | null } {
  const i = content.lastIndexOf('\n' + MEDIA_LABEL);
  if (i < 0) return { text: content, mediaUrl: null };
  const url = content.slice(i + 1 + MEDIA_LABEL.length);
  return z.url({ protocol: /^https?$/ }).safeParse(url).success && !url.includes('\n')
    ? { text: content.slice(0, i), mediaUrl: url }
    : { text: content, mediaUrl: null };
}

/** Case field → Open311 field, for errors raised by `submitRequest`. */
const FIELD_NAMES: Record<string, string> = {
  content: 'description', address: 'address_string', lat: 'lat', lng: 'long', 'citizen.phone': 'phone', 'citizen.name': 'first_name',
};

/** Family name first for Chinese names (张 + 三), given name first otherwise (John Smith). */
function fullName(first?: string, last?: string): string | undefined {
  if (!first && !last) return undefined;
  const cjk = /\p{Script=Han}/u.test(`${first ?? ''}${last ?? ''}`);
  return cjk ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ');
}

export interface ServiceRequestCreated {
  serviceRequestId: string;
  token: string;
  notice: string;
}

/**
 * Creates the case. No phone means an anonymous case (the name is then dropped too).
 * @throws not_found for an unknown service_code; bad_input `field: message` (Open311 field names)
 *   for a missing location, a bad attribute answer or any other bad field
 */
export async function submitServiceRequest(deps: Deps, params: Params): Promise<ServiceRequestCreated> {
  const p = parseParams(ServiceRequestParams, params);
  const category = await activeCategory(deps, p.service_code);
  if (!category) throw new DomainError('not_found', `service_code: ${p.service_code} is not a service`);
  if ((p.lat === undefined) !== (p.long === undefined)) throw badInput(p.lat === undefined ? 'lat' : 'long', 'lat and long go together');
  if (p.lat === undefined && !p.address_string && !p.address_id) {
    throw badInput('location', 'give lat and long, address_string or address_id');
  }
  const answers = validateAttributes(category, attributesOf(params));
  const description = p.description ?? '';
  const content = [
    // The case text needs 5 characters at least; a bare or very short report reads `【路灯故障】…`.
    description.length >= 5 ? description : `【${category.name}】${description}`,
    ...describeAttributes(category, answers),
    ...(p.media_url ? [MEDIA_LABEL + p.media_url] : []),
  ].join('\n');

  const input = SubmitBody.safeParse({
    content, type: category.caseType, category: category.code, channel: 'open311',
    address: p.address_string ?? (p.address_id ? `地址编码 ${p.address_id}` : undefined), lat: p.lat, lng: p.long,
    citizen: p.phone ? { phone: p.phone, name: fullName(p.first_name, p.last_name) } : { anonymous: true },
  });
  if (!input.success) {
    const issue = input.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw badInput(FIELD_NAMES[field] ?? field, issue.message);
  }
  try {
    const { caseId, trackingNo } = await submitRequest(deps, null, input.data);
    return { serviceRequestId: trackingNo, token: caseId, notice: `诉求已受理，受理编号 ${trackingNo}，可凭编号查询办理进度。` };
  } catch (e) {
    if (!(e instanceof DomainError) || e.code !== 'bad_input') throw e;
    const field = String(e.details?.field ?? '');
    throw FIELD_NAMES[field] ? badInput(FIELD_NAMES[field], e.message.slice(field.length + 2)) : e;
  }
}
