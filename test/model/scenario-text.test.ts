/**
 * Scenario texts in JSON or YAML (src/model/scenario-text.ts): a YAML file is the same document as
 * its JSON twin and takes the same validation; YAML syntax errors and every YAML-only refusal (tags,
 * directives, alias bombs, deep nesting, oversized text) name the line and column, and the limits
 * that guard them are the named ones.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseScenarioFile, SCENARIO_LIMITS, ScenarioFileError } from '../../src/model/scenario-file.ts';
import { parseScenarioText } from '../../src/model/scenario-text.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/scenarios/${name}`, import.meta.url), 'utf8');

/** A small valid YAML file; `more` is appended as further top-level lines. */
const base = (more = ''): string =>
  `format: argmap-reclaim-scenario/1\nduration: 10\ntree:\n  name: j\n  workload: {hot: 4M}\n${more}`;

/** The message `text` is refused with. */
function refusal(text: string, name?: string): string {
  try {
    parseScenarioText(text, name);
  } catch (e) {
    assert.ok(e instanceof ScenarioFileError, String(e));
    return e.message;
  }
  assert.fail(`accepted: ${text.slice(0, 80)}`);
}

describe('scenario texts: JSON or YAML', () => {
  it('reads the YAML twin of fixed-job.json as the same document and the same scenario', () => {
    const json = fixture('fixed-job.json');
    const yaml = parseScenarioText(fixture('fixed-job.yaml'), 'fixed-job.yaml');
    assert.equal(yaml.syntax, 'yaml');
    assert.deepEqual(yaml.doc, JSON.parse(json));
    assert.deepEqual(yaml.file, parseScenarioFile(json));
    // Without a name the content decides: not JSON, so YAML.
    assert.equal(parseScenarioText(fixture('fixed-job.yaml')).syntax, 'yaml');
  });

  it('reads JSON as JSON, and JSON named .yaml as YAML to the same document', () => {
    const json = fixture('hundred-services.json');
    const asJson = parseScenarioText(json, 'hundred-services.json');
    assert.equal(asJson.syntax, 'json');
    assert.deepEqual(asJson.file, parseScenarioFile(json));
    const asYaml = parseScenarioText(json, 'x.yml');
    assert.equal(asYaml.syntax, 'yaml');
    assert.deepEqual(asYaml.file, asJson.file);
  });

  it('gives a YAML syntax error its line and column', () => {
    // Line 5 is indented one column past "name", so the parser reads the "j" of line 4 as the start
    // of a key that runs onto line 5.
    const text = 'format: argmap-reclaim-scenario/1\nduration: 10\ntree:\n  name: j\n   workload: 3\n';
    assert.match(refusal(text, 'bad.yaml'), /^\$: not valid YAML: line 4, column 9: .*\(" {2}name: j"\)$/);
    // A duplicate key, which JSON.parse would take silently (the last one wins).
    assert.match(
      refusal(base('duration: 20\n')),
      /^\$: not valid YAML: line 6, column 1: key "duration" appears twice/,
    );
    // Broken JSON gets a line and column as well.
    assert.match(
      refusal('{"format": "argmap-reclaim-scenario/1",\n "duration": 10,\n "tree": {"name": "j"}}}'),
      /^\$: not valid JSON or YAML: line 3, column 24: /,
    );
  });

  it('names the line of the field a validation error names, with the same message as JSON', () => {
    const bad = {
      format: 'argmap-reclaim-scenario/1',
      duration: 10,
      tree: { name: 'j', workload: { hot: 'lots' } },
    };
    const fromJson = refusal(JSON.stringify(bad));
    assert.equal(fromJson, '$.tree.workload.hot: must be a size in bytes such as 67108864 or "64M"');
    assert.equal(refusal(base().replace('4M', 'lots')), `${fromJson} (line 5, column 19)`);
    assert.match(
      refusal(base('set:\n  sim.quantumUs: 5\n')),
      /^\$\.set\["sim\.quantumUs"\]: .* \(line 7, column 18\)$/,
    );
  });

  it('refuses tags, !!js/function first, at their line and column', () => {
    assert.match(
      refusal(base('title: !!js/function "function () { return process.exit(1) }"\n')),
      /^\$: not valid YAML: line 6, column 8: tag !!js\/function refused/,
    );
    assert.match(refusal(base('title: !foo bar\n')), /line 6, column 8: tag !foo refused/);
    // Even the core schema's own: a scenario never needs one.
    assert.match(refusal(base('seed: !!int "3"\n')), /line 6, column 7: tag !!int refused/);
    assert.match(refusal(`%TAG !e! tag:example.com,2000:\n---\n${base()}`), /line 1, column 1: directives/);
    // %YAML 1.1 would bring back yes/no booleans, sexagesimal numbers and merge keys.
    assert.match(refusal(`%YAML 1.1\n---\n${base()}`), /line 1, column 1: directives/);
  });

  it('refuses an alias bomb by maxYamlAliases, and takes a few aliases', () => {
    assert.equal(SCENARIO_LIMITS.maxYamlAliases, 32);
    // Ten levels of ten aliases to the level below: 10^9 leaves in under a kilobyte.
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = base(`description: ${lines.length}\nx:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    assert.ok(bomb.length < 1000, `${bomb.length} bytes`);
    const t0 = performance.now();
    assert.match(refusal(bomb, 'bomb.yaml'), /aliases expand past 32 copies \(maxYamlAliases\)/);
    assert.ok(performance.now() - t0 < 1000);
    // Two siblings sharing one workload through an anchor: fine, and the same tree as written out.
    const shared = parseScenarioText(
      'format: argmap-reclaim-scenario/1\nduration: 10\ntree:\n  name: j\n  children:\n' +
        '    - {name: a, workload: &w {hot: 4M, threads: 2}}\n    - {name: b, workload: *w}\n',
    );
    assert.deepEqual(shared.file.nodes[1]?.workload, shared.file.nodes[2]?.workload);
    assert.equal(shared.file.nodes[2]?.workload?.threads, 2);
  });

  it('refuses what JSON has no counterpart for: .inf and .nan, keys that are not names, a second document', () => {
    assert.match(refusal(base().replace('4M', '.inf')), /line 5, column 19: \.inf is not a JSON number/);
    assert.match(refusal(base('seed: .NaN\n')), /line 6, column 7: \.NaN is not a JSON number/);
    assert.match(refusal(base('? [a, b]\n: 1\n')), /line 6, column 3: a key must be a plain or quoted name/);
    assert.match(refusal(base('---\n') + base()), /line 6, column 1: a scenario file is one YAML document/);
    // A merge key is only a key in YAML 1.2, so the validation names it like any unknown field.
    assert.match(refusal(base('set: {<<: {sim.quantumUs: 5000}}\n')), /^\$\.set\["<<"\]: only sim\.\*/);
  });

  it('refuses deep nesting while parsing, at maxJsonDepth', () => {
    // 100 000 "[" cost the parser 0.6 s and a flood of stack-overflow errors if nothing stops it
    // early; the line and column show it stopped at the limit.
    const t0 = performance.now();
    assert.match(
      refusal('['.repeat(100_000)),
      new RegExp(
        `line 1, column \\d+: nested deeper than ${SCENARIO_LIMITS.maxJsonDepth} levels \\(maxJsonDepth\\)`,
      ),
    );
    assert.match(refusal('- '.repeat(60_000) + 'x'), /nested deeper than 64 levels/);
    assert.ok(performance.now() - t0 < 1000, `${performance.now() - t0} ms`);
    // An alias to its own anchor is a cycle: the depth check ends it.
    assert.match(
      refusal('format: argmap-reclaim-scenario/1\nduration: 10\ntree: &t\n  name: j\n  children: [*t]\n'),
      /^\$: is nested deeper than 64 levels/,
    );
  });

  it('refuses YAML above maxYamlBytes before parsing it', () => {
    const big = base(`description: "${'x'.repeat(SCENARIO_LIMITS.maxYamlBytes)}"\n`);
    assert.ok(big.length < SCENARIO_LIMITS.maxFileBytes);
    assert.equal(SCENARIO_LIMITS.maxYamlBytes, 128 * 1024);
    assert.match(refusal(big, 'big.yaml'), /larger than 131072 bytes \(maxYamlBytes\)/);
    assert.match(refusal(big), /not JSON, and as YAML it is larger than 131072 bytes/);
    // JSON of that size is only subject to maxFileBytes.
    const json = JSON.stringify({ format: 'argmap-reclaim-scenario/1', duration: 10, tree: { name: 'j' } });
    assert.equal(parseScenarioText(json + ' '.repeat(SCENARIO_LIMITS.maxYamlBytes)).syntax, 'json');
  });
});
