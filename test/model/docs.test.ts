/**
 * docs/model.md keeps up with the code: every parameter, scenario and validation target appears.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PARAMS, SCENARIOS, VALIDATION_IDS, parseScenarioText } from '../../src/model/index.ts';

const doc = readFileSync(new URL('../../docs/model.md', import.meta.url), 'utf8');

it('docs/model.md lists every parameter with its unit and default', () => {
  const missing = PARAMS.filter((p) => !doc.includes(`| \`${p.key}\` |`)).map((p) => p.key);
  assert.deepEqual(missing, []);
});

it('docs/model.md reports every scenario and the Message-IDs it tests', () => {
  for (const s of SCENARIOS) {
    assert.ok(doc.includes(`### ${s.id} — `), `${s.id} section`);
    for (const id of s.messageIds) assert.ok(doc.includes(id), `${s.id}: ${id}`);
  }
});

it('docs/model.md has a row for every validation target', () => {
  for (const id of VALIDATION_IDS) assert.ok(doc.includes(`| ${id} `), id);
});

it('docs/model.md shows a YAML scenario file that is fixed-job.json in YAML', () => {
  const block = /### Scenario files in YAML[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'the YAML example');
  const json = readFileSync(new URL('../fixtures/scenarios/fixed-job.json', import.meta.url), 'utf8');
  assert.deepEqual(parseScenarioText(block, 'docs.yaml').doc, JSON.parse(json));
});
