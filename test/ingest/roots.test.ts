// src/ingest/roots.ts: reading the thread-root list (data/threads.tsv and files like it). The
// real list is checked against a plain reading of its lines here; the error cases are small files
// written by the test.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRoots } from '../../src/ingest/roots.ts';
import { UserError } from '../../src/util/errors.ts';
import { tempDir } from '../helpers/archive.ts';

let t: { dir: string; cleanup: () => void };
before(() => (t = tempDir()));
after(() => t.cleanup());

function file(name: string, text: string): string {
  const p = join(t.dir, name);
  writeFileSync(p, text);
  return p;
}

describe('readRoots', () => {
  it('data/threads.tsv: one row per data line, with its label and 1-based line number', () => {
    const lines = readFileSync('data/threads.tsv', 'utf8').split('\n');
    const want = lines
      .map((l, i) => ({ l, line: i + 1 }))
      .filter(({ l }) => l.trim() && !l.startsWith('#') && !l.startsWith('message_id\t'))
      .map(({ l, line }) => ({ messageId: l.split('\t')[0]!, label: l.split('\t')[1]!, line }));
    assert.ok(want.length >= 5);
    const got = readRoots('data/threads.tsv');
    assert.deepEqual(got, want);
    // The first data row as written in the file.
    assert.deepEqual(got[0], {
      messageId: '20190501184104.GA30293@chrisdown.name',
      label: 'throttle-v3-2019',
      line: want[0]!.line,
    });
  });

  it('angle brackets and spaces around an id are dropped; a missing or blank label is null; CRLF', () => {
    const p = file('r.tsv', '# comment\r\nMessage-ID\tlabel\r\n<a@x>\tfirst\r\n  b@x  \r\n\r\nc@x\t  \r\n');
    assert.deepEqual(readRoots(p), [
      { messageId: 'a@x', label: 'first', line: 3 },
      { messageId: 'b@x', label: null, line: 4 },
      { messageId: 'c@x', label: null, line: 6 },
    ]);
  });

  it('a first column that is no Message-ID is a user error naming the file and line', () => {
    const p = file('bad.tsv', 'a@x\tok\nthrottle-v3-2019\t20190501184104.GA30293@chrisdown.name\n');
    assert.throws(
      () => readRoots(p),
      (e: unknown) => e instanceof UserError && e.message === `${p}:2: not a Message-ID: "throttle-v3-2019"`,
    );
    // An id with a space inside is not one either.
    assert.throws(() => readRoots(file('sp.tsv', 'a b@x\n')), /sp\.tsv:1: not a Message-ID: "a b@x"/);
  });

  it('a file that cannot be read is a user error with the errno code', () => {
    const p = join(t.dir, 'missing.tsv');
    assert.throws(
      () => readRoots(p),
      (e: unknown) => e instanceof UserError && e.message === `cannot read ${p}: ENOENT`,
    );
  });

  it('an empty file, or one of comments only, has no roots', () => {
    assert.deepEqual(readRoots(file('e.tsv', '')), []);
    assert.deepEqual(readRoots(file('c.tsv', '# a\n# b\n')), []);
  });
});
