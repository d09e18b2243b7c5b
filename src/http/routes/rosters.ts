/** Duty rosters (专班 / 轮班): a unit's shifts, who is on duty, adding and deleting shifts. */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../app/deps.ts';
import { AddShiftsBody, OnDutyQuery, RosterQuery, addShifts, deleteShift, readRoster, whoIsOnDuty } from '../../app/rosters.ts';
import { requireStaff, staffOf } from '../auth.ts';

const Code = z.object({ code: z.string().max(40) });

export const rosterRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.register(async (scope) => {
    const auth = scope.withTypeProvider<ZodTypeProvider>();
    auth.addHook('preHandler', requireStaff(deps));

    auth.get('/api/v1/units/:code/roster', {
      schema: { tags: ['rosters'], summary: 'Shifts of a unit overlapping [from, to) (default: the next 7 days)', params: Code, querystring: RosterQuery },
    }, async (req) => readRoster(deps, staffOf(req), req.params.code, req.query));

    auth.post('/api/v1/units/:code/roster', {
      schema: {
        tags: ['rosters'], params: Code, body: AddShiftsBody,
        summary: 'Add shifts (explicit, or a template: three 8-hour shifts or one 24-hour shift from a China-local start), all or none',
      },
    }, async (req, reply) => reply.status(201).send(await addShifts(deps, staffOf(req), req.params.code, req.body)));

    auth.delete('/api/v1/units/:code/roster/:id', {
      schema: { tags: ['rosters'], summary: 'Delete a shift that has not started', params: z.object({ code: z.string().max(40), id: z.string().max(60) }) },
    }, async (req, reply) => {
      await deleteShift(deps, staffOf(req), req.params.code, req.params.id);
      return reply.status(204).send();
    });

    auth.get('/api/v1/units/:code/on-duty', {
      schema: { tags: ['rosters'], summary: 'Who is on duty at a unit at a time (default now)', params: Code, querystring: OnDutyQuery },
    }, async (req) => whoIsOnDuty(deps, staffOf(req), req.params.code, req.query.at));
  });
};
