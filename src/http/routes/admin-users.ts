/**
 * Administration of staff accounts and Open311 API keys (admin only): list and add accounts
 * (app/add-user.ts), list, add and revoke keys (app/api-keys.ts; a new key is shown once).
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AddUserBody, addUser } from '../../app/add-user.ts';
import { addApiKey, listApiKeys, revokeApiKey } from '../../app/api-keys.ts';
import type { Deps } from '../../app/deps.ts';
import { UserQuery, listUserViews } from '../../app/list-users.ts';
import { DomainError } from '../../domain/errors.ts';
import { canAdminister } from '../../domain/policy.ts';
import { requireStaff, staffOf } from '../auth.ts';

export const adminUserRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    admin.addHook('preHandler', requireStaff(deps));
    admin.addHook('preHandler', async (req) => {
      if (!canAdminister(staffOf(req))) throw new DomainError('forbidden', 'only an administrator manages accounts and API keys');
    });

    admin.get('/api/v1/admin/users', {
      schema: { tags: ['admin'], summary: 'Staff accounts (admin)', querystring: UserQuery },
    }, async (req) => listUserViews(deps, staffOf(req), req.query));

    admin.post('/api/v1/admin/users', {
      schema: { tags: ['admin'], summary: 'Create a staff account at a unit with one role (admin)', body: AddUserBody },
    }, async (req, reply) => reply.status(201).send(await addUser(deps, req.body)));

    admin.get('/api/v1/admin/api-keys', {
      schema: { tags: ['admin'], summary: 'Open311 API keys: name, prefix, state (admin)' },
    }, async () => ({ items: await listApiKeys(deps) }));

    admin.post('/api/v1/admin/api-keys', {
      schema: { tags: ['admin'], summary: 'Issue an Open311 API key; the key is in this answer only (admin)', body: z.object({ name: z.string().trim().min(1).max(80) }) },
    }, async (req, reply) => reply.status(201).send(await addApiKey(deps, req.body.name)));

    admin.delete('/api/v1/admin/api-keys/:ref', {
      schema: { tags: ['admin'], summary: 'Revoke an Open311 API key by id or prefix (admin)', params: z.object({ ref: z.string().trim().min(1).max(80) }) },
    }, async (req) => revokeApiKey(deps, req.params.ref));
  });
};
