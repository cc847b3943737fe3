// tsvRows (src/util/tsv.ts) on files written here: header dropped, blank lines skipped, tabs split.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsvRows } from '../../src/util/tsv.ts';

const dir = mkdtempSync(join(tmpdir(), 'argmap-tsv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('tsvRows', () => {
  it('drops the header, skips blank and white-space lines, and keeps empty fields', () => {
    const file = join(dir, 'a.tsv');
    writeFileSync(file, 'qid\tsplit\tquery\nq1\ttune\tzswap writeback\n\n  \nq2\t\tmemory.high\n');
    assert.deepEqual(tsvRows(file), [
      ['q1', 'tune', 'zswap writeback'],
      ['q2', '', 'memory.high'],
    ]);
  });
  it('gives no rows for a file that is only a header', () => {
    const file = join(dir, 'b.tsv');
    writeFileSync(file, 'qid\tsplit\tquery\n');
    assert.deepEqual(tsvRows(file), []);
  });
});
