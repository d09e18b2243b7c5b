import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One PostgreSQL cluster per run with a migrated template database; files clone it.
    globalSetup: ['test/global-setup.ts', 'test/browser/build-web.ts'],
    pool: 'forks',
    // Two cores here; PGlite takes ~800 MiB per instance. Override with --maxWorkers=N.
    maxWorkers: 2,
    // PGlite takes ~3 s to start.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // Browser steps poll the page; on a loaded 2-core machine a second is not enough.
    expect: { poll: { timeout: 10_000 } },
  },
});
