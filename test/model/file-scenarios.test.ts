/**
 * The example scenario files (src/model/file-scenarios.ts): each is the same document as its JSON
 * copy in test/fixtures/scenarios/, parses, and fits the run budget.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FILE_SCENARIOS, findFileScenario } from '../../src/model/file-scenarios.ts';
import { validateScenario } from '../../src/model/scenario-file.ts';
import { checkTreeRun, hasJobs, treeParams } from '../../src/model/tree-run.ts';

describe('example scenario files', () => {
  for (const ex of FILE_SCENARIOS) {
    it(`${ex.id} ${ex.name}: equals ${ex.path}, parses and fits the budget`, () => {
      const text = readFileSync(new URL(`../../${ex.path}`, import.meta.url), 'utf8');
      assert.deepEqual(JSON.parse(text), ex.doc);
      const f = validateScenario(ex.doc as Parameters<typeof validateScenario>[0]);
      const runs = 1 + (hasJobs(f) ? 1 : 0) + (f.sweep ? f.sweep.values.length + 1 : 0);
      assert.doesNotThrow(() => checkTreeRun(f, treeParams(f), runs));
    });
  }
  it('finds an example by id or name', () => {
    assert.equal(findFileScenario('F2')?.name, 'build');
    assert.equal(findFileScenario('controller-sweep')?.id, 'F3');
    assert.equal(findFileScenario('nope'), undefined);
  });
});
