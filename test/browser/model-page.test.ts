/**
 * The model page in Chromium from file://: a tiny harness with only <div id="model-app">, the
 * bundled model.js and model.css, under the site's Content-Security-Policy. It runs a scenario in the Blob worker, draws the charts and the
 * findings with no page errors, reproduces a run from its link, reports bad input, runs scenario
 * files (JSON and YAML), and stays usable at 360 px and in dark mode. Screenshots go to test-results/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser } from '../helpers/browser.ts';
import { bundleWeb } from '../../src/site/bundle.ts';
import { CSP } from '../../src/site/layout.ts';

const YAML_TWIN = fileURLToPath(new URL('../fixtures/scenarios/fixed-job.yaml', import.meta.url));

let browser: Browser;
let dir: string;
let pageUrl: string;

before(async () => {
  const { js, css } = await bundleWeb('web/model/main.ts');
  dir = mkdtempSync(join(tmpdir(), 'argmap-model-page-'));
  writeFileSync(join(dir, 'model.js'), js);
  writeFileSync(join(dir, 'model.css'), css);
  writeFileSync(
    join(dir, 'model.html'),
    // The site's own Content-Security-Policy: the page must run under it (workers from blob: only).
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
      `<meta http-equiv="Content-Security-Policy" content="${CSP}">` +
      `<title>model</title><link rel="stylesheet" href="model.css"><script defer src="model.js"></script></head>` +
      `<body><div id="model-app" data-scenario="S4"></div></body></html>`,
  );
  pageUrl = pathToFileURL(join(dir, 'model.html')).href;
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(
  hash: string,
  viewport = { width: 1200, height: 900 },
  scheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ viewport, colorScheme: scheme });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('blob:') && !r.url().startsWith('data:'))
      errors.push(`network request ${r.url()}`);
  });
  await page.goto(pageUrl + hash);
  return { page, errors };
}

describe('model page (file://, Chromium)', () => {
  it('runs a scenario in the worker, draws the charts and findings, with no page errors', async () => {
    const { page, errors } = await open('');
    await page.waitForSelector('#am-scenario');
    assert.equal(await page.inputValue('#am-scenario'), 'S4');
    await page.click('button.am-run');
    await page.waitForSelector('.am-findings li', { timeout: 60000 });
    assert.equal(await page.locator('.am-findings li').count(), 2);
    // Three charts per arm, each a uPlot canvas.
    assert.equal(await page.locator('.am-results canvas').count(), 6);
    assert.equal(await page.locator('table.am-summary').count(), 2);
    const findings = await page.locator('.am-findings').innerText();
    assert.match(findings, /reclaim: write returned EAGAIN/);
    assert.match(findings, /high: write returned ok/);
    assert.match(await page.locator('.am-status').innerText(), /Done in/);
    // The link reproduces this run.
    const href = await page.getAttribute('a.am-link', 'href');
    assert.match(href ?? '', /scenario=S4&a=reclaim&b=high&size=quick&seed=1.*run=1/);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'model-page.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('opens a scenario from the hash, applies its parameters and runs it from the link', async () => {
    const { page, errors } = await open(
      '#scenario=S2&a=high-zstd&b=reclaim-zstd&size=quick&seed=3&set=workload.rpcRate%3D500,sim.duration%3D10&run=1',
    );
    await page.waitForSelector('.am-findings li', { timeout: 90000 });
    assert.equal(await page.inputValue('#am-scenario'), 'S2');
    assert.equal(await page.inputValue('#am-arm-a'), 'high-zstd');
    assert.equal(await page.inputValue('#am-seed'), '3');
    assert.equal(await page.inputValue('#am-p-workload-rpcRate'), '500');
    const text = await page.locator('.am-findings').innerText();
    assert.match(text, /high-zstd: request p99/);
    assert.match(text, /reclaim-zstd: request p99/);
    // Request latency joins charge latency on the latency chart.
    assert.ok(
      (await page.locator('.am-results .u-legend').allInnerTexts()).some((t) => t.includes('request')),
    );
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('follows #scenario= links from the rest of the page', async () => {
    const { page } = await open('');
    await page.waitForSelector('#am-scenario');
    // Browser-side code as strings: the test project has no DOM types.
    await page.evaluate("location.hash = '#scenario=S9'");
    await page.waitForFunction("document.getElementById('am-scenario')?.value === 'S9'");
    assert.match(await page.locator('.am-expected').innerText(), /uswapd/);
    await page.context().close();
  });

  it('reports bad input and oversized runs instead of running them', async () => {
    const { page, errors } = await open('#scenario=S1&set=kernel.swappiness%3D250');
    await page.waitForSelector('button.am-run');
    await page.click('button.am-run');
    await page.waitForSelector('.am-error:not(:empty)');
    assert.match(
      await page.locator('.am-error').innerText(),
      /kernel\.swappiness=250: invalid value; allowed: 0 to 200/,
    );
    await page.fill('#am-p-workload-hot', '500G');
    await page.dispatchEvent('#am-p-workload-hot', 'change');
    await page.fill('#am-extra', '');
    await page.dispatchEvent('#am-extra', 'change');
    await page.click('button.am-run');
    await page.waitForFunction(
      "/run too large/.test(document.querySelector('.am-error')?.textContent ?? '')",
    );
    assert.equal(await page.locator('.am-results canvas').count(), 0);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('stays within 360 px and readable in dark mode', async () => {
    const { page, errors } = await open('#scenario=S4&run=1', { width: 360, height: 800 }, 'dark');
    await page.waitForSelector('.am-findings li', { timeout: 60000 });
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    const colors = await page.evaluate<string[]>(
      "(() => { const s = getComputedStyle(document.querySelector('.am-model')); return [s.color, s.backgroundColor]; })()",
    );
    assert.notEqual(colors[0], colors[1]);
    assert.equal(colors[1], 'rgb(13, 17, 23)');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'model-page-360-dark.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('runs a scenario file in the worker: a job against its unconstrained twin, then a controller sweep on a uPlot chart', async () => {
    const { page, errors } = await open('#scenario=S4&file=F1');
    await page.waitForSelector('#am-file');
    assert.equal(await page.inputValue('#am-file'), 'F1');
    assert.match(await page.inputValue('#am-file-text'), /"work": "20s"/);
    await page.click('button.am-file-run');
    await page.waitForSelector('table.am-jobs tbody tr', { timeout: 60000 });
    const cells = await page.locator('table.am-jobs tbody tr td').allInnerTexts();
    assert.equal(cells[0], 'work/batch');
    // The slowdown is what the worker computed from the runtime and the twin's runtime.
    const runtime = Number(cells[2]);
    const base = Number(cells[3]);
    assert.ok(runtime > base && base >= 20, `${runtime} vs ${base}`);
    // (The table rounds the runtimes to 10 ms, so the check allows that much.)
    const slowdown = Number((cells[4] ?? '').replace('%', ''));
    assert.ok(Math.abs(slowdown - 100 * (runtime / base - 1)) < 0.1, `${slowdown} vs ${runtime}/${base}`);
    assert.match(await page.locator('.am-file-status').innerText(), /Done in/);

    // Bad input names the JSON path and starts no worker.
    await page.fill(
      '#am-file-text',
      '{"format": "argmap-reclaim-scenario/1", "duration": 5, "tree": {"name": "x", "workload": {"threads": 0, "work": 3}}}',
    );
    await page.click('button.am-file-run');
    await page.waitForFunction(
      "/\\$\\.tree\\.workload\\.work:/.test(document.querySelector('.am-file-error')?.textContent ?? '')",
    );

    await page.selectOption('#am-file', 'F3');
    await page.click('button.am-file-run');
    await page.waitForSelector('.am-sweep canvas', { timeout: 120000 });
    assert.equal(await page.locator('table.am-sweep-table tbody tr').count(), 7);
    assert.match(await page.locator('.am-controller').innerText(), /Controller tmo on svc\/app: \d+ writes/);
    await page.screenshot({
      path: join(ARTIFACTS_DIR, 'model-page-scenario-file-sweep.png'),
      fullPage: true,
    });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('reads a YAML scenario file opened from disk as its JSON twin, and names the line of a YAML error', async () => {
    const { page, errors } = await open('#scenario=S4&file=F1');
    await page.waitForSelector('#am-file');
    const jobs = async (): Promise<string[]> => {
      // The click sets the status to "Running…" at once, so "Done in" is this run's.
      await page.click('button.am-file-run');
      await page.locator('.am-file-status', { hasText: 'Done in' }).waitFor({ timeout: 60000 });
      return page.locator('table.am-jobs tbody tr td').allInnerTexts();
    };
    const fromJson = await jobs();
    // The picker reads the file on the page; its text replaces the example. (Waits go through
    // locators: a polled waitForFunction string would need eval, which the page's CSP refuses.)
    await page.setInputFiles('#am-file-open', YAML_TWIN);
    await page.locator('.am-file-status', { hasText: 'Opened fixed-job.yaml.' }).waitFor();
    assert.equal(await page.inputValue('#am-file-text'), readFileSync(YAML_TWIN, 'utf8'));
    const fromYaml = await jobs();
    assert.equal(fromYaml[0], 'work/batch');
    assert.deepEqual(fromYaml, fromJson);

    // A paste has no name: text that is not JSON is read as YAML, and its errors have a line.
    await page.fill(
      '#am-file-text',
      'format: argmap-reclaim-scenario/1\nduration: 5\ntree:\n  name: x\n   workload: 3\n',
    );
    await page.click('button.am-file-run');
    await page.locator('.am-file-error', { hasText: /^\$: not valid YAML: line 4, column \d+: / }).waitFor();
    await page.fill(
      '#am-file-text',
      'format: argmap-reclaim-scenario/1\nduration: 5\ntree: {name: x, workload: !!js/function "f"}\n',
    );
    await page.click('button.am-file-run');
    await page
      .locator('.am-file-error', { hasText: 'line 3, column 27: tag !!js/function refused' })
      .waitFor();
    // A validation error in YAML names the field's line too.
    await page.fill(
      '#am-file-text',
      'format: argmap-reclaim-scenario/1\nduration: 5\ntree:\n  name: x\n  workload: {hot: lots}\n',
    );
    await page.click('button.am-file-run');
    await page
      .locator('.am-file-error', {
        hasText: /^\$\.tree\.workload\.hot: must be a size .* \(line 5, column 19\)$/,
      })
      .waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
