// The CLI entry point (src/cli/main.ts): dispatch, the top-level help and version, and how errors
// become exit codes and messages. The first test moved here from test/cli/commands.test.ts, unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli as run } from '../helpers/cli.ts';
import { commandHelp, overallHelp } from '../../src/cli/help.ts';
import { commands } from '../../src/cli/registry.ts';

describe('main', () => {
  it('an unknown command or option fails with exit 2 and says what to do', async () => {
    const a = await run(['injest']);
    assert.equal(a.code, 2);
    assert.match(a.err, /unknown command "injest"/);
    const b = await run(['ingest', '--no-such-flag', 'x']);
    assert.equal(b.code, 2);
    assert.match(b.err, /see: argmap ingest --help/);
    const c = await run(['stats', '--db', '/nonexistent/dir/x.sqlite']);
    assert.equal(c.code, 2);
    assert.match(c.err, /no archive at [\s\S]*create one with: argmap ingest/);
  });

  it("prints the overall help for no command, --help, -h and help; a command's help for help NAME", async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const r = await run(argv);
      assert.equal(r.code, 0);
      assert.equal(r.out, overallHelp(commands), argv.join(' '));
      assert.equal(r.err, '');
    }
    const thread = commands.find((c) => c.name === 'thread')!;
    assert.equal((await run(['help', 'thread'])).out, commandHelp(thread));
    assert.equal((await run(['thread', '--help'])).out, commandHelp(thread));
    assert.equal((await run(['thread', '-h'])).out, commandHelp(thread));
  });

  it('prints the version', async () => {
    const r = await run(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^argmap \d+\.\d+\.\d+\n$/);
  });

  it('follows an unknown command with the command list, on stderr', async () => {
    const r = await run(['injest']);
    assert.equal(r.out, '');
    assert.ok(r.err.endsWith(overallHelp(commands)));
  });

  it('prints a user error as "argmap NAME: message" and its hint, without a stack', async () => {
    const r = await run(['thread', '--db', '/nonexistent/x.sqlite']);
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      'argmap thread: say which thread: a thread id or a Message-ID\n  example: argmap thread 20200909215752.1725525-1-shakeelb@google.com\n',
    );
    const v = await run(['stats', '--json=yes']);
    assert.equal(v.code, 2);
    assert.match(v.err, /^argmap stats: .*--json.*\n {2}see: argmap stats --help\n$/);
  });
});
