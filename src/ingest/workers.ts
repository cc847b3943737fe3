/**
 * A small pool of worker threads that prepare messages (parse, hash, extract) in parallel with
 * the main thread, which reads sources and writes the database. Results come back in submission
 * order. Small runs never start a worker: starting one (a V8 isolate, tsx, the MIME parser) costs
 * about half a second, more than parsing a few hundred messages in the main thread.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { prepareMessage } from './prepare.ts';
import type { PreparedMessage, RawFormat } from '../store/types.ts';

interface Pending {
  resolve: (p: PreparedMessage) => void;
  reject: (e: Error) => void;
}

/** Workers by default: see the constructor. */
function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores <= 2 ? 0 : Math.min(4, cores - 1);
}

/** Messages prepared in the main thread before workers are started. */
const IN_THREAD_FIRST = 300;

export class PreparePool {
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 0;
  private rr = 0;
  private jobs = 0;

  /**
   * `size` workers: by default one per core beyond the main thread, at most four, and none on a
   * machine with two cores or fewer. Each worker holds its own copy of the MIME parser (~70 MB);
   * on two cores the main thread (reading, SQLite writes) is the bottleneck and a worker made the
   * whole-archive read slower (31.0 s against 29.0 s in-thread, docs/benchmarks.md) as well as
   * bigger. ARGMAP_WORKERS overrides (0 = always parse in-thread).
   */
  constructor(private size = Number(process.env.ARGMAP_WORKERS ?? defaultWorkers())) {}

  private start(): void {
    for (let i = 0; i < this.size; i++) {
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
    if (!(this.size > 0) || ++this.jobs <= IN_THREAD_FIRST) return prepareMessage(raw, format);
    if (!this.workers.length) this.start();
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
