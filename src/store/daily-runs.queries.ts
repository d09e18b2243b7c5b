/** Once-a-day work shared by any number of nodes: the first to claim a run's day does it. */
import { dailyCounters } from './schema.ts';
import type { Tx } from './db.ts';

/** Claims the named daily run for a day (YYYY-MM-DD, China time): true for the first caller only. */
export async function claimDailyRun(tx: Tx, name: string, day: string): Promise<boolean> {
  const rows = await tx.insert(dailyCounters).values({ name, day, value: 1 }).onConflictDoNothing().returning({ day: dailyCounters.day });
  return rows.length > 0;
}
