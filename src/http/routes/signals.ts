/** Weak signals (弱信号): categories rising beyond their own baseline in a district or street (src/app/signals.ts). */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../app/deps.ts';
import { readSignals, SignalsQuery } from '../../app/signals.ts';
import { requireStaff, staffOf } from '../auth.ts';

export const signalRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  const auth = app.withTypeProvider<ZodTypeProvider>();
  auth.addHook('preHandler', requireStaff(deps));
  auth.get('/api/v1/intel/signals', {
    schema: {
      tags: ['intel'], querystring: SignalsQuery,
      summary: 'Weak signals of a day (default today): district/street × category counts above their last 28 days, in the actor\'s scope',
    },
  }, async (req) => readSignals(deps, staffOf(req), req.query));
};
