/**
 * FTS5 search latency in process, as `argmap serve --db` runs it (facets loaded once):
 *
 *   npm run bench:search-latency -- DB [--rounds N] [--json]
 *
 * Every judged query of data/eval/queries.tsv through `searchFts` (limit 20, the decision
 * records), one warm-up pass, then `rounds` passes (default 5). Prints p50/p95/max of all timed
 * runs and the slowest queries by their median. DB is an archive ingested by this version (its
 * search index current).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { latencies, ms, quantile } from './measure.ts';
import { openDb } from '../src/store/db.ts';
import { parseQuery } from '../src/search/query.ts';
import { searchFts } from '../src/search/fts.ts';
import { FacetQuery } from '../src/search/facets.ts';
import { readRecords } from '../src/decisions/record.ts';
import { defaultDecisionsDir } from '../src/decisions/check.ts';
import { tsvRows } from '../src/util/tsv.ts';

const ROOT = resolve(import.meta.dirname, '..');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length !== 1) {
  console.log('usage: npm run bench:search-latency -- DB [--rounds N] [--json]');
  process.exit(values.help ? 0 : 2);
}
const rounds = Number(values.rounds ?? 5);
const db = openDb(positionals[0]!, { readonly: true });
const dir = defaultDecisionsDir(ROOT);
const records = dir ? readRecords(dir) : [];
const facets = new FacetQuery(db, records, {});
const queries = tsvRows(join(ROOT, 'data', 'eval', 'queries.tsv')).map(([qid, , query]) => ({
  qid: qid!,
  query: query!,
}));
const run = (q: string): number => {
  const t0 = performance.now();
  searchFts(db, parseQuery(q), { limit: 20, records, facets });
  return performance.now() - t0;
};
for (const q of queries) run(q.query);
const all: number[] = [];
const perQuery = queries.map((q) => {
  const t = Array.from({ length: rounds }, () => run(q.query));
  all.push(...t);
  return { qid: q.qid, query: q.query, medianMs: ms(quantile(t, 0.5)) };
});
const result = {
  queries: queries.length,
  rounds,
  ...latencies(all),
  slowest: perQuery.sort((a, b) => b.medianMs - a.medianMs).slice(0, 5),
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `${queries.length} queries × ${rounds}: p50 ${result.p50} ms, p95 ${result.p95} ms, max ${result.max} ms`,
  );
  for (const s of result.slowest) console.log(`  ${String(s.medianMs).padStart(7)} ms  ${s.query}`);
}
db.close();
