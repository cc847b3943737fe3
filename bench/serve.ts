/**
 * How fast `argmap serve --db` answers, on an archive built by `argmap ingest`
 * (docs/benchmarks.md, "Serving from the archive").
 *
 *   node --import tsx bench/serve.ts DB [--rounds N] [--no-decisions] [--json]
 *
 * In one process, as `argmap serve --db DB` runs: start the server (time to the first page), then
 * over real HTTP on 127.0.0.1, one request at a time:
 * - thread pages of about 1, 50 and 500 messages (the archive's threads nearest those sizes; each
 *   thread once cold, then `rounds` more times), p50/p95 of all requests per size;
 * - every judged query of data/eval/queries.tsv through `api/search` (one warm-up pass, then
 *   `rounds` passes), p50/p95;
 * - the server's resident memory after all of it (VmHWM and VmRSS of this process, which is the
 *   server).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../src/store/db.ts';
import { serveDb } from '../src/site/serve-db.ts';
import { urls } from '../src/site/urls.ts';
import { quantile } from './measure.ts';
import { SiteData } from '../src/store/site-data.ts';

/** VmHWM and VmRSS of this process in MiB (Linux). */
function memory(): { hwmMiB: number; rssMiB: number } {
  const st = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(st)?.[1] ?? NaN);
  return { hwmMiB: Math.round(kb('VmHWM') / 1024), rssMiB: Math.round(kb('VmRSS') / 1024) };
}

export interface ServeBench {
  db: string;
  messages: number;
  startMs: number;
  /** Cold: the first request of each thread (rendered); warm: the repeats (the server's page cache). */
  threadPages: {
    target: number;
    messages: number[];
    coldMs: number[];
    warmP50: number;
    warmP95: number;
    bytes: number;
  }[];
  search: { queries: number; p50: number; p95: number; max: number };
  memory: { hwmMiB: number; rssMiB: number };
}

/** Run the benchmark against the archive at `file`. */
export async function benchServe(file: string, rounds = 10, decisions = true): Promise<ServeBench> {
  const db = openDb(file, { readonly: true });
  const t0 = performance.now();
  const s = await serveDb(db, decisions ? {} : { decisionsDir: null });
  const home = await fetch(s.url);
  await home.arrayBuffer();
  const startMs = performance.now() - t0;
  const timed = async (path: string): Promise<{ ms: number; bytes: number }> => {
    const t = performance.now();
    const r = await fetch(s.url + path);
    const b = await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    return { ms: performance.now() - t, bytes: b.byteLength };
  };
  try {
    const threads = new SiteData(db).threads();
    const threadPages: ServeBench['threadPages'] = [];
    for (const target of [1, 50, 500]) {
      // The thread nearest the size (three of them, so one odd thread does not decide).
      const near = [...threads]
        .sort((a, b) => Math.abs(a.messageCount - target) - Math.abs(b.messageCount - target) || a.id - b.id)
        .slice(0, 3);
      const warm: number[] = [];
      const coldMs: number[] = [];
      let bytes = 0;
      for (const t of near) {
        const cold = await timed(urls.thread(t.rootMessageId));
        coldMs.push(Math.round(cold.ms));
        bytes = Math.max(bytes, cold.bytes);
        for (let r = 0; r < rounds; r++) warm.push((await timed(urls.thread(t.rootMessageId))).ms);
      }
      threadPages.push({
        target,
        messages: near.map((t) => t.messageCount),
        coldMs,
        warmP50: Math.round(quantile(warm, 0.5) * 10) / 10,
        warmP95: Math.round(quantile(warm, 0.95) * 10) / 10,
        bytes,
      });
    }
    const queries = readFileSync(join(import.meta.dirname, '..', 'data', 'eval', 'queries.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split('\t')[2]!);
    const ask = (q: string): Promise<{ ms: number; bytes: number }> =>
      timed(`api/search?q=${encodeURIComponent(q)}&limit=20`);
    for (const q of queries) await ask(q);
    const st: number[] = [];
    for (let r = 0; r < rounds; r++) for (const q of queries) st.push((await ask(q)).ms);
    return {
      db: file,
      messages: new SiteData(db).messageCount(),
      startMs: Math.round(startMs),
      threadPages,
      search: {
        queries: queries.length,
        p50: Math.round(quantile(st, 0.5) * 10) / 10,
        p95: Math.round(quantile(st, 0.95) * 10) / 10,
        max: Math.round(Math.max(...st)),
      },
      memory: memory(),
    };
  } finally {
    await s.close();
    db.close();
  }
}

if (process.argv[1]?.endsWith('serve.ts')) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!file) {
    console.error('usage: node --import tsx bench/serve.ts DB [--rounds N] [--no-decisions] [--json]');
    process.exit(2);
  }
  const ri = args.indexOf('--rounds');
  const r = await benchServe(file, ri >= 0 ? Number(args[ri + 1]) : 10, !args.includes('--no-decisions'));
  if (args.includes('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    console.log(`${r.db}: ${r.messages} messages; server up and home page in ${r.startMs} ms`);
    for (const t of r.threadPages)
      console.log(
        `thread pages ~${t.target} (${t.messages.join(', ')} messages, up to ${Math.round(t.bytes / 1024)} KB): cold ${t.coldMs.join(', ')} ms; warm p50 ${t.warmP50} ms, p95 ${t.warmP95} ms`,
      );
    console.log(
      `search (${r.search.queries} judged queries): p50 ${r.search.p50} ms, p95 ${r.search.p95} ms, max ${r.search.max} ms`,
    );
    console.log(`server memory: peak ${r.memory.hwmMiB} MiB, now ${r.memory.rssMiB} MiB`);
  }
}
