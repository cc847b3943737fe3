/**
 * Search quality on the judged query set (data/eval/, judged before any ranking change; see
 * data/eval/QUERIES.md): runs each query through `argmap search --json` in-process, as a user
 * would, and scores the ranking against the grades.
 *
 *   npm run bench:search-quality -- --db FILE [--split tune|test|all] [--site] [--json]
 *
 * With --site, the static site's search instead: the site's search data is built in memory from
 * FILE (the build's own code, decision records included, pages other than search/ not made) and
 * each query runs through the browser's SearchEngine, top results in its order, decision records
 * first as the search page shows them.
 *
 * FILE must hold the whole shared archive (the judgements are over all 36k messages):
 *   node bin/argmap.js ingest --db /tmp/full/a.sqlite ../shared/archive
 *
 * Metrics, per split: P@5 (share of the top 5 graded 2, the "a reviewer wants this" grade; and
 * graded >= 1), nDCG@10 (gain = grade; the ideal ranking from every judged document of the query)
 * and judged@10 (share of the top 10 that were judged at all: unjudged documents count as not
 * relevant, so a low judged@10 means the figures are a lower bound).
 *
 * The tune split is for choosing ranking changes; the test split is reported next to it and must
 * never drive a choice.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../src/cli/main.ts';
import type { Io } from '../src/cli/command.ts';
import { tsvRows } from '../src/util/tsv.ts';

const ROOT = resolve(import.meta.dirname, '..');
const EVAL = join(ROOT, 'data', 'eval');

interface Query {
  qid: string;
  split: 'tune' | 'test';
  query: string;
}

/** Grades by query, then by document (a Message-ID, or `decision:<slug>`). */
function judgements(): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [qid, doc, grade] of tsvRows(join(EVAL, 'judgements.tsv'))) {
    const m = out.get(qid!) ?? out.set(qid!, new Map()).get(qid!)!;
    m.set(doc!, Number(grade));
  }
  return out;
}

async function search(db: string, query: string, limit: number): Promise<string[]> {
  let out = '';
  const io: Io = { out: (t) => (out += t), err: () => {}, isTTY: false, cwd: ROOT };
  const code = await main(['search', '--db', db, '--json', '--limit', String(limit), query], io);
  if (code !== 0 && !out) return [];
  // Decision records lead the list, as `argmap search` prints them.
  const r = JSON.parse(out) as { records?: { decision: string }[]; results: { messageId: string }[] };
  return [...(r.records ?? []).map((x) => `decision:${x.decision}`), ...r.results.map((x) => x.messageId)];
}

type Ranker = (query: string, limit: number) => Promise<string[]>;

/** The static site's search over FILE, as the search page runs it. */
async function siteRanker(db: string): Promise<Ranker> {
  const { openDb } = await import('../src/store/db.ts');
  const { generateSite } = await import('../src/site/build.ts');
  const { SearchEngine } = await import('../src/search/engine.ts');
  const { parseQuery } = await import('../src/search/query.ts');
  const d = openDb(db, { readonly: true });
  const files = new Map<string, string>();
  for await (const page of generateSite(d, { minify: false })) {
    if (page.path.startsWith('search/')) files.set(page.path, String(page.content));
    if (page.path === 'search/manifest.js') break;
  }
  d.close();
  const data = (file: string): unknown => {
    const window: { ARGMAP_DATA?: [string, number, unknown][] } = {};
    new Function('window', files.get(`search/${file}`)!)(window);
    return window.ARGMAP_DATA![0]![2];
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest's shape differs between versions compared
  const manifest = data('manifest.js') as any;
  const engine = new SearchEngine(manifest, {
    shard: (i) => Promise.resolve(data(manifest.shards[i].file) as never),
    chunk: (i) => Promise.resolve(data(manifest.chunks[i]) as never),
    positions: (i) => Promise.resolve(data(manifest.shards[i].positions) as never),
  });
  return async (query, limit) => {
    const parsed = parseQuery(query);
    const r = await engine.search(parsed, { limit });
    const docs = await engine.docs(r.hits.slice(0, limit).map((h) => h.ref));
    // Decision records lead the list, as the search page shows them (older manifests have none).
    const records = typeof engine.records === 'function' ? engine.records(parsed) : [];
    return [...records.map((x) => `decision:${x.slug}`), ...docs.map((x) => x[7])];
  };
}

const dcg = (gains: number[]): number => gains.reduce((a, g, i) => a + (2 ** g - 1) / Math.log2(i + 2), 0);

interface Scores {
  p5: number;
  p5any: number;
  ndcg10: number;
  judged10: number;
}

function score(ranked: string[], grades: Map<string, number>): Scores {
  const top5 = ranked.slice(0, 5);
  const top10 = ranked.slice(0, 10);
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, 10);
  const idcg = dcg(ideal);
  return {
    p5: top5.filter((d) => grades.get(d) === 2).length / 5,
    p5any: top5.filter((d) => (grades.get(d) ?? 0) >= 1).length / 5,
    ndcg10: idcg ? dcg(top10.map((d) => grades.get(d) ?? 0)) / idcg : 0,
    judged10: top10.length ? top10.filter((d) => grades.has(d)).length / top10.length : 0,
  };
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      split: { type: 'string', default: 'all' },
      json: { type: 'boolean' },
      site: { type: 'boolean' },
    },
  });
  if (!values.db)
    throw new Error('usage: npm run bench:search-quality -- --db FILE [--split tune|test|all] [--json]');
  const db = resolve(values.db);
  const queries: Query[] = tsvRows(join(EVAL, 'queries.tsv')).map(([qid, split, query]) => ({
    qid: qid!,
    split: split as Query['split'],
    query: query!,
  }));
  const grades = judgements();
  const ranker: Ranker = values.site ? await siteRanker(db) : (query, limit) => search(db, query, limit);
  const per: (Query & Scores & { top5: string[] })[] = [];
  for (const q of queries) {
    if (values.split !== 'all' && q.split !== values.split) continue;
    const ranked = await ranker(q.query, 10);
    per.push({ ...q, ...score(ranked, grades.get(q.qid) ?? new Map()), top5: ranked.slice(0, 5) });
  }
  const splits = ['tune', 'test'].map((s) => {
    const rows = per.filter((r) => r.split === s);
    return {
      split: s,
      queries: rows.length,
      p5: mean(rows.map((r) => r.p5)),
      p5any: mean(rows.map((r) => r.p5any)),
      ndcg10: mean(rows.map((r) => r.ndcg10)),
      judged10: mean(rows.map((r) => r.judged10)),
    };
  });
  if (values.json) {
    process.stdout.write(JSON.stringify({ db, splits, queries: per }, null, 2) + '\n');
    return;
  }
  const f = (x: number): string => x.toFixed(3).padStart(7);
  console.log('qid   split  P@5(2)  P@5(>=1) nDCG@10 judged@10  query');
  for (const r of per)
    console.log(
      `${r.qid}   ${r.split.padEnd(5)}${f(r.p5)}${f(r.p5any)}  ${f(r.ndcg10)}${f(r.judged10)}   ${r.query}`,
    );
  console.log('\nsplit  queries  P@5(2)  P@5(>=1) nDCG@10 judged@10');
  for (const s of splits)
    if (s.queries)
      console.log(
        `${s.split.padEnd(7)}${String(s.queries).padStart(6)}  ${f(s.p5)}${f(s.p5any)}  ${f(s.ndcg10)}${f(s.judged10)}`,
      );
}

await run();
