/**
 * The Open311 service list, service definitions and discovery document, from the effective
 * category catalogue (app/categories.ts: the shipped list with the admin's changes; active
 * categories only) and the configuration.
 */
import type { Config } from '../../config.ts';
import { CATALOGUE_VERSION, type Category } from '../../domain/categories.ts';
import { activeCategory, effectiveCatalogue } from '../categories.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../../domain/errors.ts';

/** Where the API lives under the site. */
export const OPEN311_PATH = '/open311/v2';

const presentService = (c: Category) => ({
  service_code: c.code,
  service_name: c.name,
  description: c.description,
  metadata: c.metadata,
  // The case (and its tracking number) exists as soon as the POST returns.
  type: 'realtime' as const,
  keywords: c.keywords.join(', '),
  group: c.group,
});

/** GET services: one service per active category, in catalogue order. */
export const listServices = async (deps: Pick<Deps, 'db'>) =>
  (await effectiveCatalogue(deps)).filter((c) => c.active).map(presentService);

/** GET services/{code}: the category's questions. @throws not_found for an unknown or inactive code */
export async function serviceDefinition(deps: Pick<Deps, 'db'>, code: string) {
  const c = await activeCategory(deps, code);
  if (!c) throw new DomainError('not_found', `service_code: ${code} is not a service`);
  return {
    service_code: c.code,
    attributes: [...c.attributes].sort((a, b) => a.order - b.order).map((a) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatype === 'multivaluelist' ? '可多选' : a.datatype === 'datetime' ? 'ISO 8601，如 2026-11-01' : null,
      order: a.order,
      description: a.description,
      ...(a.values && { values: a.values.map((v) => ({ key: v.key, name: v.name })) }),
    })),
  };
}

/** The service discovery document for this deployment. */
export function discovery(config: Config) {
  const base = (config.publicBaseUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
  return {
    changeset: CATALOGUE_VERSION,
    contact: '群众诉求服务中心（12345 热线）',
    key_service: '合作方的 API 密钥由平台管理员签发（suqiu apikey add --name 名称）',
    endpoints: [{
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: base + OPEN311_PATH,
      changeset: CATALOGUE_VERSION,
      type: 'production',
      formats: ['text/xml', 'application/json'],
    }],
  };
}
