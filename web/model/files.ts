/**
 * The scenario-file panel of the model page: pick an example file, open one from disk or paste one
 * (JSON or YAML), run it in its own worker, and read its jobs (runtime against the unconstrained
 * twin), its controller, and a sweep as a uPlot chart of memory saved against job slowdown, with the
 * table of points. The text is read and validated on the page first (so errors name the JSON path,
 * and in YAML the line, before a worker starts); the worker gets the parsed document and validates
 * it again, so the YAML parser is bundled with the page only.
 */
import uPlot from 'uplot';
import { FILE_SCENARIOS, findFileScenario } from '../../src/model/file-scenarios.ts';
import { SCENARIO_LIMITS } from '../../src/model/scenario-file.ts';
import { parseScenarioText } from '../../src/model/scenario-text.ts';
import { checkTreeRun, hasJobs, treeParams, type TreeRunResult } from '../../src/model/tree-run.ts';
import type { FileRunRequest, WorkerReply } from './protocol.ts';
import { el } from './dom.ts';

const num = (v: number | null | undefined, d = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d);
const pct = (v: number | null | undefined, d = 2): string =>
  v === null || v === undefined ? '–' : `${(100 * v).toFixed(d)}%`;

function table(caption: string, cls: string, head: string[], rows: string[][]): HTMLTableElement {
  const t = el('table', { class: `am-summary ${cls}` }, el('caption', {}, caption));
  const thead = el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h))));
  const body = el('tbody', {});
  for (const r of rows) body.append(el('tr', {}, ...r.map((c) => el('td', {}, c))));
  t.append(thead, body);
  return t;
}

/** The panel. `workerUrl` gives the Blob URL of the page's worker (created once by the page). */
export class FilePanel {
  readonly root: HTMLElement;
  private readonly pick: HTMLSelectElement;
  private readonly text: HTMLTextAreaElement;
  private readonly open: HTMLInputElement;
  /** The name of the file opened from disk (its .yaml or .yml says YAML); null for an example or a paste. */
  private fileName: string | null = null;
  private readonly runButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly results: HTMLElement;
  private worker: Worker | null = null;
  private plot: uPlot | null = null;
  private runId = 0;

  constructor(private readonly workerUrl: () => string) {
    this.root = el('section', { class: 'am-files', 'aria-label': 'Scenario files' });
    this.pick = el('select', { id: 'am-file', name: 'file' });
    for (const f of FILE_SCENARIOS) this.pick.append(el('option', { value: f.id }, `${f.id} — ${f.shows}`));
    this.text = el('textarea', {
      id: 'am-file-text',
      name: 'file-text',
      rows: '10',
      spellcheck: 'false',
      'aria-label': 'Scenario file (JSON or YAML)',
    });
    this.open = el('input', {
      type: 'file',
      id: 'am-file-open',
      name: 'file-open',
      accept: '.json,.yaml,.yml,application/json,application/yaml,text/yaml',
    });
    this.runButton = el('button', { type: 'submit', class: 'am-file-run' }, 'Run the file');
    this.status = el('p', { class: 'am-file-status', role: 'status', 'aria-live': 'polite' });
    this.error = el('p', { class: 'am-file-error', role: 'alert' });
    this.results = el('div', { class: 'am-file-results' });
    const form = el(
      'form',
      { class: 'am-controls' },
      el('h2', {}, 'Scenario files'),
      el(
        'p',
        { class: 'am-file-intro' },
        'A cgroup tree with a workload per cgroup: fixed-work jobs (runtime against the same job with every limit lifted), builds of short-lived processes with dirty page cache and writeback, a PSI-driven controller, and sweeps of one parameter (docs/model.md, "Scenario files"). Edit it, open a file or paste your own, in JSON or YAML.',
      ),
      el('div', { class: 'am-row' }, el('label', { for: 'am-file' }, 'Example'), this.pick),
      el('div', { class: 'am-row' }, el('label', { for: 'am-file-open' }, 'Or open a file'), this.open),
      el(
        'div',
        { class: 'am-row am-wide' },
        el('label', { for: 'am-file-text' }, 'File (JSON or YAML)'),
        this.text,
      ),
      el('div', { class: 'am-buttons' }, this.runButton),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.run();
    });
    this.pick.addEventListener('change', () => this.load(this.pick.value));
    this.open.addEventListener('change', () => void this.openFile());
    this.root.append(form, this.status, this.error, this.results);
    this.load(FILE_SCENARIOS[0]?.id ?? '');
  }

  /** Show example `id` (from a link: #file=F3). */
  load(id: string): void {
    const f = findFileScenario(id);
    if (!f) return;
    this.pick.value = f.id;
    this.text.value = JSON.stringify(f.doc, null, 2);
    this.fileName = null;
  }

  /** Put the file picked from disk into the text box (read locally; nothing leaves the page). */
  private async openFile(): Promise<void> {
    const file = this.open.files?.[0];
    if (!file) return;
    this.error.textContent = '';
    if (file.size > SCENARIO_LIMITS.maxFileBytes) {
      this.error.textContent = `${file.name} is ${file.size} bytes, above the limit of ${SCENARIO_LIMITS.maxFileBytes}`;
      return;
    }
    this.text.value = await file.text();
    this.fileName = file.name;
    this.status.textContent = `Opened ${file.name}.`;
  }

  private run(): void {
    this.error.textContent = '';
    const raw = this.text.value;
    let doc: unknown;
    try {
      const parsed = parseScenarioText(raw, this.fileName ?? undefined);
      doc = parsed.doc;
      const f = parsed.file;
      checkTreeRun(f, treeParams(f), 1 + (hasJobs(f) ? 1 : 0) + (f.sweep ? f.sweep.values.length + 1 : 0));
    } catch (e) {
      this.error.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    this.worker?.terminate();
    const id = ++this.runId;
    const w = new Worker(this.workerUrl());
    this.worker = w;
    this.runButton.disabled = true;
    const t0 = performance.now();
    this.status.textContent = 'Running…';
    w.onmessage = (e: MessageEvent<WorkerReply>): void => {
      const m = e.data;
      if (id !== this.runId) return;
      if (m.type === 'progress') {
        this.status.textContent = `${m.simulatedS.toFixed(0)} of ${m.totalS} s simulated (twin and sweep runs follow)`;
        return;
      }
      w.terminate();
      this.worker = null;
      this.runButton.disabled = false;
      if (m.type === 'error') {
        this.status.textContent = '';
        this.error.textContent = m.message;
      } else if (m.type === 'file-result') {
        this.status.textContent = `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
        this.render(m.result);
      }
    };
    w.onerror = (e): void => {
      if (id !== this.runId) return;
      this.runButton.disabled = false;
      this.error.textContent = e.message || 'the worker failed';
    };
    const req: FileRunRequest = { id, kind: 'file', doc };
    w.postMessage(req);
  }

  private render(r: TreeRunResult): void {
    this.plot?.destroy();
    this.plot = null;
    const parts: HTMLElement[] = [el('h3', {}, r.title)];
    if (r.jobs.length > 0) {
      parts.push(
        table(
          'Jobs',
          'am-jobs',
          ['cgroup', 'kind', 'runtime (s)', 'unconstrained (s)', 'slowdown', 'refaults', 'PSI some'],
          r.jobs.map((j) => [
            j.cgroup,
            j.kind,
            j.runtimeS === null ? `unfinished (${num(100 * j.progress, 1)}%)` : num(j.runtimeS, 2),
            num(j.baselineRuntimeS, 2),
            pct(j.slowdown),
            String(j.refaults),
            `${num(j.psiSomePct, 3)}%`,
          ]),
        ),
      );
    }
    if (r.controller) {
      const c = r.controller;
      parts.push(
        el(
          'p',
          { class: 'am-controller' },
          `Controller ${c.kind} on ${c.cgroup}: ${c.writes} writes, asked ${num(c.requestedMiB)} MiB, freed ${num(c.reclaimedMiB)} MiB.`,
        ),
      );
    }
    const sw = r.sweep;
    let box: HTMLElement | null = null;
    if (sw) {
      box = el(
        'figure',
        { class: 'am-chart am-sweep' },
        el(
          'figcaption',
          {},
          `Memory saved (% of ${num(sw.referenceUsageMeanMiB)} MiB) against job slowdown (%), ${sw.key}`,
        ),
      );
      parts.push(box);
      parts.push(
        table(
          `Sweep of ${sw.key}`,
          'am-sweep-table',
          [sw.key, 'saved (MiB)', 'saved', 'slowdown', 'PSI some', 'refaults'],
          sw.points.map((p) => [
            String(p.value),
            num(p.savedMiB),
            `${num(p.savedPct)}%`,
            pct(p.slowdown),
            `${num(p.psiSomePct, 3)}%`,
            String(p.refaults),
          ]),
        ),
      );
    }
    const rows = r.cgroups
      .slice(0, 40)
      .map((c) => [
        c.name,
        num(c.usageFinalMiB),
        num(c.usagePeakMiB),
        String(c.refaults),
        num(c.dirtyFinalMiB + c.writebackFinalMiB),
        num(c.writtenMiB),
        num(c.dirtyPauseMs, 0),
      ]);
    parts.push(
      table(
        r.cgroups.length > 40 ? `Cgroups (first 40 of ${r.cgroups.length})` : 'Cgroups',
        'am-cgroups',
        [
          'cgroup',
          'end (MiB)',
          'peak (MiB)',
          'refaults',
          'dirty + wb (MiB)',
          'written (MiB)',
          'dirty pause (ms)',
        ],
        rows,
      ),
    );
    this.results.replaceChildren(...parts);
    if (sw && box) {
      // x: slowdown (%), y: memory saved (%); one point per swept value, joined in sweep order.
      // uPlot draws x in ascending order.
      const pts = sw.points
        .filter((p) => p.slowdown !== null)
        .sort((a, b) => (a.slowdown as number) - (b.slowdown as number));
      const ink = getComputedStyle(this.root).color || '#222';
      const grid =
        getComputedStyle(this.root).getPropertyValue('--am-grid').trim() || 'rgba(128,128,128,0.25)';
      const opts: uPlot.Options = {
        width: Math.max(240, Math.min(640, box.clientWidth || 480)),
        height: 260,
        scales: { x: { time: false }, y: { range: [0, Math.max(1, ...pts.map((p) => p.savedPct)) * 1.1] } },
        axes: [
          { stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid }, label: 'job slowdown (%)' },
          {
            stroke: ink,
            grid: { stroke: grid },
            ticks: { stroke: grid },
            label: 'memory saved (%)',
            size: 56,
          },
        ],
        legend: { show: true },
        series: [
          { label: 'slowdown %' },
          { label: 'saved %', stroke: '#2f6fb0', width: 1.5, points: { show: true, size: 7 } },
        ],
      };
      const data: uPlot.AlignedData = [
        pts.map((p) => 100 * (p.slowdown as number)),
        pts.map((p) => p.savedPct),
      ];
      this.plot = new uPlot(opts, data, box);
    }
  }
}
