/** `argmap search`: search the archive from the command line (SQLite FTS5), with the site's syntax. */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, int, probability, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { parseQuery } from '../../search/query.ts';
import { hitSnippet, searchFts, searchIndexReady } from '../../search/fts.ts';
import { markTerms } from '../../search/engine.ts';
import { readRecords } from '../../decisions/record.ts';
import { defaultDecisionsDir } from '../../decisions/check.ts';
import { PROJECT_ROOT } from '../../site/bundle.ts';
import { urls } from '../../site/urls.ts';

export const searchCommand: Command = {
  name: 'search',
  summary: 'search what people wrote (own text, not quotes or diffs), with the site search syntax',
  usage: 'search [--db FILE] [--limit N] [--threads] [--json] QUERY…',
  description: [
    'Words must all match (AND); OR, -word, NOT word, "a phrase" and prefix* work as on lore.',
    'Fields: f: (author), s: (subject), b: (own text), d:2022-03..2022-06 (date),',
    'type:objection, status:open, topic:memory.high, stance:objects-to (argument facets).',
    'Stop words ("why", "was", "not") are optional, so questions work; b:why requires one.',
    'Decision records that answer a plain-word query come first; when few messages hold every',
    'word of three or more, messages missing one follow, marked. Ranking weighs down replies that',
    'only inherit the subject, short acks and empty replies.',
  ].join('\n'),
  examples: [
    ['argmap search zswap', 'messages whose authors wrote about zswap'],
    ['argmap search f:hocko d:2020-09..2020-10 memory.high', 'by author and month'],
    ['argmap search type:objection status:open', 'objections that were never settled'],
    [
      'argmap search type:objection --min-confidence 0.8 zswap',
      'only objections the stance model is sure of',
    ],
    ['argmap search --threads memory.reclaim', 'one line per thread: its best match and how many matched'],
    ['argmap search --json "proactive reclaim" | jq .results[0]', 'machine-readable'],
    ['argmap search why was memory.reclaim merged', 'a question: the decision record leads'],
  ],
  options: {
    ...dbOption,
    limit: { type: 'string', arg: 'N', help: 'results to show (default 20)' },
    threads: { type: 'boolean', help: "one result per thread (its best match), as the site's threads view" },
    'min-confidence': {
      type: 'string',
      arg: 'P',
      help: 'type:/stance: facets count only claims whose stance is at least P sure (0-1; decision records always count)',
    },
  },
  allowPositionals: true,
  async run(args, io) {
    const query = args.positionals.join(' ').trim();
    if (!query) throw new UserError('no query given', 'example: argmap search zswap f:shakeel');
    const limit = int(args, 'limit', 20, 1, 10_000);
    const minConfidence = probability(args, 'min-confidence');
    const db = openDb(resolve(io.cwd, str(args, 'db', DEFAULT_DB)), { readonly: true });
    try {
      if (!searchIndexReady(db))
        throw new UserError(
          'this archive has no search index yet',
          `run: argmap ingest --db ${str(args, 'db', DEFAULT_DB)} (it builds the index)`,
        );
      const dir = defaultDecisionsDir(PROJECT_ROOT);
      const records = dir ? readRecords(dir) : [];
      const q = parseQuery(query);
      const byThread = flag(args, 'threads');
      const r = searchFts(db, q, { limit, records, byThread, minConfidence });
      const marks = markTerms(q);
      const results = r.hits.map((h) => ({
        messageId: h.messageId,
        date: h.date,
        from: h.from,
        subject: h.subject,
        thread: h.threadSubject,
        threadRoot: h.threadRoot,
        url: h.threadRoot ? urls.inThread(h.threadRoot, h.messageId) : urls.message(h.messageId),
        score: Number(h.score.toFixed(4)),
        ...(byThread ? { threadHits: h.threadHits ?? 1 } : {}),
        ...(h.partial ? { partial: true } : {}),
        snippet: hitSnippet(h.body ?? '', marks)
          .map((p) => (p.mark ? `[${p.text}]` : p.text))
          .join(''),
      }));
      const recordHits = r.records.map((x) => ({
        decision: x.slug,
        title: x.title,
        status: x.status,
        summary: x.summary,
        url: urls.decision(x.slug),
      }));
      if (flag(args, 'json')) {
        io.out(
          JSON.stringify(
            {
              query,
              parsed: { clauses: q.clauses, date: q.date ?? null },
              total: r.total,
              ...(byThread ? { threads: r.threads ?? 0 } : {}),
              errors: r.errors,
              records: recordHits,
              results,
            },
            null,
            2,
          ) + '\n',
        );
        return 0;
      }
      for (const e of r.errors) io.err(`argmap search: ${e}\n`);
      if (!results.length && !recordHits.length) {
        io.out('no matches\n');
        return 1;
      }
      for (const x of recordHits) {
        io.out(`decision record (${x.status}): ${x.title}\n    ${x.summary}\n    ${x.url}\n`);
      }
      let partialShown = false;
      for (const x of results) {
        if (x.partial && !partialShown) {
          io.out('-- messages that miss one of the words:\n');
          partialShown = true;
        }
        if (byThread) {
          const n = x.threadHits ?? 1;
          io.out(`${x.thread ?? x.subject ?? '(no subject)'}  (${n} ${n === 1 ? 'match' : 'matches'})\n`);
          io.out(`    best: ${(x.date ?? 'undated').slice(0, 10)}  ${x.from}\n`);
        } else io.out(`${(x.date ?? 'undated').slice(0, 10)}  ${x.from}  ${x.subject ?? '(no subject)'}\n`);
        io.out(`    ${x.snippet}\n    <${x.messageId}>\n`);
      }
      const shownOf = byThread ? (r.threads ?? 0) : r.total;
      const partial = results.filter((x) => x.partial).length;
      io.out(
        `${r.total.toLocaleString('en-US')} ${r.total === 1 ? 'match' : 'matches'}` +
          (partial ? ` of every word, ${partial} shown that miss one` : '') +
          (byThread ? ` in ${shownOf.toLocaleString('en-US')} ${shownOf === 1 ? 'thread' : 'threads'}` : '') +
          `${shownOf > results.length ? `, showing ${results.length} (--limit)` : ''}\n`,
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
