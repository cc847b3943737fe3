/** `argmap check`: verify every citation of every decision record against the archive. */
import { relative, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { checkRecords } from '../../decisions/check.ts';
import { PROJECT_ROOT } from '../../site/bundle.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'verify every citation and excerpt of the decision records against the archive',
  usage: 'check [--db FILE] [--decisions DIR]',
  description: 'Each failure is reported as FILE:LINE: reason. Exit status 1 when anything fails.',
  examples: [
    ['argmap check', 'check data/decisions against argmap.sqlite'],
    ['argmap check --decisions drafts/ --json', 'check drafts, machine-readable'],
  ],
  options: {
    ...dbOption,
    decisions: {
      type: 'string',
      arg: 'DIR',
      help: 'directory of decision records (default: data/decisions)',
    },
  },
  async run(args, io) {
    const dir = resolve(io.cwd, str(args, 'decisions') ?? resolve(PROJECT_ROOT, 'data', 'decisions'));
    const db = openDb(resolve(io.cwd, str(args, 'db', DEFAULT_DB)), { readonly: true });
    try {
      let r;
      try {
        r = checkRecords(db, dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
          throw new UserError(`no decisions directory ${dir}`);
        throw e;
      }
      const rel = (f: string): string => relative(io.cwd, f) || f;
      if (flag(args, 'json')) {
        io.out(
          JSON.stringify(
            {
              ok: r.problems.length === 0,
              counts: r.counts,
              problems: r.problems.map((p) => ({ ...p, file: rel(p.file) })),
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        for (const p of r.problems) io.out(`${rel(p.file)}:${p.line}: ${p.reason}\n`);
        const c = r.counts;
        io.out(
          `${r.problems.length ? `${r.problems.length} problems` : 'ok'}: ${c.records} records, ${c.citations} citations, ${c.excerpts} excerpts, ${c.objections} objections checked\n`,
        );
      }
      return r.problems.length ? 1 : 0;
    } finally {
      db.close();
    }
  },
};
