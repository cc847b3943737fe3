// bundleWeb (src/site/bundle.ts) on a small entry written for the test: one classic script (an
// IIFE that runs with no module loader, as file:// pages need), its CSS returned apart, and a
// `?script` import turned into the text of that script bundled on its own. The scripts are run in
// a fresh VM context to see what they do.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';
import { tempDir } from '../helpers/archive.ts';
import { bundleWeb, PROJECT_ROOT } from '../../src/site/bundle.ts';

let t: { dir: string; cleanup: () => void };
let entry: string;
before(() => {
  t = tempDir();
  writeFileSync(join(t.dir, 'add.ts'), 'export const add = (a: number, b: number): number => a + b;\n');
  writeFileSync(join(t.dir, 'style.css'), '.map-page { color: red; }\n');
  writeFileSync(
    join(t.dir, 'worker.ts'),
    "import { add } from './add.ts';\n(globalThis as any).fromWorker = add(40, 2);\n",
  );
  writeFileSync(
    join(t.dir, 'entry.ts'),
    [
      "import './style.css';",
      "import { add } from './add.ts';",
      "// @ts-expect-error: the ?script suffix is the bundler's",
      "import workerText from './worker.ts?script';",
      'const g = globalThis as any;',
      'g.sum = add(1, 2);',
      'g.workerText = workerText;',
      '',
    ].join('\n'),
  );
  entry = relative(PROJECT_ROOT, join(t.dir, 'entry.ts'));
});
after(() => t.cleanup());

describe('bundleWeb', () => {
  it('makes one self-contained classic script, with the CSS apart', async () => {
    const b = await bundleWeb(entry, { minify: false });
    assert.doesNotMatch(b.js, /^\s*(import|export) /m, 'no module syntax left');
    assert.match(b.css, /\.map-page\s*\{\s*color: red;\s*\}/);
    assert.doesNotMatch(b.js, /color: red/);
    const ctx: Record<string, unknown> = {};
    runInNewContext(b.js, ctx);
    assert.equal(ctx.sum, 3);
    // the ?script import is the worker bundled on its own: run it too
    assert.equal(typeof ctx.workerText, 'string');
    const w: Record<string, unknown> = {};
    runInNewContext(ctx.workerText as string, w);
    assert.equal(w.fromWorker, 42);
  });

  it('minifies by default', async () => {
    const plain = await bundleWeb(entry, { minify: false });
    const min = await bundleWeb(entry);
    assert.ok(min.js.length < plain.js.length);
    const ctx: Record<string, unknown> = {};
    runInNewContext(min.js, ctx);
    assert.equal(ctx.sum, 3);
  });

  it('knows the project root', () => {
    assert.equal(relative(PROJECT_ROOT, join(import.meta.dirname, '..', '..')), '');
  });
});
