/** Common problems (共性问题): list, one problem with its figures, leaders' decisions, and a proposal run (src/app/problems). */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../app/deps.ts';
import { actOnProblem } from '../../app/problems/act-on-problem.ts';
import { proposeProblems } from '../../app/problems/propose-problems.ts';
import { getProblemView, listProblemViews, ProblemListQuery, ProblemQuery, staffViewer } from '../../app/problems/read-problems.ts';
import { DomainError } from '../../domain/errors.ts';
import { PROBLEM_ACTIONS, proposalScope } from '../../domain/problem.ts';
import { requireStaff, staffOf } from '../auth.ts';

const RunBody = z.object({
  weeks: z.number().int().min(1).max(26).optional(),
  minCases: z.number().int().min(2).max(1000).optional(),
  minSpanDays: z.number().int().min(0).max(180).optional(),
}).strict();

export const problemRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  const auth = app.withTypeProvider<ZodTypeProvider>();
  auth.addHook('preHandler', requireStaff(deps));

  auth.get('/api/v1/problems', {
    schema: { tags: ['problems'], summary: 'Common problems in the actor\'s scope (status: proposed, confirmed, fixed, dismissed; comma-separated for several)', querystring: ProblemListQuery },
  }, async (req) => listProblemViews(deps, staffViewer(staffOf(req)), req.query));

  auth.get('/api/v1/problems/:id', {
    schema: {
      tags: ['problems'], params: z.object({ id: z.string() }), querystring: ProblemQuery,
      summary: 'A problem with its history, the cases the actor may see, and cases a week before vs since the fix',
    },
  }, async (req) => getProblemView(deps, staffViewer(staffOf(req)), req.params.id, req.query));

  auth.post('/api/v1/problems/:id/actions/:action', {
    schema: {
      tags: ['problems'], params: z.object({ id: z.string(), action: z.string() }),
      body: z.record(z.string(), z.unknown()).optional(),
      summary: `A leader's decision: ${PROBLEM_ACTIONS.join(', ')} (confirm {name?}, rename {name}, fix {note, fixedAt?}, reopen {note}, dismiss {reason})`,
    },
  }, async (req) => actOnProblem(deps, staffOf(req), req.params.id, req.params.action, req.body));

  auth.post('/api/v1/problems/run', {
    schema: { tags: ['problems'], body: RunBody.optional(), summary: 'Cluster the last weeks\' cases and store new proposals (leaders: their subtree; admin: the city)' },
  }, async (req) => {
    const actor = staffOf(req);
    const scope = proposalScope(actor);
    if (!scope) throw new DomainError('forbidden', 'only leaders and the administrator run proposals');
    const r = await proposeProblems(deps, scope, { ...req.body, by: { id: actor.id, name: actor.displayName } });
    // The admin reads no cases: counts only.
    return actor.role === 'admin' ? { ...r, proposed: r.proposed.map(({ id, unitCode, category, caseCount }) => ({ id, unitCode, category, caseCount })) } : r;
  });
};
