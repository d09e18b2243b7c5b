/**
 * Open311 GeoReport v2 under /open311/v2 (see docs/open311.md): discovery, services, service
 * definitions, POST and GET requests, tokens, and FixMyStreet's servicerequestupdates. Every
 * resource answers in `.json` or `.xml`; errors use the spec's format. Parameters come from the
 * query string and, for POST, a form-urlencoded or JSON body.
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authenticateApiKey } from '../../app/api-keys.ts';
import type { Deps } from '../../app/deps.ts';
import type { Params } from '../../app/open311/params.ts';
import { getServiceRequest, listServiceRequestUpdates, resolveToken, searchServiceRequests } from '../../app/open311/read-service-requests.ts';
import { discovery, listServices, serviceDefinition } from '../../app/open311/services.ts';
import { submitServiceRequest } from '../../app/open311/submit-service-request.ts';
import { formatOfUrl, formatParam, open311Error, open311ErrorHandler, send, sendErrors } from './reply.ts';

type Req<P = object> = FastifyRequest<{ Params: P & { format: string } }>;

/** Query string and body as one set of parameters, the body winning. */
function paramsOf(req: FastifyRequest): Params {
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};
  return { ...(req.query as Params), ...(body as Params) };
}

const doc = (summary: string) => ({ schema: { tags: ['open311'], summary } });

/** The Open311 plugin; register it with `{ prefix: OPEN311_PATH }`. */
export const open311Routes = (deps: Deps): FastifyPluginAsync => async (app) => {
  // The spec posts forms; parse them here unless the app already does.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  app.setErrorHandler(open311ErrorHandler);
  app.setNotFoundHandler((req, reply) => sendErrors(reply, formatOfUrl(req.url), 404, `${req.method} ${req.url.split('?')[0]}: no such resource`));

  /** Parameters after the format and jurisdiction checks every resource makes first. */
  function accept(req: Req): { format: ReturnType<typeof formatParam>; params: Params } {
    const format = formatParam(req.params.format);
    const params = paramsOf(req);
    const j = params.jurisdiction_id;
    if (typeof j === 'string' && j.trim() && j.trim() !== deps.config.open311Jurisdiction) {
      throw open311Error(404, `jurisdiction_id: ${j.trim()} not found; this endpoint serves ${deps.config.open311Jurisdiction}`);
    }
    return { format, params };
  }

  app.get('/discovery.:format', doc('Service discovery'), async (req: Req, reply) => {
    const { format } = accept(req);
    return send(reply, format, 'discovery', discovery(deps.config));
  });

  app.get('/services.:format', doc('Service list: one per category'), async (req: Req, reply) => {
    const { format } = accept(req);
    return send(reply, format, 'services', await listServices(deps));
  });

  app.get('/services/:code.:format', doc('Service definition: the questions a category asks'), async (req: Req<{ code: string }>, reply) => {
    const { format } = accept(req);
    return send(reply, format, 'service_definition', await serviceDefinition(deps, req.params.code));
  });

  app.post('/requests.:format', { ...doc('Submit a request (api_key required)'), config: { idempotent: true } }, async (req: Req, reply) => {
    const { format, params } = accept(req);
    await authenticateApiKey(deps, typeof params.api_key === 'string' ? params.api_key.trim() : undefined);
    const r = await submitServiceRequest(deps, params);
    return send(reply, format, 'service_requests', [{ service_request_id: r.serviceRequestId, token: r.token, service_notice: r.notice }]);
  });

  app.get('/requests.:format', doc('Search requests (90 days at most; page, page_size)'), async (req: Req, reply) => {
    const { format, params } = accept(req);
    return send(reply, format, 'service_requests', await searchServiceRequests(deps, params));
  });

  app.get('/requests/:id.:format', doc('One request'), async (req: Req<{ id: string }>, reply) => {
    const { format } = accept(req);
    return send(reply, format, 'service_requests', [await getServiceRequest(deps, req.params.id)]);
  });

  app.get('/tokens/:token.:format', doc('The request id of a token'), async (req: Req<{ token: string }>, reply) => {
    const { format } = accept(req);
    return send(reply, format, 'service_requests', [await resolveToken(deps, req.params.token)]);
  });

  app.get('/servicerequestupdates.:format', doc('Status updates since a date (FixMyStreet extension)'), async (req: Req, reply) => {
    const { format, params } = accept(req);
    return send(reply, format, 'service_request_updates', await listServiceRequestUpdates(deps, params));
  });
};
