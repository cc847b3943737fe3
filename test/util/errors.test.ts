// UserError (src/util/errors.ts): the CLI prints its message and hint without a stack and exits
// with its code, usage (2) unless the thrower says otherwise.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode, UserError } from '../../src/util/errors.ts';

describe('UserError', () => {
  it('is an Error named UserError, exiting 2 by default', () => {
    const e = new UserError('no archive at x.sqlite', 'run `argmap ingest` first');
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'UserError');
    assert.equal(e.message, 'no archive at x.sqlite');
    assert.equal(e.hint, 'run `argmap ingest` first');
    assert.equal(e.exitCode, 2);
    assert.equal(new UserError('x').hint, undefined);
  });

  it('carries another exit code when given one', () => {
    assert.equal(new UserError('no match', undefined, ExitCode.failed).exitCode, 1);
    assert.deepEqual(ExitCode, { ok: 0, failed: 1, usage: 2 });
  });
});
