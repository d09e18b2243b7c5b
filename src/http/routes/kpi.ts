/**
 * The leader dashboard's figures (docs/kpi.md): summary, trend, unit ranking, districts for the
 * map, mix, and the formulas. Staff only; each answer covers the actor's visible scope.
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../app/deps.ts';
import {
  FORMULAS, kpiDistricts, kpiMix, kpiSummary, kpiTrend, kpiUnits, MixQuery, PeriodQuery, SummaryQuery, TrendQuery, UnitsQuery,
} from '../../app/kpi-dashboard.ts';
import { requireStaff, staffOf } from '../auth.ts';

export const kpiRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  const auth = app.withTypeProvider<ZodTypeProvider>();
  auth.addHook('preHandler', requireStaff(deps));
  const tags = ['kpi'];

  auth.get('/api/v1/kpi/summary', {
    schema: { tags, summary: 'Figures of the actor\'s subtree (or of a unit in it) over a period, default the last 30 days', querystring: SummaryQuery },
  }, async (req) => kpiSummary(deps, staffOf(req), req.query));

  auth.get('/api/v1/kpi/trend', {
    schema: { tags, summary: 'Volume per day or per week', querystring: TrendQuery },
  }, async (req) => kpiTrend(deps, staffOf(req), req.query));

  auth.get('/api/v1/kpi/units', {
    schema: { tags, summary: 'Ranking of the child units of a unit in scope (drill down district → street → community)', querystring: UnitsQuery },
  }, async (req) => kpiUnits(deps, staffOf(req), req.query));

  auth.get('/api/v1/kpi/districts', {
    schema: { tags, summary: 'Per-district figures for the map', querystring: PeriodQuery },
  }, async (req) => kpiDistricts(deps, staffOf(req), req.query));

  auth.get('/api/v1/kpi/mix', {
    schema: { tags, summary: 'Channel mix, type mix (praise apart from complaints) and top categories', querystring: MixQuery },
  }, async (req) => kpiMix(deps, staffOf(req), req.query));

  auth.get('/api/v1/kpi/formulas', {
    schema: { tags, summary: 'Label and formula of every figure (Chinese and English)' },
  }, async () => FORMULAS);
};
