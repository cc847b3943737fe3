// The option readers every command uses (src/cli/command.ts), on arguments parsed by node:util
// parseArgs as main() parses them: last value wins, repeatable lists, and the range errors a user
// sees (UserError, exit 2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { flag, int, list, probability, str, type ParsedArgs } from '../../src/cli/command.ts';
import { UserError } from '../../src/util/errors.ts';

const parse = (argv: string[]): ParsedArgs =>
  parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      tag: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      n: { type: 'string' },
      p: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  }) as ParsedArgs;

describe('option readers', () => {
  it('str: the value, the last of repeated ones, or the default', () => {
    assert.equal(str(parse(['--db', 'a.sqlite']), 'db'), 'a.sqlite');
    assert.equal(str(parse([]), 'db'), undefined);
    assert.equal(str(parse([]), 'db', 'argmap.sqlite'), 'argmap.sqlite');
    assert.equal(str(parse(['--tag', 'x', '--tag', 'y']), 'tag'), 'y');
  });

  it('list and flag', () => {
    assert.deepEqual(list(parse(['--tag', 'x', '--tag', 'y']), 'tag'), ['x', 'y']);
    assert.deepEqual(list(parse(['--db', 'a']), 'db'), ['a']);
    assert.deepEqual(list(parse([]), 'tag'), []);
    assert.equal(flag(parse(['--json']), 'json'), true);
    assert.equal(flag(parse([]), 'json'), false);
  });

  it('int: in range or a user error naming the option, the range and the value', () => {
    assert.equal(int(parse(['--n', '7']), 'n', 20, 1, 10), 7);
    assert.equal(int(parse([]), 'n', 20, 1, 10), 20, 'the default is not range-checked');
    for (const bad of ['0', '11', '2.5', 'x', ''])
      assert.throws(
        () => int(parse(['--n', bad]), 'n', 20, 1, 10),
        (e: unknown) =>
          e instanceof UserError &&
          e.exitCode === 2 &&
          e.message === `--n must be an integer from 1 to 10, got ${JSON.stringify(bad)}`,
        bad,
      );
  });

  it('probability: 0 to 1 inclusive, undefined when absent', () => {
    assert.equal(probability(parse([]), 'p'), undefined);
    assert.equal(probability(parse(['--p', '0']), 'p'), 0);
    assert.equal(probability(parse(['--p', '1']), 'p'), 1);
    assert.equal(probability(parse(['--p', '0.8']), 'p'), 0.8);
    for (const bad of ['1.01', '-0.1', 'NaN', 'x'])
      assert.throws(
        // --p=VALUE: parseArgs refuses a separate value that starts with "-"
        () => probability(parse([`--p=${bad}`]), 'p'),
        (e: unknown) => e instanceof UserError && e.message.startsWith('--p must be a number from 0 to 1'),
        bad,
      );
  });
});
