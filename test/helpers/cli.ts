/** Running the argmap CLI in-process, capturing what it prints (tests of commands). */
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/command.ts';

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
