/** Run hostile inputs through src/ functions in a worker, failing after `ms` instead of hanging. */
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

export interface HostileCall {
  /** Module path from the project root, e.g. `src/mail/date.ts`. */
  module: string;
  fn: string;
  /** The argument (structured-cloned into the worker): a string, or an object such as a stance input. */
  input: unknown;
  /** Pass the input (a string) as a Buffer. */
  buffer?: boolean;
}

/** Resolves with what each call returned; rejects when they take longer than `ms` in all. */
export async function runHostile(calls: HostileCall[], ms = 60_000): Promise<unknown[]> {
  const worker = new Worker(new URL('./hostile-worker.mjs', import.meta.url), { workerData: { calls } });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      new Promise<unknown[]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`not done within ${ms / 1000} s: a pattern backtracks on hostile input`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

/** The size of the hostile inputs: 1 MB, what MAX_BODY_BYTES and MAX_LINE_BYTES let through. */
export const HOSTILE_SIZE = 1_000_000;

/** `prefix`, then `unit` repeated to HOSTILE_SIZE characters. */
export function fill(prefix: string, unit: string): string {
  return prefix + unit.repeat(Math.ceil(HOSTILE_SIZE / unit.length));
}

/** One call of `fn` from `module` per input. */
export function callsOf(module: string, fn: string, inputs: string[]): HostileCall[] {
  return inputs.map((input) => ({ module, fn, input }));
}

/** Assert that every call returns (none throws, and all finish before the hang guard). */
export async function assertAllReturn(calls: HostileCall[], ms?: number): Promise<void> {
  assert.equal((await runHostile(calls, ms)).length, calls.length);
}
