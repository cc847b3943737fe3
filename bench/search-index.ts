/**
 * What the search index's columns cost and how fast operator queries run, on an archive built by
 * `argmap ingest` (docs/benchmarks.md, "Search index size: lore's operators").
 *
 *   node --import tsx bench/search-index.ts DB [QUERY…]
 *
 * Sizes: each column's text (own text, quoted text, the four diff parts, To, Cc), computed from
 * the archive as the index step computes it, indexed alone into an in-memory FTS5 table with the
 * index's tokenizer and optimized, measured with `dbstat`. Times: `searchFts` in process (limit
 * 20), five runs per query, median, fastest and slowest (the first is the cold one).
 */
import Database from 'better-sqlite3';
import { openDb } from '../src/store/db.ts';
import { bodyParts } from '../src/mail/parts.ts';
import { ownText } from '../src/mail/owntext.ts';
import { FTS_TEXT_CAP, searchFts } from '../src/search/fts.ts';
import { parseQuery } from '../src/search/query.ts';

const [file, ...queries] = process.argv.slice(2);
if (!file) {
  console.error('usage: node --import tsx bench/search-index.ts DB [QUERY…]');
  process.exit(2);
}
const src = new Database(file, { readonly: true });
const rows = src
  .prepare('SELECT body, to_addrs AS "to", cc_addrs AS cc FROM messages WHERE is_ghost = 0')
  .all() as { body: string | null; to: string | null; cc: string | null }[];
src.close();
const texts: Record<string, string[]> = {
  body: [],
  quoted: [],
  dfn: [],
  dfa: [],
  dfb: [],
  dfhh: [],
  rcpt_to: [],
  rcpt_cc: [],
};
for (const r of rows) {
  const p = bodyParts(r.body ?? '');
  texts.body!.push(ownText(r.body ?? '', FTS_TEXT_CAP));
  texts.quoted!.push(p.quoted);
  texts.dfn!.push(p.files);
  texts.dfa!.push(p.removed);
  texts.dfb!.push(p.added);
  texts.dfhh!.push(p.hunks);
  texts.rcpt_to!.push(r.to ?? '');
  texts.rcpt_cc!.push(r.cc ?? '');
}
console.log(`${rows.length} messages`);
console.log('column\tcharacters\tindex bytes');
for (const [name, list] of Object.entries(texts)) {
  const d = new Database(':memory:');
  d.exec(
    "CREATE VIRTUAL TABLE t USING fts5(x, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')",
  );
  const ins = d.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
  let chars = 0;
  d.transaction(() => {
    list.forEach((s, i) => {
      chars += s.length;
      ins.run(i + 1, s);
    });
  })();
  d.exec("INSERT INTO t(t) VALUES('optimize')");
  const size = d.prepare("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 't_%'").pluck().get() as number;
  console.log(`${name}\t${chars}\t${size}`);
  d.close();
}
const db = openDb(file);
for (const q of queries) {
  const t: number[] = [];
  let total = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    total = searchFts(db, parseQuery(q), { limit: 20 }).total;
    t.push(performance.now() - t0);
  }
  const first = t[0]!;
  t.sort((a, b) => a - b);
  console.log(
    `${q}\t${total} matches\tmedian ${t[2]!.toFixed(1)} ms, fastest ${t[0]!.toFixed(1)}, first ${first.toFixed(1)}`,
  );
}
db.close();
