/** Staff routes: login, cases, actions, units. Each validates, authorizes, calls one use case. */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTION_USE_CASES } from '../../app/actions/index.ts';
import { revealCitizen } from '../../app/actions/reveal-citizen.ts';
import { login, logout } from '../../app/auth.ts';
import type { Deps } from '../../app/deps.ts';
import { presentCase } from '../../app/present-case.ts';
import { ListQuery, caseCounts, getCaseView, listCaseViews } from '../../app/read-cases.ts';
import { addSite } from '../../app/add-site.ts';
import { SITE_TYPES } from '../../domain/org.ts';
import { canAdminister } from '../../domain/policy.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { CASE_ACTIONS, type CaseAction } from '../../domain/workflow.ts';
import { bearer, requireStaff, staffOf } from '../auth.ts';
import { parse } from '../errors.ts';

const Id = z.object({ id: z.string() });
const ActionParams = z.object({ id: z.string(), action: z.enum(CASE_ACTIONS as [CaseAction, ...CaseAction[]]) });

export const staffRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/auth/login', {
    config: { rateLimit: { max: 20, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'], body: z.object({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200) }),
      response: { 200: z.object({ token: z.string(), user: z.object({ id: z.string(), role: z.string(), unitCode: z.string() }) }) },
    },
  }, async (req) => {
    const { token, user } = await login(deps, req.body.username, req.body.password);
    return { token, user: { id: user.id, role: user.role, unitCode: user.unitCode } };
  });

  app.register(async (scope) => {
    const auth = scope.withTypeProvider<ZodTypeProvider>();
    auth.addHook('preHandler', requireStaff(deps));

    auth.post('/api/v1/auth/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
      await logout(deps, bearer(req)!);
      return reply.status(204).send();
    });

    auth.get('/api/v1/me', { schema: { tags: ['auth'] } }, async (req) => {
      const s = staffOf(req);
      return { id: s.id, username: s.username, displayName: s.displayName, role: s.role, unitCode: s.unitCode };
    });

    auth.get('/api/v1/cases', {
      schema: { tags: ['cases'], summary: 'Cases the actor may see, newest first', querystring: ListQuery },
    }, async (req) => listCaseViews(deps, staffOf(req), req.query));

    auth.get('/api/v1/cases/stats', {
      schema: { tags: ['cases'], summary: 'Counts by type (praise apart from complaints), status category and group size' },
    }, async (req) => caseCounts(deps, staffOf(req)));

    auth.get('/api/v1/cases/:id', {
      schema: { tags: ['cases'], summary: 'One case with its timeline, clocks and allowed actions', params: Id },
    }, async (req) => getCaseView(deps, staffOf(req), req.params.id));

    auth.post('/api/v1/cases/:id/actions/:action', {
      schema: { tags: ['cases'], summary: 'Take a workflow action; the body depends on the action', params: ActionParams },
    }, async (req) => {
      const actor = staffOf(req);
      const { id, action } = req.params;
      if (!z.string().uuid().safeParse(id).success) throw notFound('case');
      const useCase = ACTION_USE_CASES[action];
      const body = parse(useCase.body, req.body ?? {});
      if (action === 'reveal') return revealCitizen.reveal(deps, actor, id, body);
      const { row } = await useCase.run(deps, actor, id, body);
      return presentCase(deps, deps.db.orm, actor, row);
    });

    auth.post('/api/v1/units/:code/sites', {
      schema: {
        tags: ['units'], summary: 'Add an N-type site (estate, school, …) under a community (admin)',
        params: z.object({ code: z.string().max(40) }),
        body: z.object({ name: z.string(), siteType: z.enum(SITE_TYPES), code: z.string().optional() }),
      },
    }, async (req, reply) => {
      if (!canAdminister(staffOf(req))) throw new DomainError('forbidden', 'only an administrator adds units');
      const site = await addSite(deps.db, req.params.code, req.body);
      return reply.status(201).send(site);
    });
  });
};
