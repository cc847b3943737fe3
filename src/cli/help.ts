/** Renders `--help` text for a command and the overall command list. */
import type { Command } from './command.ts';
import { commonOptions } from './command.ts';

export function commandHelp(cmd: Command): string {
  const lines: string[] = [];
  lines.push(`argmap ${cmd.name}: ${cmd.summary}`, '');
  lines.push('Usage:');
  for (const u of cmd.usage.split('\n')) lines.push(`  argmap ${u}`);
  if (cmd.description) lines.push('', ...cmd.description.split('\n'));
  const opts = { ...cmd.options, ...commonOptions };
  lines.push('', 'Options:');
  const rows = Object.entries(opts).map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : '    ';
    const arg = o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : '';
    return [`  ${short}--${name}${arg}`, o.help + (o.multiple ? ' (repeatable)' : '')] as const;
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  for (const [l, r] of rows) lines.push(l.padEnd(width) + r);
  if (cmd.examples.length) {
    lines.push('', 'Examples:');
    for (const [ex, what] of cmd.examples) lines.push(`  ${ex}`, `      ${what}`);
  }
  return lines.join('\n') + '\n';
}

export function overallHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'argmap: how a Linux kernel design decision was argued and made.',
    '',
    'Usage: argmap COMMAND [options]      (argmap COMMAND --help for details and examples)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Every command takes --json for scripts and --help for examples.',
    'Start with:  argmap start     (ingest the bundled data, build the site, serve it)',
    '',
  ].join('\n');
}
