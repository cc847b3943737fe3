/**
 * The model page's Web Worker is built with the page: web/model/main.ts imports
 * `./sim-worker.ts?script`, and the site's bundler (src/site/bundle.ts) bundles the worker from
 * source and inlines its text into model.js. This test takes that text out of the page bundle the
 * site build makes, checks it is the worker bundled from the current sources (and carries the
 * current parameter table), and runs it on a small scenario: it must post what the model computes
 * in Node.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { bundleWeb } from '../../src/site/bundle.ts';
import { PARAMS } from '../../src/model/params.ts';
import { runScenario } from '../../src/model/scenario-run.ts';
import type { RunRequest, WorkerReply } from '../../web/model/protocol.ts';

/** esbuild's spelling of `text` inside a string literal quoted with `q`. */
function escapeFor(text: string, q: string): string {
  let out = text
    .replace(/\\/g, '\\\\')
    .split(q)
    .join('\\' + q);
  if (q === '`') out = out.replace(/\$\{/g, '\\${');
  return out;
}

/** The string literal of `page` whose value starts with `head`, evaluated; null if there is none. */
function literalStartingWith(page: string, head: string): string | null {
  for (const q of ["'", '"', '`']) {
    const start = page.indexOf(q + escapeFor(head, q));
    if (start < 0) continue;
    let i = start + 1;
    while (i < page.length && page[i] !== q) i += page[i] === '\\' ? 2 : 1;
    return vm.runInNewContext(page.slice(start, i + 1)) as string;
  }
  return null;
}

describe('the model page starts the worker built from the current sources', () => {
  let page = '';
  let worker = '';
  let inlined: string | null = null;
  before(async () => {
    page = (await bundleWeb('web/model/main.ts')).js;
    worker = (await bundleWeb('web/model/sim-worker.ts')).js;
    inlined = literalStartingWith(page, worker.slice(0, 40));
  });

  it('model.js holds, as a string, exactly the bundle of web/model/sim-worker.ts', () => {
    assert.ok(worker.length > 10000, 'the worker bundle holds the whole model');
    assert.ok(inlined !== null, 'no string literal in model.js starts like the worker bundle');
    assert.equal(inlined.length, worker.length);
    assert.ok(inlined === worker, 'the worker text in model.js differs from a fresh bundle');
  });

  it("the inlined worker carries every key of today's parameter table", () => {
    const missing = PARAMS.map((s) => s.key).filter((k) => !(inlined ?? '').includes(JSON.stringify(k)));
    assert.deepEqual(missing, []);
  });

  it('run in a worker scope, it posts the arm the model computes in Node', () => {
    const req: RunRequest = {
      id: 7,
      scenario: 'S4',
      arm: 'reclaim',
      quick: true,
      seed: 3,
      set: { 'sim.duration': 8, 'agent.oneshotAt': 2 },
    };
    const posted: WorkerReply[] = [];
    const scope = {
      onmessage: null as ((e: { data: RunRequest }) => void) | null,
      postMessage: (m: WorkerReply) => posted.push(JSON.parse(JSON.stringify(m)) as WorkerReply),
    };
    vm.runInNewContext(inlined ?? '', { self: scope });
    assert.equal(typeof scope.onmessage, 'function', 'the worker installs self.onmessage');
    scope.onmessage?.({ data: req });
    const last = posted.at(-1);
    assert.ok(last && last.type === 'result', JSON.stringify(last));
    assert.equal(last.id, 7);
    const inNode = runScenario('S4', { quick: true, seed: 3, set: req.set, arms: ['reclaim'] }).arms[0];
    assert.equal(JSON.stringify(last.arm), JSON.stringify(inNode));
  });
});
