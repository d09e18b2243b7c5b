/**
 * Configuration read from the database (clock policies and the calendar, routing rules), cached
 * per database for CONFIG_TTL_MS. The node that changes it invalidates at once; other nodes
 * re-read within the TTL. A read that began before an invalidation may hold the old rows: it is
 * used, not kept.
 */
export const CONFIG_TTL_MS = 10_000;

export interface ConfigCache<K extends object, V> {
  /** The cached value for `key`, or what `load` reads (kept unless invalidated meanwhile). */
  get(key: K, load: () => Promise<V>): Promise<V>;
  /** Drops this node's value for `key`; call after the change has committed. */
  invalidate(key: K): void;
}

export function configCache<K extends object, V>(ttlMs = CONFIG_TTL_MS): ConfigCache<K, V> {
  const cache = new WeakMap<K, { value: V; loadedAt: number }>();
  const generation = new WeakMap<K, number>();
  return {
    async get(key, load) {
      const hit = cache.get(key);
      if (hit && performance.now() - hit.loadedAt < ttlMs) return hit.value;
      const gen = generation.get(key) ?? 0;
      const value = await load();
      if ((generation.get(key) ?? 0) === gen) cache.set(key, { value, loadedAt: performance.now() });
      return value;
    },
    invalidate(key) {
      generation.set(key, (generation.get(key) ?? 0) + 1);
      cache.delete(key);
    },
  };
}
