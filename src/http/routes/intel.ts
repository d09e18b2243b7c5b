/**
 * Intel routes: a case's suggestions and risk flags, correcting its category, clearing a flag,
 * resolving an address, and the stored models (src/app/intel).
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../app/deps.ts';
import { caseIntel, CategorizeBody, categorizeCase, ClearFlagBody, ClearFlagParams, clearCaseFlag } from '../../app/intel/case-intel.ts';
import { modelsList } from '../../app/intel/models.ts';
import { getCaseView } from '../../app/read-cases.ts';
import { resolveAddress } from '../../intel/address.ts';
import { requireStaff, staffOf } from '../auth.ts';

/** What a citizen's submission returns about itself. */
export const PublicSuggestions = z.object({
  categories: z.array(z.object({ label: z.string(), confidence: z.number() })),
  location: z.object({ unitCode: z.string(), kind: z.string(), name: z.string(), confidence: z.number(), matched: z.array(z.string()) }).nullable(),
});

const Id = z.object({ id: z.string() });

export const intelRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.register(async (scope) => {
    const auth = scope.withTypeProvider<ZodTypeProvider>();
    auth.addHook('preHandler', requireStaff(deps));

    auth.get('/api/v1/cases/:id/intel', {
      schema: { tags: ['intel'], summary: 'Intake suggestions (category top 3, location, similar cases) and risk flags of a case', params: Id },
    }, async (req) => {
      await getCaseView(deps, staffOf(req), req.params.id); // 404 outside the actor's scope
      return caseIntel(deps.db.orm, req.params.id, staffOf(req));
    });

    auth.put('/api/v1/cases/:id/category', {
      schema: { tags: ['intel'], summary: 'Set or confirm the category (recorded as a correction for the next training)', params: Id, body: CategorizeBody },
    }, async (req) => categorizeCase(deps, staffOf(req), req.params.id, req.body));

    auth.post('/api/v1/cases/:id/flags/:flag/clear', {
      schema: { tags: ['intel'], summary: 'Clear a risk flag with a reason', params: ClearFlagParams, body: ClearFlagBody },
    }, async (req) => clearCaseFlag(deps, staffOf(req), req.params.id, req.params.flag, req.body.reason));

    auth.post('/api/v1/intel/resolve-address', {
      schema: { tags: ['intel'], summary: 'Resolve a Shenzhen address to a district, street or community', body: z.object({ text: z.string().trim().min(1).max(500) }) },
    }, async (req) => ({ result: resolveAddress(req.body.text) }));

    auth.get('/api/v1/intel/models', {
      schema: { tags: ['intel'], summary: 'Stored classifier models (newest first) with their figures' },
    }, async () => (await modelsList(deps)).map((m) => ({ ...m, labels: m.labels })));
  });
};
