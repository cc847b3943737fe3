/**
 * The model page: pick a scenario, set its parameters, run two arms side by side in a Web Worker
 * made from a Blob (the page works from file://), and compare uPlot charts of usage and limit, PSI
 * and per-charge latency with the summary figures and findings. The URL hash holds every setting,
 * so a link reproduces the run: #scenario=S2&a=high-zstd&b=reclaim-zstd&size=quick&seed=1&set=...
 *
 * Mounts into <div id="model-app" data-scenario="S1"> and needs nothing else from the page.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './model.css';
import workerSource from './sim-worker.ts?script';
import { SCENARIOS, findScenario, armLayers, type Scenario } from '../../src/model/scenarios.ts';
import {
  PARAMS,
  ParamError,
  paramKey,
  paramSpec,
  parseParam,
  resolveParams,
  type ParamOverrides,
} from '../../src/model/params.ts';
import { PROFILE_IDS } from '../../src/model/profiles.ts';
import { checkRun } from '../../src/model/budget.ts';
import { formatBytes } from '../../src/model/units.ts';
import type { ArmResult } from '../../src/model/arm.ts';
import type { RunRequest, WorkerReply } from './protocol.ts';
import { FilePanel } from './files.ts';
import { el } from './dom.ts';

let workerBlobUrl: string | null = null;
/** The worker's Blob URL, made once for the page (both panels start workers from it). */
function workerUrl(): string {
  workerBlobUrl ??= URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  return workerBlobUrl;
}

/** Everything the hash carries. */
interface PageState {
  scenario: string;
  a: string;
  b: string;
  size: 'quick' | 'full';
  seed: number;
  profile: string;
  /** Parameter settings as typed (raw strings), keyed by parameter key. */
  set: Record<string, string>;
}

const SERIES_COLORS = ['#2f6fb0', '#c2410c', '#15803d', '#7c3aed', '#b91c1c'];

function defaultState(scenario: Scenario): PageState {
  return {
    scenario: scenario.id,
    a: scenario.compare[0],
    b: scenario.compare[1],
    size: 'quick',
    seed: 1,
    profile: '',
    set: {},
  };
}

/** Read the page state from the hash; unknown or bad values fall back to the scenario's defaults. */
export function parseHash(hash: string, fallback: string): { state: PageState; run: boolean } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const sc = findScenario(q.get('scenario') ?? '') ?? findScenario(fallback) ?? (SCENARIOS[0] as Scenario);
  const st = defaultState(sc);
  const arms = sc.arms.map((a) => a.name);
  const a = q.get('a');
  const b = q.get('b');
  if (a && arms.includes(a)) st.a = a;
  if (b && arms.includes(b)) st.b = b;
  if (q.get('size') === 'full') st.size = 'full';
  const seedText = q.get('seed') ?? '';
  const seed = Number(seedText);
  if (/^\d+$/.test(seedText) && seed <= 0xffffffff) st.seed = seed;
  const prof = q.get('profile') ?? '';
  if ((PROFILE_IDS as readonly string[]).includes(prof)) st.profile = prof;
  for (const pair of (q.get('set') ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) st.set[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { state: st, run: q.get('run') === '1' };
}

export function toHash(st: PageState, run: boolean): string {
  const q = new URLSearchParams();
  q.set('scenario', st.scenario);
  q.set('a', st.a);
  q.set('b', st.b);
  q.set('size', st.size);
  q.set('seed', String(st.seed));
  if (st.profile) q.set('profile', st.profile);
  const set = Object.entries(st.set)
    .filter(([, v]) => v.trim() !== '')
    .map(([k, v]) => `${k}=${v.trim()}`)
    .join(',');
  if (set) q.set('set', set);
  if (run) q.set('run', '1');
  return '#' + q.toString();
}

/** The user's settings as overrides, with the first error found (message names the valid range). */
function userOverrides(st: PageState): { set: ParamOverrides; error: string | null } {
  const set: ParamOverrides = {};
  for (const [k, v] of Object.entries(st.set)) {
    if (v.trim() === '') continue;
    try {
      set[paramKey(k)] = parseParam(k, v.trim());
    } catch (e) {
      return { set, error: e instanceof Error ? e.message : String(e) };
    }
  }
  if (st.profile) set['kernel.profile'] = st.profile;
  return { set, error: null };
}

/** Text shown for a parameter's effective value. */
function showValue(key: string, v: unknown): string {
  const spec = paramSpec(key);
  if (typeof v === 'number' && (spec?.kind === 'bytes' || spec?.kind === 'limit')) return formatBytes(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

class ModelApp {
  private state: PageState;
  private readonly root: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly results: HTMLElement;
  private readonly findings: HTMLElement;
  private readonly link: HTMLAnchorElement;
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private workers: Worker[] = [];
  private plots: uPlot[] = [];
  private runId = 0;

  constructor(mount: HTMLElement) {
    this.root = el('div', { class: 'am-model' });
    mount.replaceChildren(this.root);
    const { state, run } = parseHash(location.hash, mount.dataset.scenario ?? 'S1');
    this.state = state;
    this.controls = el('form', { class: 'am-controls', 'aria-label': 'Model parameters' });
    this.status = el('p', { class: 'am-status', role: 'status', 'aria-live': 'polite' });
    this.error = el('p', { class: 'am-error', role: 'alert' });
    this.results = el('div', { class: 'am-results' });
    this.findings = el('div', { class: 'am-findings' });
    this.link = el('a', { class: 'am-link', href: '#' }, 'Link to this run');
    this.runButton = el('button', { type: 'submit', class: 'am-run' }, 'Run both arms');
    this.cancelButton = el('button', { type: 'button', class: 'am-cancel', hidden: '' }, 'Cancel');
    this.cancelButton.addEventListener('click', () => this.cancel('Cancelled.'));
    this.controls.addEventListener('submit', (e) => {
      e.preventDefault();
      this.run();
    });
    this.root.append(
      this.controls,
      this.status,
      this.error,
      this.results,
      this.findings,
      el('p', {}, this.link),
    );
    const files = new FilePanel(workerUrl);
    this.root.append(files.root);
    const fileId = new URLSearchParams(location.hash.replace(/^#/, '')).get('file');
    if (fileId) files.load(fileId);
    this.renderControls();
    window.addEventListener('hashchange', () => this.onHash());
    window.addEventListener('resize', () => this.resizePlots());
    if (run) this.run();
  }

  private onHash(): void {
    const { state, run } = parseHash(location.hash, this.state.scenario);
    this.state = state;
    this.renderControls();
    if (run) this.run();
  }

  private scenario(): Scenario {
    return findScenario(this.state.scenario) ?? (SCENARIOS[0] as Scenario);
  }

  /** Parameters the arm will run with, for showing defaults and the duration. */
  private armParams(arm: string): ReturnType<typeof resolveParams> | null {
    const s = this.scenario();
    const a = s.arms.find((x) => x.name === arm);
    if (!a) return null;
    const { set, error } = userOverrides(this.state);
    if (error) return null;
    try {
      return resolveParams(...armLayers(s, a, this.state.size === 'quick', set));
    } catch {
      return null;
    }
  }

  private renderControls(): void {
    const s = this.scenario();
    const st = this.state;
    const f = this.controls;
    f.replaceChildren();
    const pick = el('select', { id: 'am-scenario', name: 'scenario' });
    for (const x of SCENARIOS) {
      const o = el('option', { value: x.id }, `${x.id} — ${x.title}`);
      if (x.id === s.id) o.selected = true;
      pick.append(o);
    }
    pick.addEventListener('change', () => {
      const next = findScenario(pick.value) ?? s;
      this.state = defaultState(next);
      this.writeHash(false);
      this.renderControls();
    });
    f.append(el('div', { class: 'am-row' }, el('label', { for: 'am-scenario' }, 'Scenario'), pick));
    const head = el('div', { class: 'am-head' });
    if (s.whatIf) head.append(el('p', { class: 'am-whatif' }, 'What-if: not kernel behaviour.'));
    head.append(
      el('p', { class: 'am-question' }, s.question),
      el('p', { class: 'am-expected' }, el('b', {}, 'Expected: '), s.expected),
    );
    const msgs = el(
      'details',
      { class: 'am-msgs' },
      el('summary', {}, `Messages whose claims it tests (${s.messageIds.length})`),
    );
    const ul = el('ul', {});
    for (const id of s.messageIds) ul.append(el('li', {}, el('code', {}, id)));
    msgs.append(ul);
    head.append(msgs);
    f.append(head);

    // Arms, size, seed, profile.
    const armSel = (which: 'a' | 'b', label: string): HTMLElement => {
      const sel = el('select', { id: `am-arm-${which}`, name: which });
      for (const a of s.arms) {
        const o = el('option', { value: a.name }, `${a.name}: ${a.title}`);
        if (a.name === st[which]) o.selected = true;
        sel.append(o);
      }
      sel.addEventListener('change', () => {
        this.state[which] = sel.value;
        this.writeHash(false);
      });
      return el('div', { class: 'am-row' }, el('label', { for: sel.id }, label), sel);
    };
    const size = el('select', { id: 'am-size', name: 'size' });
    for (const [v, t] of [
      ['quick', 'quick (smaller, the page default)'],
      ['full', 'full (the spec’s size; slower)'],
    ] as const) {
      const o = el('option', { value: v }, t);
      if (st.size === v) o.selected = true;
      size.append(o);
    }
    size.addEventListener('change', () => {
      this.state.size = size.value === 'full' ? 'full' : 'quick';
      this.writeHash(false);
      this.renderControls();
    });
    const seed = el('input', {
      id: 'am-seed',
      name: 'seed',
      type: 'number',
      min: '0',
      max: '4294967295',
      step: '1',
      value: String(st.seed),
    });
    seed.addEventListener('change', () => {
      const n = Number(seed.value);
      if (Number.isInteger(n) && n >= 0 && n <= 0xffffffff) this.state.seed = n;
      this.writeHash(false);
    });
    const prof = el('select', { id: 'am-profile', name: 'profile' });
    prof.append(el('option', { value: '' }, 'as the scenario sets it'));
    for (const p of PROFILE_IDS) {
      const o = el('option', { value: p }, p);
      if (st.profile === p) o.selected = true;
      prof.append(o);
    }
    prof.addEventListener('change', () => {
      this.state.profile = prof.value;
      this.writeHash(false);
    });
    f.append(
      el(
        'fieldset',
        { class: 'am-grid' },
        el('legend', {}, 'Run'),
        armSel('a', 'Left arm'),
        armSel('b', 'Right arm'),
        el('div', { class: 'am-row' }, el('label', { for: 'am-size' }, 'Size'), size),
        el('div', { class: 'am-row' }, el('label', { for: 'am-seed' }, 'Seed'), seed),
        el('div', { class: 'am-row' }, el('label', { for: 'am-profile' }, 'Kernel profile'), prof),
      ),
    );

    // The scenario's parameters, showing the value the left arm would use.
    const params = this.armParams(st.a);
    const grid = el('fieldset', { class: 'am-grid' }, el('legend', {}, 'Parameters (both arms)'));
    for (const key of s.controls) {
      const spec = paramSpec(key);
      // The profile has its own selector above.
      if (!spec || key === 'kernel.profile') continue;
      const id = `am-p-${key.replace(/\W/g, '-')}`;
      const current = st.set[key] ?? '';
      const shown = params ? showValue(key, params[key]) : '';
      let input: HTMLInputElement | HTMLSelectElement;
      if (spec.kind === 'enum') {
        input = el('select', { id, name: key });
        input.append(el('option', { value: '' }, `default (${shown})`));
        for (const c of spec.choices ?? []) {
          const o = el('option', { value: c }, c);
          if (current === c) o.selected = true;
          input.append(o);
        }
      } else {
        input = el('input', {
          id,
          name: key,
          type: 'text',
          inputmode: 'decimal',
          placeholder: shown,
          value: current,
        });
      }
      input.addEventListener('change', () => {
        this.state.set[key] = input.value;
        this.writeHash(false);
      });
      const unit = spec.unit && spec.kind !== 'enum' ? ` (${spec.unit})` : '';
      grid.append(
        el(
          'div',
          { class: 'am-row', title: `${spec.help} ${spec.source}` },
          el('label', { for: id }, `${key}${unit}`),
          input,
        ),
      );
    }
    // Anything else, as key=value lines.
    const extra = el('textarea', {
      id: 'am-extra',
      name: 'extra',
      rows: '2',
      spellcheck: 'false',
      placeholder: 'cost.t_compress=6\nworkload.hotHz=2',
    });
    const controlKeys: readonly string[] = s.controls;
    extra.value = Object.entries(st.set)
      .filter(([k]) => !controlKeys.includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
    extra.addEventListener('change', () => {
      for (const k of Object.keys(this.state.set)) if (!controlKeys.includes(k)) delete this.state.set[k];
      for (const line of extra.value.split(/\n|,/)) {
        const eq = line.indexOf('=');
        if (eq > 0) this.state.set[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
      }
      this.writeHash(false);
    });
    grid.append(
      el(
        'div',
        { class: 'am-row am-wide' },
        el('label', { for: 'am-extra' }, `Other parameters (${PARAMS.length} in all; key=value per line)`),
        extra,
      ),
    );
    f.append(grid);
    f.append(el('div', { class: 'am-buttons' }, this.runButton, this.cancelButton));
    this.writeHash(false);
  }

  private writeHash(run: boolean): void {
    const h = toHash(this.state, run);
    this.link.href = toHash(this.state, true);
    if (location.hash !== h) history.replaceState(null, '', h);
  }

  private cancel(message: string): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.runId++;
    this.runButton.disabled = false;
    this.cancelButton.hidden = true;
    this.status.textContent = message;
  }

  private run(): void {
    const s = this.scenario();
    const st = this.state;
    this.error.textContent = '';
    const { set, error } = userOverrides(st);
    if (error) {
      this.error.textContent = error;
      return;
    }
    const names = [st.a, st.b];
    const durations: number[] = [];
    try {
      for (const name of names) {
        const arm = s.arms.find((a) => a.name === name);
        if (!arm) throw new ParamError(`unknown arm ${name}; valid: ${s.arms.map((a) => a.name).join(', ')}`);
        const p = resolveParams(...armLayers(s, arm, st.size === 'quick', set));
        // Refuse oversized runs before starting a worker.
        checkRun(p);
        durations.push(Number(p['sim.duration']));
      }
    } catch (e) {
      this.error.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    this.cancel('');
    this.writeHash(false);
    const id = ++this.runId;
    this.runButton.disabled = true;
    this.cancelButton.hidden = false;
    const results: (ArmResult | null)[] = [null, null];
    const progress = [0, 0];
    const t0 = performance.now();
    const show = (): void => {
      this.status.textContent = names
        .map(
          (n, i) =>
            `${n}: ${Math.min(progress[i] ?? 0, durations[i] ?? 0).toFixed(0)} of ${durations[i]} s simulated`,
        )
        .join(' · ');
    };
    show();
    names.forEach((name, i) => {
      const w = new Worker(workerUrl());
      this.workers.push(w);
      w.onmessage = (e: MessageEvent<WorkerReply>): void => {
        const m = e.data;
        if (id !== this.runId) return;
        if (m.type === 'progress') {
          progress[i] = m.simulatedS;
          show();
        } else if (m.type === 'error') {
          this.cancel('');
          this.error.textContent = `${name}: ${m.message}`;
        } else if (m.type === 'result') {
          results[i] = m.arm;
          progress[i] = durations[i] ?? 0;
          w.terminate();
          if (results[0] && results[1]) {
            this.cancel(
              `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s (${st.size} size, seed ${st.seed}).`,
            );
            this.render(s, results[0], results[1]);
          } else show();
        }
      };
      w.onerror = (e): void => {
        if (id !== this.runId) return;
        this.cancel('');
        this.error.textContent = `${name}: ${e.message || 'the worker failed'}`;
      };
      const req: RunRequest = {
        id,
        scenario: s.id,
        arm: name,
        quick: st.size === 'quick',
        seed: st.seed,
        set,
      };
      w.postMessage(req);
    });
  }

  private render(s: Scenario, a: ArmResult, b: ArmResult): void {
    for (const p of this.plots) p.destroy();
    this.plots = [];
    const cols = [a, b].map((r) =>
      el(
        'section',
        { class: 'am-arm', 'aria-label': `Arm ${r.name}` },
        el('h3', {}, `${r.name}: ${r.title}`),
      ),
    );
    this.results.replaceChildren(...cols);
    // One y range per chart across both arms, so the two columns compare at a glance.
    const charts: { title: string; keys: [string, string][]; log?: boolean; unit: string }[] = [
      {
        title: 'Memory (MiB)',
        unit: 'MiB',
        keys: [
          ['usage_mib', 'memory.current'],
          ['high_mib', 'memory.high'],
          ['zswap_mib', 'zswap pool'],
          ['agent_mib', 'agent limit/ask'],
        ],
      },
      {
        title: 'PSI memory pressure (%)',
        unit: '%',
        keys: [
          ['psi_some_pct', 'some'],
          ['psi_full_pct', 'full'],
          ['some_avg10', 'some avg10'],
        ],
      },
      {
        title: 'Worst charge latency per interval (µs, log)',
        unit: 'µs',
        log: true,
        keys: a.series.req_max_us?.some((v) => (v ?? 0) > 0)
          ? [
              ['lat_max_us', 'charge'],
              ['req_max_us', 'request'],
            ]
          : [['lat_max_us', 'charge']],
      },
    ];
    for (const chart of charts) {
      let hi = 0;
      for (const r of [a, b])
        for (const [k] of chart.keys) for (const v of r.series[k] ?? []) if (v !== null && v > hi) hi = v;
      [a, b].forEach((r, i) => {
        const box = el('figure', { class: 'am-chart' }, el('figcaption', {}, chart.title));
        (cols[i] as HTMLElement).append(box);
        const x = (r.series.t_s ?? []).map((v) => v ?? 0);
        const data: (number | null)[][] = [x];
        const series: uPlot.Series[] = [{ label: 's' }];
        chart.keys.forEach(([k, label], j) => {
          const ys = (r.series[k] ?? []).map((v) => (chart.log && (v === null || v <= 0) ? null : v));
          if (!ys.some((v) => v !== null)) return;
          data.push(ys);
          series.push({
            label,
            stroke: SERIES_COLORS[j % SERIES_COLORS.length],
            width: 1.5,
            spanGaps: false,
          });
        });
        const ink = getComputedStyle(this.root).color || '#222';
        const grid =
          getComputedStyle(this.root).getPropertyValue('--am-grid').trim() || 'rgba(128,128,128,0.25)';
        const opts: uPlot.Options = {
          width: Math.max(240, box.clientWidth || 320),
          height: 200,
          scales: {
            x: { time: false },
            y: chart.log
              ? { distr: 3, range: [0.1, Math.max(10, hi * 1.2)] }
              : { range: [0, Math.max(1e-3, hi * 1.05)] },
          },
          axes: [
            { stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid }, label: 'simulated s' },
            chart.log
              ? {
                  stroke: ink,
                  grid: { stroke: grid },
                  ticks: { stroke: grid },
                  size: 56,
                  splits: decades,
                  values: (_u, v) => v.map((x) => (x === null || x === undefined ? '' : shortNumber(x))),
                }
              : { stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid }, size: 56 },
          ],
          legend: { show: true },
          series,
        };
        this.plots.push(new uPlot(opts, data as uPlot.AlignedData, box));
      });
    }
    [a, b].forEach((r, i) => (cols[i] as HTMLElement).append(summaryTable(r)));
    const list = el('ul', {});
    for (const f of s.findings([a, b])) list.append(el('li', {}, f.text));
    this.findings.replaceChildren(el('h3', {}, 'Findings'), list);
  }

  private resizePlots(): void {
    for (const p of this.plots) {
      const w = (p.root.parentElement as HTMLElement | null)?.clientWidth ?? 0;
      if (w > 0 && Math.abs(w - p.width) > 8) p.setSize({ width: Math.max(240, w), height: 200 });
    }
  }
}

/** Ticks at powers of ten only: a log axis over eight decades stays legible in 180 px. */
function decades(_u: uPlot, _axis: number, min: number, max: number): number[] {
  const out: number[] = [];
  const lo = Math.ceil(Math.log10(Math.max(min, 1e-3)));
  const hi = Math.floor(Math.log10(Math.max(max, 1e-3)));
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 4));
  for (let k = lo; k <= hi; k += step) out.push(10 ** k);
  return out;
}

function shortNumber(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

function fmt(v: number | null | undefined, d = 1): string {
  return v === null || v === undefined ? '–' : v.toFixed(d);
}

/** The summary figures that answer "who pays". */
function summaryTable(r: ArmResult): HTMLElement {
  const s = r.summary;
  const rows: [string, string][] = [
    ['Reclaim CPU in the workload', `${fmt(s.whoPays.workloadReclaimMs, 0)} ms`],
    ['Throttle sleeps', `${s.workload.throttleCount} (${fmt(s.workload.throttleMs, 0)} ms)`],
    ['Reclaim CPU in the agent', `${fmt(s.whoPays.agentReclaimMs, 0)} ms`],
    ['memory.events high', String(s.events.high ?? 0)],
    ['PSI some total / avg10 peak', `${fmt(s.psi.someTotalMs, 0)} ms / ${fmt(s.psi.someAvg10Max, 2)}%`],
    [
      'Charge latency p99.9 / max',
      `${fmt(s.workload.chargeP999Us, 0)} / ${fmt(s.workload.chargeMaxUs, 0)} µs`,
    ],
    ['memory.current max / end', `${fmt(s.memory.usageMaxMiB, 0)} / ${fmt(s.memory.usageFinalMiB, 0)} MiB`],
    [
      'Refaults (anon + file)',
      String((s.stats.workingset_refault_anon ?? 0) + (s.stats.workingset_refault_file ?? 0)),
    ],
  ];
  if (s.rpc) rows.push(['Request p99 / p99.9', `${fmt(s.rpc.p99Us, 0)} / ${fmt(s.rpc.p999Us, 0)} µs`]);
  if (s.agent) {
    const rc = Object.entries(s.agent.rc)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    rows.push(['Agent writes', `${s.agent.writes} (${rc})`]);
    rows.push([
      'Agent asked / freed',
      `${fmt(s.agent.requestedMiB, 0)} / ${fmt(s.agent.reclaimedMiB, 0)} MiB`,
    ]);
  }
  const table = el('table', { class: 'am-summary' }, el('caption', {}, `Summary of ${r.name}`));
  const body = el('tbody', {});
  for (const [k, v] of rows) body.append(el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v)));
  table.append(body);
  return table;
}

function mount(): void {
  const host = document.getElementById('model-app');
  if (!host || host.dataset.mounted === '1') return;
  host.dataset.mounted = '1';
  new ModelApp(host);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
