/**
 * Administration of the SLA clocks (admin only): the ordered policies, the work calendar's
 * overrides, and the years open deadlines run into with no published calendar.
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addCalendarOverride, calendarWarnings, listCalendarOverrides, OverrideBody } from '../../app/calendar-overrides.ts';
import { PoliciesBody, listClockPolicies, replaceClockPolicies } from '../../app/clock-policies.ts';
import type { Deps } from '../../app/deps.ts';
import { DomainError } from '../../domain/errors.ts';
import { canAdminister } from '../../domain/policy.ts';
import { requireStaff, staffOf } from '../auth.ts';

const progress = (deps: Deps, what: string) => (done: number, total: number) => {
  if (done === total || done % 10_000 === 0) deps.log.info({ done, total }, `${what}: recomputing open cases`);
};

export const adminClockRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    admin.addHook('preHandler', requireStaff(deps));
    admin.addHook('preHandler', async (req) => {
      if (!canAdminister(staffOf(req))) throw new DomainError('forbidden', 'only an administrator manages clocks and the calendar');
    });

    admin.get('/api/v1/admin/clock-policies', {
      schema: { tags: ['admin'], summary: 'SLA clock policies in order; the first that matches a case wins (admin)' },
    }, async () => listClockPolicies(deps));

    admin.put('/api/v1/admin/clock-policies', {
      schema: {
        tags: ['admin'], body: z.object({ policies: PoliciesBody }),
        summary: 'Replace the clock policies (the last must match every case); recomputes the open cases\' clocks (admin)',
      },
    }, async (req) => replaceClockPolicies(deps, req.body.policies, progress(deps, 'clock policies')));

    admin.get('/api/v1/admin/calendar-overrides', {
      schema: { tags: ['admin'], summary: 'Holiday and make-up workday overrides of the work calendar (admin)' },
    }, async () => listCalendarOverrides(deps));

    admin.post('/api/v1/admin/calendar-overrides', {
      schema: { tags: ['admin'], body: OverrideBody, summary: 'Add or replace the override of one date; recomputes the open cases\' clocks (admin)' },
    }, async (req, reply) => reply.status(201).send(await addCalendarOverride(deps, req.body, progress(deps, 'calendar override'))));

    admin.get('/api/v1/admin/calendar/warnings', {
      schema: { tags: ['admin'], summary: 'Years that running deadlines count working days in with no published holiday calendar (admin)' },
    }, async () => calendarWarnings(deps));
  });
};
