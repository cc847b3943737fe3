/** Running the argmap CLI in-process, capturing what it prints (tests of commands). */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/command.ts';
import { tempDir } from './archive.ts';

/** Run `argmap ARGV…` as if from `cwd`; returns the exit code and everything printed. */
export async function runCli(
  argv: string[],
  cwd = process.cwd(),
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t), isTTY: false, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

/**
 * An archive file that `argmap ingest` builds from `sources` before the file's tests and that is
 * removed after them, for tests of commands that read an archive. `file()` is its path once the
 * `before` hook ran.
 */
export function cliArchive(...sources: string[]): { file: () => string } {
  let t: { dir: string; cleanup: () => void } | null = null;
  let f = '';
  before(async () => {
    t = tempDir();
    f = join(t.dir, 'g.sqlite');
    const r = await runCli(['ingest', '--db', f, ...sources]);
    assert.equal(r.code, 0, r.err);
  });
  after(() => t?.cleanup());
  return { file: () => f };
}
