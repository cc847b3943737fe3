/** `argmap serve`: serve a built site on 127.0.0.1 (for convenience; the site also works from file://). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { flag, int, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { serveSite } from '../../site/serve.ts';
import { DEFAULT_OUT } from './build.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the built site on 127.0.0.1',
  usage: 'serve [--out DIR] [--port N]',
  examples: [
    ['argmap serve', 'serve site/ on a free port and print the address'],
    ['argmap serve --port 8080', 'on a fixed port'],
  ],
  options: {
    out: { type: 'string', arg: 'DIR', help: `the built site (default: ${DEFAULT_OUT})` },
    port: { type: 'string', arg: 'N', help: 'port (default: 8000; 0 picks a free one)' },
  },
  async run(args, io) {
    const dir = resolve(io.cwd, str(args, 'out', DEFAULT_OUT));
    if (!existsSync(join(dir, 'index.html')))
      throw new UserError(`no site in ${dir}`, 'build one with: argmap build');
    const port = int(args, 'port', 8000, 0, 65535);
    let s;
    try {
      s = await serveSite(dir, port);
    } catch (e) {
      throw new UserError(`cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`, 'try --port 0');
    }
    if (flag(args, 'json')) io.out(JSON.stringify({ url: s.url, dir }) + '\n');
    else io.out(`serving ${dir} at ${s.url}  (Ctrl-C stops)\n`);
    await waitForSignal();
    await s.close();
    return 0;
  },
};

/** Resolve on SIGINT/SIGTERM. */
export function waitForSignal(): Promise<void> {
  return new Promise((r) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      r();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
