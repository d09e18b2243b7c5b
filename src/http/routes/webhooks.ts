/** Webhooks (admin): register, list, delete. Deliveries are signed; see domain/delivery.ts. */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../app/deps.ts';
import { WebhookBody, deleteWebhook, listAllWebhooks, registerWebhook } from '../../app/webhooks.ts';
import { requireStaff, staffOf } from '../auth.ts';

export const webhookRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.register(async (scope) => {
    const auth = scope.withTypeProvider<ZodTypeProvider>();
    auth.addHook('preHandler', requireStaff(deps));

    auth.post('/api/v1/webhooks', {
      schema: { tags: ['webhooks'], summary: 'Register a webhook (admin); the answer shows its signing secret once', body: WebhookBody },
    }, async (req, reply) => reply.status(201).send(await registerWebhook(deps, staffOf(req), req.body)));

    auth.get('/api/v1/webhooks', { schema: { tags: ['webhooks'], summary: 'Registered webhooks (admin), without secrets' } },
      async (req) => listAllWebhooks(deps, staffOf(req)));

    auth.delete('/api/v1/webhooks/:id', {
      schema: { tags: ['webhooks'], summary: 'Delete a webhook (admin)', params: z.object({ id: z.string().max(60) }) },
    }, async (req, reply) => {
      await deleteWebhook(deps, staffOf(req), req.params.id);
      return reply.status(204).send();
    });
  });
};
