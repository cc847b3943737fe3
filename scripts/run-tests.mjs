#!/usr/bin/env node
// Runs every test file under test/ with node:test through tsx.
// node --test on Node 20 neither expands globs nor picks up .ts files, so the list is explicit.
// --skip-browser leaves out test/browser (the Chromium tests) for a quick local run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const skipBrowser = args.includes('--skip-browser');
const only = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'fixtures') continue;
      out.push(...walk(p));
    } else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = walk('test').sort();
if (skipBrowser) files = files.filter((f) => !f.startsWith(join('test', 'browser')));
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (!files.length) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, ARGMAP_TEST: '1' },
});
process.exit(r.status ?? 1);
