/**
 * The category catalogue over HTTP (app/categories.ts): the active list for everyone (forms,
 * citizens), the full list with deactivated ones for staff, and changes by the admin alone.
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CategoryBody, deactivateCategory, listCategories, upsertCategory } from '../../app/categories.ts';
import type { Deps } from '../../app/deps.ts';
import { DomainError } from '../../domain/errors.ts';
import { canAdminister } from '../../domain/policy.ts';
import { requireStaff, staffOf } from '../auth.ts';

export const categoryRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/categories', {
    schema: {
      tags: ['public'], summary: 'The category catalogue (active ones; includeInactive=true for staff)',
      querystring: z.object({ includeInactive: z.enum(['true', 'false']).optional() }),
    },
  }, async (req, reply) => {
    const includeInactive = req.query.includeInactive === 'true';
    if (includeInactive) await requireStaff(deps)(req, reply);
    return listCategories(deps, { includeInactive });
  });

  app.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    admin.addHook('preHandler', requireStaff(deps));
    admin.addHook('preHandler', async (req) => {
      if (!canAdminister(staffOf(req))) throw new DomainError('forbidden', 'only an administrator manages the category catalogue');
    });
    const params = z.object({ code: z.string().max(80) });

    admin.put('/api/v1/admin/categories/:code', {
      schema: { tags: ['admin'], summary: 'Change a category, or add one under a new code (admin)', params, body: CategoryBody },
    }, async (req) => upsertCategory(deps, staffOf(req).id, req.params.code, req.body));

    admin.delete('/api/v1/admin/categories/:code', {
      schema: { tags: ['admin'], summary: 'Deactivate a category (admin)', params },
    }, async (req) => deactivateCategory(deps, staffOf(req).id, req.params.code));
  });
};
