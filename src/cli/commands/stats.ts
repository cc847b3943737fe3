/** `argmap stats`: what the archive holds. */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { openDb } from '../../store/db.ts';
import { placementsBelow } from '../../store/placement.ts';
import { archiveStats, ingestProblems } from '../../store/archive-stats.ts';

/** The problems code of an inferred parent link below LOW_CONFIDENCE. */
const GUESSED_PARENT = 'guessed-parent';

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
      const code = str(args, 'code');
      const list = ingestProblems(db, { skippedOnly: flag(args, 'skipped'), code });
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
