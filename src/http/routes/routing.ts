/**
 * Routing (派单建议): the ordered rules (admin) and a suggestion for a request not yet registered
 * (staff, for the operator's desk). Cases get theirs at intake (GET /api/v1/cases/{id}/intel).
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../app/deps.ts';
import { RouteBody, suggestRouteFor } from '../../app/intel/route.ts';
import { RoutingRulesBody, listRules, replaceRules } from '../../app/routing-rules.ts';
import { DomainError } from '../../domain/errors.ts';
import { canAdminister } from '../../domain/policy.ts';
import { requireStaff, staffOf } from '../auth.ts';

export const routingRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.register(async (scope) => {
    const staff = scope.withTypeProvider<ZodTypeProvider>();
    staff.addHook('preHandler', requireStaff(deps));
    staff.post('/api/v1/intel/route', {
      schema: {
        tags: ['intel'], body: RouteBody,
        summary: 'Suggest the handling unit for a request not yet registered: the rule that decided, why, a confidence, alternatives',
      },
    }, async (req) => suggestRouteFor(deps, staffOf(req).unitCode, req.body));
  });

  app.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    // Before the body is validated: a non-administrator learns nothing about the rules' schema.
    admin.addHook('preValidation', requireStaff(deps));
    admin.addHook('preValidation', async (req) => {
      if (!canAdminister(staffOf(req))) throw new DomainError('forbidden', 'only an administrator manages the routing rules');
    });

    admin.get('/api/v1/admin/routing-rules', {
      schema: { tags: ['admin'], summary: 'Routing rules in order; the first that matches a request and names a unit wins (admin)' },
    }, async () => listRules(deps));

    admin.put('/api/v1/admin/routing-rules', {
      schema: {
        tags: ['admin'], body: z.object({ rules: RoutingRulesBody }).strict(),
        summary: 'Replace the routing rules (the last must match every request and always name a unit; unit codes must exist) (admin)',
      },
    }, async (req) => replaceRules(deps, req.body.rules));
  });
};
