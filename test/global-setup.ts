/**
 * Vitest global setup: one throwaway PostgreSQL cluster for the whole run, with a migrated
 * `suqiu_template` database that test files clone (see test/db.ts). Teardown stops the cluster.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { makeDb, migrate } from '../src/store/db.ts';
import { databaseUrl, startCluster, TEMPLATE_DB } from './pg-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test cluster's `postgres` database. */
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = performance.now();
  const cluster = await startCluster();
  try {
    const t1 = performance.now();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    } finally {
      await admin.end();
    }
    const db = await makeDb({ url: databaseUrl(cluster.url, TEMPLATE_DB), poolSize: 1 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    const t2 = performance.now();
    if (process.env.SUQIU_TEST_TIMINGS) {
      console.log(`[global-setup] cluster ${(t1 - t0).toFixed(0)} ms, template ${(t2 - t1).toFixed(0)} ms, ${cluster.url}`);
    }
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
