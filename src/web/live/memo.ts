/**
 * Remembers a computed value per key while its version is unchanged and it is younger than
 * `maxAgeMs`: for panels whose inputs are expensive to walk (every trade in the journal, 24 h
 * of equity) but change far less often than snapshots come.
 */
export interface Memo {
  get<T>(key: string, version: string, maxAgeMs: number, compute: () => T): T;
}

export function createMemo(now: () => number = Date.now): Memo {
  const entries = new Map<string, { version: string; atMs: number; value: unknown }>();
  return {
    get<T>(key: string, version: string, maxAgeMs: number, compute: () => T): T {
      const hit = entries.get(key);
      const nowMs = now();
      if (hit && hit.version === version && nowMs - hit.atMs < maxAgeMs) return hit.value as T;
      const value = compute();
      entries.set(key, { version, atMs: nowMs, value });
      return value;
    },
  };
}
