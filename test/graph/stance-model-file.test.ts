/** Loading and writing data/stance-model.json: missing means rules only, damaged is a named error. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadStanceModel,
  modelId,
  STANCE_MODEL_PATH,
  writeStanceModel,
} from '../../src/graph/stance-model-file.ts';
import { MODEL_FORMAT, type StanceModelFile } from '../../src/graph/stance-model.ts';
import { STANCES } from '../../src/graph/stance.ts';
import { tempDir } from '../helpers/archive.ts';

const m: StanceModelFile = {
  format: MODEL_FORMAT,
  classes: [...STANCES],
  weights: { 'w:b': { asks: 0.5 }, 'w:a': { nacks: -1.25, asks: 2 } },
  bias: { asks: 0.1 },
  temperature: 1.2,
  rulePrior: 1,
  trained: { labels: ['x.tsv'] },
};

describe('stance model file', () => {
  it('round-trips, with features sorted one per line', () => {
    const t = tempDir();
    try {
      const f = join(t.dir, 'm.json');
      writeStanceModel(m, f);
      assert.deepEqual(loadStanceModel(f), m);
      const lines = readFileSync(f, 'utf8').split('\n');
      const a = lines.findIndex((l) => l.startsWith('    "w:a"'));
      const b = lines.findIndex((l) => l.startsWith('    "w:b"'));
      assert.ok(a > 0 && b === a + 1, 'sorted, one per line');
    } finally {
      t.cleanup();
    }
  });

  it('a missing file means rules only; "none" too', () => {
    assert.equal(loadStanceModel('/nonexistent/stance-model.json'), null);
    assert.equal(loadStanceModel('none'), null);
  });

  it('a damaged file is an error naming the file and the fix', () => {
    const t = tempDir();
    try {
      const f = join(t.dir, 'bad.json');
      writeFileSync(f, JSON.stringify({ ...m, temperature: -1 }));
      assert.throws(
        () => loadStanceModel(f),
        (e: Error) =>
          e.message.includes(f) && /temperature/.test(e.message) && /argmap graph train/.test(e.message),
      );
    } finally {
      t.cleanup();
    }
  });

  it('the id changes when a weight changes', () => {
    const other = { ...m, weights: { ...m.weights, 'w:b': { asks: 0.51 } } };
    assert.notEqual(modelId(m), modelId(other));
    assert.equal(modelId(m), modelId(JSON.parse(JSON.stringify(m)) as StanceModelFile));
  });

  it('the shipped model loads', () => {
    const shipped = loadStanceModel(STANCE_MODEL_PATH);
    assert.ok(shipped && Object.keys(shipped.weights).length > 1000);
    assert.ok(shipped.temperature > 0);
  });
});
