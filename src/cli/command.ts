/**
 * The shape every `argmap` subcommand has: a name, help text with examples, its options in
 * `node:util` parseArgs form, and a run function. Commands print results to `io.out` (stdout) and
 * diagnostics to `io.err` (stderr); with `--json` they print exactly one JSON document on stdout.
 */
import type { ParseArgsConfig } from 'node:util';
import { UserError } from '../util/errors.ts';

/** Option definitions as `node:util` parseArgs takes them, plus a help line per option. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  /** One line for `--help`. */
  help: string;
  /** Placeholder shown in help, e.g. FILE. */
  arg?: string;
};

/** Where a command writes; tests pass in-memory writers. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is a terminal, so progress lines may be drawn. */
  isTTY: boolean;
  /** Working directory against which relative paths resolve. */
  cwd: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line(s) without the leading `argmap`. */
  usage: string;
  /** Longer description shown by `argmap help NAME`. */
  description?: string;
  /** Examples shown by `--help`: [command line, what it does]. */
  examples: [string, string][];
  options: Record<string, OptionSpec>;
  /** Subcommands take the rest of argv themselves (e.g. `model run`). */
  allowPositionals?: boolean;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** Options every command accepts. */
export const commonOptions: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print one JSON document on stdout instead of text' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/** The `--db` option most commands share. */
export const dbOption: Record<string, OptionSpec> = {
  db: { type: 'string', arg: 'FILE', help: 'SQLite archive to use (default: argmap.sqlite)' },
};

export const DEFAULT_DB = 'argmap.sqlite';

/** Read a string option or its default. */
export function str(args: ParsedArgs, name: string, fallback: string): string;
export function str(args: ParsedArgs, name: string): string | undefined;
export function str(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.values[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const last = v[v.length - 1];
    if (typeof last === 'string') return last;
  }
  return fallback;
}

/** Read a repeatable string option as a list. */
export function list(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** An optional probability option (0–1), e.g. `--min-confidence 0.8`; undefined when not given. */
export function probability(args: ParsedArgs, name: string): number | undefined {
  const v = str(args, name);
  if (v === undefined) return undefined;
  const p = Number(v);
  if (!(p >= 0 && p <= 1))
    throw new UserError(
      `--${name} must be a number from 0 to 1, not ${JSON.stringify(v)}`,
      `e.g. --${name} 0.8`,
    );
  return p;
}

/** An integer option in [min, max], or `fallback` when not given; a user error names the range. */
export function int(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = str(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}
