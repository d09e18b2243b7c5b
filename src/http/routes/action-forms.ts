/**
 * The body of every workflow action as JSON Schema, generated from the zod schemas the action
 * route validates with (src/app/actions/*.ts), so the workbench draws one form per action without
 * a second copy of the shapes. Which actions a person may take on a case still comes from the
 * case's `allowedActions` only.
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTION_USE_CASES } from '../../app/actions/index.ts';
import type { Deps } from '../../app/deps.ts';
import { ACTION_LABELS } from '../../domain/timeline.ts';
import type { CaseAction } from '../../domain/workflow.ts';
import { requireStaff } from '../auth.ts';

/** Actions without a JSON body to fill in (files go through the attachments route). */
const NO_FORM: readonly CaseAction[] = ['attach'];

let forms: { action: string; label: string; schema: unknown }[] | undefined;

/** The forms, computed once per process (the schemas do not change while it runs). */
export function actionForms() {
  forms ??= (Object.entries(ACTION_USE_CASES) as [CaseAction, { body: z.ZodType }][])
    .filter(([action]) => !NO_FORM.includes(action))
    .map(([action, useCase]) => {
      const { $schema: _s, ...schema } = z.toJSONSchema(useCase.body, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      return { action, label: ACTION_LABELS[action] ?? action, schema };
    });
  return forms;
}

export const actionFormRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  app.register(async (scope) => {
    const auth = scope.withTypeProvider<ZodTypeProvider>();
    auth.addHook('preHandler', requireStaff(deps));
    auth.get('/api/v1/actions', {
      schema: { tags: ['cases'], summary: 'The body of each workflow action as JSON Schema (for drawing forms); what a case allows is its allowedActions' },
    }, async () => ({ items: actionForms() }));
  });
};
