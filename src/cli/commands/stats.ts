/** `argmap stats`: what the archive holds. */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { openDb, type Db } from '../../store/db.ts';
import { placementsBelow } from '../../store/placement.ts';

/** The problems code of an inferred parent link below LOW_CONFIDENCE. */
const GUESSED_PARENT = 'guessed-parent';

export interface ArchiveStats {
  messages: number;
  ghosts: number;
  threads: number;
  people: number;
  commits: number;
  documents: number;
  problems: { skipped: number; warnings: number };
  firstDate: string | null;
  lastDate: string | null;
  sources: { kind: string; location: string; status: string; messages: number }[];
  largestThreads: { id: number; subject: string; messages: number }[];
}

export function archiveStats(db: Db): ArchiveStats {
  const one = (sql: string): number => (db.prepare(sql).get() as { c: number }).c;
  const span = db.prepare('SELECT MIN(date) AS a, MAX(date) AS b FROM messages WHERE is_ghost = 0').get() as {
    a: string | null;
    b: string | null;
  };
  return {
    messages: one('SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0'),
    ghosts: one('SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 1'),
    threads: one('SELECT COUNT(*) AS c FROM threads'),
    people: one('SELECT COUNT(*) AS c FROM people'),
    commits: one('SELECT COUNT(*) AS c FROM commits'),
    documents: one('SELECT COUNT(*) AS c FROM documents'),
    problems: {
      skipped: one("SELECT COUNT(*) AS c FROM ingest_problems WHERE severity = 'skipped'"),
      warnings: one("SELECT COUNT(*) AS c FROM ingest_problems WHERE severity = 'warning'"),
    },
    firstDate: span.a,
    lastDate: span.b,
    sources: db
      .prepare('SELECT kind, location, status, message_count AS messages FROM sources ORDER BY id')
      .all() as ArchiveStats['sources'],
    largestThreads: db
      .prepare(
        'SELECT id, subject, message_count AS messages FROM threads ORDER BY message_count DESC, id LIMIT 5',
      )
      .all() as ArchiveStats['largestThreads'],
  };
}

export const statsCommand: Command = {
  name: 'stats',
  summary: 'what the archive holds: messages, threads, people, commits, sources, problems',
  usage: 'stats [--db FILE]',
  examples: [
    ['argmap stats', 'summary of argmap.sqlite'],
    ['argmap stats --json | jq .sources', 'the ingested sources'],
  ],
  options: { ...dbOption },
  async run(args, io) {
    const db = openDb(resolve(io.cwd, str(args, 'db', DEFAULT_DB)), { readonly: true });
    try {
      const s = archiveStats(db);
      if (flag(args, 'json')) {
        io.out(JSON.stringify(s, null, 2) + '\n');
        return 0;
      }
      const n = (x: number): string => x.toLocaleString('en-US');
      io.out(
        `${n(s.messages)} messages (${n(s.ghosts)} referenced but missing) in ${n(s.threads)} threads, ${s.firstDate?.slice(0, 10) ?? '?'} to ${s.lastDate?.slice(0, 10) ?? '?'}\n`,
      );
      io.out(
        `${n(s.people)} people, ${n(s.commits)} commits, ${n(s.documents)} documents, ${n(s.sources.length)} sources\n`,
      );
      io.out(
        `problems: ${n(s.problems.skipped)} skipped, ${n(s.problems.warnings)} warnings (argmap problems)\n`,
      );
      io.out('largest threads:\n');
      for (const t of s.largestThreads)
        io.out(`  ${String(t.messages).padStart(5)}  ${t.subject ?? '(no subject)'}  [thread ${t.id}]\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};

export const problemsCommand: Command = {
  name: 'problems',
  summary: 'what could not be ingested, or was ingested with damage, with source and offset',
  usage: 'problems [--db FILE] [--skipped] [--code CODE]',
  examples: [
    ['argmap problems', 'every problem, newest first'],
    ['argmap problems --skipped', 'only messages that were not stored'],
    ['argmap problems --code unknown-charset --json', 'one kind, for scripts'],
    ['argmap problems --code guessed-parent', 'thread links inferred with low confidence (id-less pages)'],
  ],
  options: {
    ...dbOption,
    skipped: { type: 'boolean', help: 'only items that were not stored' },
    code: {
      type: 'string',
      arg: 'CODE',
      help: 'only this problem code (e.g. too-large, bad-date, reused-message-id, guessed-parent)',
    },
  },
  async run(args, io) {
    const db = openDb(resolve(io.cwd, str(args, 'db', DEFAULT_DB)), { readonly: true });
    try {
      const where: string[] = [];
      const params: string[] = [];
      if (flag(args, 'skipped')) where.push("p.severity = 'skipped'");
      const code = str(args, 'code');
      if (code) {
        where.push('p.code = ?');
        params.push(code);
      }
      const list = db
        .prepare(
          `SELECT p.severity, p.code, p.detail, s.location AS source, p.offset, m.message_id
           FROM ingest_problems p LEFT JOIN sources s ON s.id = p.source_id LEFT JOIN messages m ON m.id = p.message_id
           ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY p.id DESC`,
        )
        .all(...params) as {
        severity: string;
        code: string;
        detail: string;
        source: string | null;
        offset: number | null;
        message_id: string | null;
      }[];
      // Inferred parent links that are guesses: not damage to a message, but a reader should know
      // which links of the thread tree nobody's headers vouch for (docs/placement.md).
      if (!flag(args, 'skipped') && (!code || code === GUESSED_PARENT))
        for (const g of placementsBelow(db))
          list.push({
            severity: 'guess',
            code: GUESSED_PARENT,
            detail:
              `placed under ${g.parent ? `<${g.parent}>` : '(no parent: left a root)'} by ${g.method}, ` +
              `confidence ${g.confidence.toFixed(2)}, ${g.candidates} candidate${g.candidates === 1 ? '' : 's'}: ${g.evidence}`,
            source: g.source,
            offset: g.offset,
            message_id: g.messageId,
          });
      if (flag(args, 'json')) io.out(JSON.stringify(list, null, 2) + '\n');
      else if (!list.length) io.out('no problems recorded\n');
      else
        for (const p of list) {
          const at = p.source ? `${p.source}${p.offset !== null ? ` @${p.offset}` : ''}` : '';
          io.out(
            `${p.severity.padEnd(8)}${p.code.padEnd(20)}${at}${p.message_id ? ` <${p.message_id}>` : ''}\n         ${p.detail}\n`,
          );
        }
      return 0;
    } finally {
      db.close();
    }
  },
};
