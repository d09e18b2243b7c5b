/** Public routes: health, submitting a request, tracking and rating by the citizen. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../app/deps.ts';
import { getUnitView, listUnitViews, UnitQuery } from '../../app/read-units.ts';
import { SubmitBody, submitRequest } from '../../app/submit-request.ts';
import { CitizenRateBody, TrackQuery, rateAsCitizen, trackCase } from '../../app/track-case.ts';
import { TRACKING_NO } from '../../domain/tracking.ts';
import { issueAccessToken } from '../../app/citizen-proof.ts';
import { perCitizen } from '../citizen-limit.ts';
import { PublicSuggestions } from './intel.ts';

/** The tracking number in a citizen route's path. */
export const TrackParams = z.object({ trackingNo: z.string().trim().max(40).toUpperCase().regex(TRACKING_NO, 'is not a tracking number') });

export const publicRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  const perIp = { rateLimit: { max: deps.config.publicRateLimit, timeWindow: 60_000 } };

  app.get('/healthz', {
    schema: { tags: ['system'], response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) }) } },
  }, async () => ({ status: 'ok' as const, db: deps.db.kind }));

  app.post('/api/v1/requests', {
    config: { ...perIp, idempotent: true },
    preHandler: perCitizen(app, deps),
    schema: {
      tags: ['citizen'], body: SubmitBody,
      summary: 'Submit a request (public, no login); the access token lets the citizen upload attachments and track for 30 minutes',
      response: { 201: z.object({ caseId: z.string(), trackingNo: z.string(), accessToken: z.string(), accessTokenExpiresAt: z.string(), suggestions: PublicSuggestions }) },
    },
  }, async (req, reply) => {
    const r = await submitRequest(deps, null, req.body);
    // The citizen sees the category and place suggestions, never other cases or risk flags.
    const suggestions = { categories: r.suggestions.categories, location: r.suggestions.location };
    return reply.status(201).send({ caseId: r.caseId, trackingNo: r.trackingNo, ...issueAccessToken(deps, r.caseId), suggestions });
  });

  app.get('/api/v1/track/:trackingNo', {
    config: perIp,
    preHandler: perCitizen(app, deps),
    schema: {
      tags: ['citizen'], params: TrackParams, querystring: TrackQuery,
      summary: 'Track a request with the phone given at submission, a one-time code (used up) or an access token',
    },
  }, async (req) => trackCase(deps, req.params.trackingNo, req.query));

  app.post('/api/v1/track/:trackingNo/rate', {
    config: { ...perIp, idempotent: true },
    preHandler: perCitizen(app, deps),
    schema: { tags: ['citizen'], summary: 'Rate the answer (unsatisfied reopens the case)', params: TrackParams, body: CitizenRateBody },
  }, async (req) => rateAsCitizen(deps, req.params.trackingNo, req.body));

  app.get('/api/v1/units', {
    schema: { tags: ['units'], summary: 'Units of the org tree (public)', querystring: UnitQuery },
  }, async (req) => listUnitViews(deps, req.query));

  app.get('/api/v1/units/:code', {
    schema: { tags: ['units'], summary: 'One unit with its path and children', params: z.object({ code: z.string().max(40) }) },
  }, async (req) => getUnitView(deps, req.params.code));
};
