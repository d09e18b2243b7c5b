/**
 * Vitest global setup: builds the web app once before any test file runs when web/dist is
 * missing or older than its sources, so the browser tests and `suqiu serve` in test/serve.test.ts
 * find a fresh build instead of building it concurrently.
 */
import { buildWeb, webBuildState } from '../../src/cli/web-build.ts';

export default async function setup(): Promise<void> {
  const state = webBuildState();
  if (state === 'fresh') return;
  const t0 = performance.now();
  await buildWeb({ quiet: true });
  console.log(`[web] built the web app (${state}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
