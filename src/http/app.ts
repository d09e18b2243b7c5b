/**
 * The HTTP application: `buildApp(deps)` wires validation (zod), OpenAPI at /docs, rate limits,
 * the error table and the routes. It listens nowhere; the caller decides.
 */
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../app/deps.ts';
import { errorHandler } from './errors.ts';
import { publicRoutes } from './routes/public.ts';
import { staffRoutes } from './routes/staff.ts';
import { citizenRoutes } from './routes/citizen.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { useIdempotency } from './idempotency.ts';
import { guardInput } from './input-guard.ts';
import { adminClockRoutes } from './routes/admin-clocks.ts';
import { rosterRoutes } from './routes/rosters.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { intakeRoutes } from './routes/intake.ts';
import { webAppRoutes, type WebApp } from './web-app.ts';
import { actionFormRoutes } from './routes/action-forms.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { kpiRoutes } from './routes/kpi.ts';
import { intelRoutes } from './routes/intel.ts';
import { signalRoutes } from './routes/signals.ts';
import { problemRoutes } from './routes/problems.ts';
import { open311Routes } from './open311/routes.ts';
import { categoryRoutes } from './routes/categories.ts';
import { routingRoutes } from './routes/routing.ts';
import { OPEN311_PATH } from '../app/open311/services.ts';

export interface AppOptions {
  /** Trust X-Forwarded-For from a load balancer in front. */
  trustProxy?: boolean;
  /** The built web app to serve at / (web-app.ts loadWebApp); without it, only the API. */
  web?: WebApp | null;
}

export async function buildApp(deps: Deps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log,
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(swagger, {
    openapi: {
      info: { title: 'suqiu 诉求 API', version: '1', description: 'Citizen requests service platform (接诉即办)' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, { global: false });
  guardInput(app);
  useIdempotency(app, deps);

  await app.register(publicRoutes(deps));
  await app.register(staffRoutes(deps));
  await app.register(citizenRoutes(deps));
  await app.register(attachmentRoutes(deps));
  await app.register(adminClockRoutes(deps));
  await app.register(rosterRoutes(deps));
  await app.register(notificationRoutes(deps));
  await app.register(webhookRoutes(deps));
  await app.register(intakeRoutes(deps, opts.web ?? null));
  await app.register(open311Routes(deps), { prefix: OPEN311_PATH });
  await app.register(actionFormRoutes(deps));
  await app.register(adminUserRoutes(deps));
  await app.register(kpiRoutes(deps));
  await app.register(intelRoutes(deps));
  await app.register(signalRoutes(deps));
  await app.register(problemRoutes(deps));
  await app.register(categoryRoutes(deps));
  await app.register(routingRoutes(deps));
  if (opts.web) await app.register(webAppRoutes(opts.web));
  return app as unknown as FastifyInstance;
}
