/**
 * The `argmap` command-line entry point: dispatches `argv[0]` to a subcommand module.
 * Each subcommand lives in its own file under src/cli/commands/ and is listed in ./registry.ts.
 */
import { parseArgs } from 'node:util';
import type { Command, Io, ParsedArgs } from './command.ts';
import { commonOptions } from './command.ts';
import { UserError } from '../util/errors.ts';
import { commandHelp, overallHelp } from './help.ts';
import { commands } from './registry.ts';

export function defaultIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

function parseFor(cmd: Command, argv: string[]): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries({ ...cmd.options, ...commonOptions }).map(([k, v]) => {
      const { help: _h, arg: _a, ...rest } = v;
      return [k, rest];
    }),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new UserError((e as Error).message, `see: argmap ${cmd.name} --help`);
  }
}

/** Run the CLI with the given arguments; resolves to the process exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? rest[0] : undefined;
    const cmd = target ? commands.find((c) => c.name === target) : undefined;
    io.out(cmd ? commandHelp(cmd) : overallHelp(commands));
    return 0;
  }
  if (name === '--version') {
    io.out('argmap 0.1.0\n');
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`argmap: unknown command ${JSON.stringify(name)}\n\n${overallHelp(commands)}`);
    return 2;
  }
  try {
    const args = parseFor(cmd, rest);
    if (args.values.help === true) {
      io.out(commandHelp(cmd));
      return 0;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`argmap ${cmd.name}: ${e.message}\n`);
      if (e.hint) io.err(`  ${e.hint}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
