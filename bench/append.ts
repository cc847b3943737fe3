/**
 * What appending a day's mail to a big archive costs (issue 14 item 5, docs/benchmarks.md,
 * "Appending new mail"):
 *
 *   node --import tsx bench/append.ts --work DIR [--last N] [--base DB] [--profile FILE] ARCHIVE.mbox.gz…
 *
 * The archive's last N messages (default 100, the newest file's tail, which is about a day and a
 * half of the cgroups list) are held out; everything before them is ingested into DIR/base.sqlite
 * (untimed; `--base DB` reuses one made before). The base is copied, and the held-out messages are
 * ingested into the copy as `argmap ingest` does it (threading, graph, search index): that is the
 * figure. Then, on the grown archive, a server (`argmap serve --db`) renders a thread page of the
 * new mail and its search finds a new message — the pages and search are updated with no build.
 */
import { copyFileSync, createReadStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Session } from 'node:inspector';
import { createGunzip } from 'node:zlib';
import { readMbox, writeMboxrdMessage } from '../src/mail/mbox.ts';
import { getMeta, openDb } from '../src/store/db.ts';
import { buildGraph } from '../src/graph/build.ts';
import { placeMessages } from '../src/thread/place.ts';
import { rethread } from '../src/thread/threader.ts';
import { recipientsMissing } from '../src/ingest/recipients.ts';
import { recordObjections } from '../src/decisions/graph-input.ts';
import { ingest } from '../src/ingest/pipeline.ts';
import { postIngestSteps } from '../src/ingest/post.ts';
import { serveDb } from '../src/site/serve-db.ts';
import { urls } from '../src/site/urls.ts';
import { SiteData } from '../src/store/site-data.ts';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const work = resolve(opt('--work') ?? '/tmp/append');
const last = Number(opt('--last') ?? 100);
const baseGiven = opt('--base');
const json = args.includes('--json');
const profileTo = opt('--profile');
const post = (s: Session, method: string): Promise<unknown> =>
  new Promise((res, rej) => s.post(method, (err, r) => (err ? rej(err) : res(r))));
const sources = args.filter((a) => !a.startsWith('--')).map((a) => resolve(a));
if (!sources.length) {
  console.error(
    'usage: node --import tsx bench/append.ts --work DIR [--last N] [--base DB] [--profile FILE] ARCHIVE.mbox.gz…',
  );
  process.exit(2);
}
mkdirSync(work, { recursive: true });

/** Every message of the sources, in order, as mboxrd bytes. */
async function* messages(): AsyncGenerator<Buffer> {
  for (const f of sources) {
    const input = f.endsWith('.gz') ? createReadStream(f).pipe(createGunzip()) : createReadStream(f);
    for await (const item of readMbox(input as AsyncIterable<Buffer>))
      if (item.kind === 'message') yield writeMboxrdMessage(item.raw, item.envelope);
  }
}

// Split: all but the last N into base.mbox, the last N into day.mbox (two passes; bounded memory).
let total = 0;
for await (const _ of messages()) total++;
const basePath = join(work, 'base.mbox');
const dayPath = join(work, 'day.mbox');
{
  const base: Buffer[] = [];
  const day: Buffer[] = [];
  let i = 0;
  rmSync(basePath, { force: true });
  for await (const m of messages()) {
    (i++ < total - last ? base : day).push(m);
    if (base.length >= 2000) writeFileSync(basePath, Buffer.concat(base.splice(0)), { flag: 'a' });
  }
  writeFileSync(basePath, Buffer.concat(base), { flag: 'a' });
  writeFileSync(dayPath, Buffer.concat(day));
}

const run = (file: string, paths: string[]) => {
  const db = openDb(file);
  return ingest(db, { paths, cwd: process.cwd(), afterIngest: postIngestSteps() }).finally(() => db.close());
};

let baseDb = baseGiven ? resolve(baseGiven) : join(work, 'base.sqlite');
if (!baseGiven || !existsSync(baseDb)) {
  baseDb = join(work, 'base.sqlite');
  for (const s of ['', '-wal', '-shm']) rmSync(baseDb + s, { force: true });
  console.error(`base: ingesting ${total - last} messages (untimed)…`);
  await run(baseDb, [basePath]);
}
const grown = join(work, 'grown.sqlite');
for (const s of ['', '-wal', '-shm']) rmSync(grown + s, { force: true });
copyFileSync(baseDb, grown);
// A base made by an argmap before the patch-feature cache (schema 9) fills it on its first append;
// that one-time cost is not a day's append, so it is paid here, untimed, and reported.
let warmUpSeconds = 0;
{
  const db = openDb(grown);
  const empty = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM patch_features)').pluck().get() === 1;
  // likewise what placement looked up (schema 11) and the records' verdicts of the last build
  const older =
    getMeta(db, 'placement_lookups') !== '1' ||
    getMeta(db, 'graph_verdicts') === null ||
    getMeta(db, 'recipients_complete') === null;
  if (older) {
    const w0 = performance.now();
    recipientsMissing(db);
    placeMessages(db);
    rethread(db);
    buildGraph(db, { added: [], records: recordObjections() });
    warmUpSeconds += (performance.now() - w0) / 1000;
    console.error(
      `placed an older base again and stored its verdicts in ${((performance.now() - w0) / 1000).toFixed(1)} s (untimed)`,
    );
  }
  if (empty) {
    const w0 = performance.now();
    buildGraph(db, { added: [], records: recordObjections() });
    warmUpSeconds += (performance.now() - w0) / 1000;
    console.error(
      `filled the patch-feature cache of an older base in ${warmUpSeconds.toFixed(1)} s (untimed)`,
    );
  }
  db.close();
}

// --profile FILE: a CPU profile of the timed append alone (open it in Chrome's DevTools)
const session = profileTo ? new Session() : null;
if (session) {
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.start');
}
const t0 = performance.now();
const summary = await run(grown, [dayPath]);
const seconds = (performance.now() - t0) / 1000;
if (session && profileTo) {
  const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
  writeFileSync(profileTo, JSON.stringify(profile));
  session.disconnect();
}

// what the graph step did: the threads it rebuilt and the scope of its archive-wide passes
const graphBuild = (() => {
  const db = openDb(grown, { readonly: true });
  const g = JSON.parse(getMeta(db, 'graph_last_build') ?? '{}') as {
    threads?: number;
    scope?: { threads: number; series: number };
    ms?: Record<string, number>;
  };
  db.close();
  return { threads: g.threads, scope: g.scope ?? null, ms: g.ms };
})();

// The new mail is served at once: a thread page of it and a search that finds it.
const db = openDb(grown, { readonly: true });
const server = await serveDb(db, { decisionsDir: null });
const data = new SiteData(db);
const newest = [...data.threads()].sort((a, b) => ((a.lastDate ?? '') < (b.lastDate ?? '') ? 1 : -1))[0]!;
const t1 = performance.now();
const page = await fetch(server.url + urls.thread(newest.rootMessageId));
await page.arrayBuffer();
const pageMs = performance.now() - t1;
const subject = (newest.subject ?? '').replace(/^(re:\s*|\[[^\]]*\]\s*)+/gi, '');
const words = subject
  .split(/\s+/)
  .filter((w) => /^[a-z]{4,}$/i.test(w))
  .slice(0, 3);
const found = (await (
  await fetch(
    `${server.url}api/search?q=${encodeURIComponent(`${words.join(' ')} d:${(newest.lastDate ?? '').slice(0, 10)}..`)}`,
  )
).json()) as { total: number };
await server.close();
db.close();

const result = {
  archive: total,
  appended: last,
  added: summary.added,
  seconds: Math.round(seconds * 100) / 100,
  steps: summary.steps,
  graph: graphBuild,
  warmUpSeconds: Math.round(warmUpSeconds * 100) / 100,
  readSeconds: summary.readSeconds,
  newestThread: {
    subject: newest.subject,
    messages: newest.messageCount,
    pageStatus: page.status,
    pageMs: Math.round(pageMs),
  },
  searchFindsIt: { query: words.join(' '), total: found.total },
};
if (json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `appended ${result.added} of ${last} messages to an archive of ${total - last} in ${result.seconds} s`,
  );
  console.log(`  read ${summary.readSeconds.toFixed(2)} s; steps ${JSON.stringify(summary.steps)}`);
  console.log(
    `  newest thread "${newest.subject}" (${newest.messageCount} messages): page ${page.status} in ${Math.round(pageMs)} ms`,
  );
  console.log(`  search "${words.join(' ')}" since its date: ${found.total} hits`);
}
