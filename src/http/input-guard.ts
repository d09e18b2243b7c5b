/**
 * Refuses text the database cannot store before any handler sees it: NUL characters and lone
 * UTF-16 surrogates in a JSON body, the query or the route parameters (PostgreSQL rejects both
 * in text and jsonb, which would otherwise surface as a 500). One walk, without recursion, with
 * a budget, for every route.
 */
import type { FastifyInstance } from 'fastify';
import { badInput } from '../domain/errors.ts';

const BAD = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BUDGET = 200_000;

/** The path of the first bad string in `root`, or null. */
function firstBad(root: unknown, base: string): string | null {
  const stack: [unknown, string][] = [[root, base]];
  for (let seen = 0; stack.length && seen < BUDGET; seen++) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (BAD.test(v)) return path;
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (BAD.test(k)) return path;
        stack.push([x, path === 'body' || path === 'query' || path === 'params' ? k : `${path}.${k}`]);
      }
    }
  }
  return null;
}

/** Installs the check on `app` (the root) for every route. */
export function guardInput(app: FastifyInstance<any, any, any, any, any>): void {
  app.addHook('preValidation', async (req) => {
    for (const [part, v] of [['params', req.params], ['query', req.query], ['body', req.body]] as const) {
      const at = firstBad(v, part);
      if (at) throw badInput(at, 'must be valid text without NUL characters');
    }
  });
}
