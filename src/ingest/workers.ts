/**
 * A small pool of worker threads that prepare messages (parse, hash, compress) in parallel with
 * the main thread, which reads sources and writes the database. Results come back in submission
 * order. Falls back to in-thread preparation when workers cannot start.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { prepareMessage, type PreparedMessage } from './prepare.ts';
import type { RawFormat } from './types.ts';

interface Pending {
  resolve: (p: PreparedMessage) => void;
  reject: (e: Error) => void;
}

export class PreparePool {
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 0;
  private rr = 0;

  /**
   * One worker per core beyond the main thread (which reads sources and writes the database), at
   * least one and at most four: each worker holds its own copy of the MIME parser (~70 MB), and on
   * two cores a second worker only adds memory. ARGMAP_WORKERS overrides (0 = parse in-thread).
   */
  constructor(
    size = Number(process.env.ARGMAP_WORKERS ?? Math.max(1, Math.min(4, availableParallelism() - 1))),
  ) {
    if (!(size > 0)) return;
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./parse-worker.mjs', import.meta.url));
      w.on('message', (m: { id: number; result?: PreparedMessage; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.result) p.resolve(m.result);
        else p.reject(new Error(m.error ?? 'worker failed'));
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }

  prepare(raw: Buffer, format: RawFormat): Promise<PreparedMessage> {
    if (!this.workers.length) return prepareMessage(raw, format);
    const id = this.nextId++;
    const w = this.workers[this.rr++ % this.workers.length]!;
    const copy = new Uint8Array(raw.byteLength);
    copy.set(raw);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, raw: copy, format }, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}
