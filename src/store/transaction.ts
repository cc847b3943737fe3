/** Running a unit of work in one write transaction. */
import type { Db } from './db.ts';

/**
 * Run `fn` in one IMMEDIATE transaction and return its result. IMMEDIATE takes the write lock at
 * the start rather than at the first write, so a second writer on the same file fails at once
 * instead of after the work is done; an exception rolls everything back, so a killed or failed
 * step leaves the previous state.
 */
export function immediateTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
