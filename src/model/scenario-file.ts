/**
 * Scenario files (issue 13 item 3): a cgroup tree with a workload per cgroup, control-file writes
 * at given times, a kernel profile and model parameters, as JSON (or YAML: scenario-text.ts turns
 * that into the same document, and keeps the YAML parser out of the page's worker). This module parses and validates
 * a file strictly (every error names the JSON path of the bad field) and expands it (counts,
 * repeats) into a plain description that tree-run.ts builds and runs. Engine-free and pure, so the
 * page can validate a file before it starts a worker.
 *
 * The input is untrusted: every size, count and duration has a named limit below, each with the
 * threat it guards against. Trees are walked with explicit stacks, never by recursion.
 */
import { PAGE_SIZE } from './formulas.ts';
import { PROFILE_IDS } from './profiles.ts';
import {
  AGENT_KINDS,
  ParamError,
  parseParam,
  paramSpec,
  type ParamKey,
  type ParamOverrides,
} from './params.ts';
import { parseBytes } from './units.ts';

/** The format tag every file carries, so a later incompatible format is refused by name. */
export const SCENARIO_FORMAT = 'argmap-reclaim-scenario/1';

/**
 * Named limits. Each guards a way a hostile or careless file could hang or exhaust the CLI or the
 * browser tab before the run budget (tree-run.ts) is even computed.
 */
export const SCENARIO_LIMITS = {
  /** Bytes of file text: JSON.parse is linear, but a 100 MB file would still pin a tab. */
  maxFileBytes: 1 << 20,
  /** Nesting of the document itself (objects and arrays, JSON or YAML): deep nesting is a stack-exhaustion vector for naive walkers (YAML's composer recurses). */
  maxJsonDepth: 64,
  /**
   * Alias expansions of a YAML file, as the yaml package counts them (uses of an anchor, times the
   * aliases nested inside it). The billion-laughs attack: ten anchors, each a list of ten aliases to
   * the one before, is under a kilobyte of text and 10^9 leaves once walked. A scenario needs few
   * aliases (`count` makes copies), so the cap is small.
   */
  maxYamlAliases: 32,
  /**
   * Bytes of a YAML file: the yaml package reads dense text (a list of small numbers, nested flow
   * lists) at about 200 KB a second here, where JSON.parse takes milliseconds for maxFileBytes, and
   * the page parses on its main thread. 128 KiB is a 1 024-cgroup tree written out; `count` and
   * `repeat` make larger ones from less.
   */
  maxYamlBytes: 128 * 1024,
  /** Cgroups after expanding `count`: page arrays store the cgroup id in 16 bits, and each reclaim pass is linear in the subtree. */
  maxCgroups: 1024,
  /** Levels below the file's top cgroup: a deep chain multiplies protection and charge walks (every charge walks its ancestry). */
  maxDepth: 16,
  /** `count` of one node: expansion is the one place a small file turns into a large tree. */
  maxCount: 1024,
  /** Workload threads over the whole tree: each is a scheduler actor visited on every step. */
  maxThreads: 1024,
  /** Simulated seconds: a day, the same ceiling as sim.duration. */
  maxDurationS: 86400,
  /** Writes after expanding `repeat`: each is a syscall with an output record. */
  maxWrites: 10000,
  /** Simulated memory of all workloads, pages (16 GiB): the page store costs about 51 bytes per page. */
  maxPages: 4 * 1024 * 1024,
  /** Processes of all builds: each is a task whose PSI state every integration step visits. */
  maxBuildProcs: 4096,
  /** Values of a sweep: each is one more full run of the file. */
  maxSweepValues: 32,
  /** Length of a cgroup name (the kernel allows 255; names end up in every output row). */
  maxNameLength: 64,
  /** Length of the title and description texts. */
  maxTextLength: 2000,
} as const;

/** Files a scenario write may target. `global` is reclaim at the root (kswapd or direct), not a file. */
export const SCENARIO_WRITE_FILES = [
  'memory.reclaim',
  'memory.high',
  'memory.max',
  'memory.low',
  'memory.min',
  'global',
] as const;
export type ScenarioWriteFile = (typeof SCENARIO_WRITE_FILES)[number];

/** Who does global reclaim: kswapd (full walks, the whole remainder per call) or a direct reclaimer (32-page calls). */
export const GLOBAL_RECLAIMERS = ['kswapd', 'direct'] as const;
export type GlobalReclaimer = (typeof GLOBAL_RECLAIMERS)[number];

/** A workload of one cgroup, sizes in pages. */
export interface TreeWorkload {
  hot: number;
  hotHz: number;
  cold: number;
  coldAged: boolean;
  file: number;
  fileHz: number;
  growth: number;
  /** Accesses per page per second of the grown pages once allocated (0: written once, never reused). */
  growthHz: number;
  growthAtS: number;
  growthSecs: number;
  threads: number;
  /**
   * A fixed-work job: µs of useful CPU each thread must do before the job is complete (its process
   * then exits); null for a service that runs for the whole scenario.
   */
  workUs: number | null;
  /** A build-like workload of short-lived processes; null for none. */
  build: TreeBuild | null;
}

/**
 * A build (make -jN): `procs` short-lived processes, `parallel` at a time, each doing `cpuUs` of
 * useful CPU while it allocates `anon` pages (touched at anonHz, freed at exit) and writes `write`
 * pages of page cache (dirty until the flusher writes them; they outlive the process), and reads
 * `read` page accesses spread over `sources` pages of shared page cache (resident at start).
 * Sizes in pages.
 */
export interface TreeBuild {
  procs: number;
  parallel: number;
  cpuUs: number;
  anon: number;
  anonHz: number;
  write: number;
  sources: number;
  read: number;
}

/** One cgroup of the expanded tree; limits in pages (Infinity for "max"). */
export interface TreeNode {
  /** Path from the file's top cgroup, names joined with "/" (the top cgroup's path is its name). */
  path: string;
  name: string;
  /** Index of the parent in `ScenarioFile.nodes` (-1 for the top cgroup, whose parent is the root). */
  parent: number;
  depth: number;
  high: number;
  max: number;
  low: number;
  min: number;
  swapMax: number;
  workload: TreeWorkload | null;
}

/** One expanded write. */
export interface TreeWrite {
  atS: number;
  /** Index into nodes (-1 for global reclaim, which targets the root). */
  node: number;
  file: ScenarioWriteFile;
  value: string;
  reclaimer: GlobalReclaimer;
  /** The path in the file of the write this came from (for messages). */
  source: string;
}

/**
 * A user-space controller (agents.ts) on one cgroup of the tree: Senpai on memory.high, the TMO
 * law on memory.reclaim, and the other agents of A9, with their agent.* parameters.
 */
export interface TreeController {
  /** Index into nodes. */
  node: number;
  kind: string;
  set: ParamOverrides;
}

/** Run the file once per value of one parameter (an agent.* key of the controller, or a settable key). */
export interface TreeSweep {
  key: ParamKey;
  values: number[];
}

/** A validated, expanded scenario file. */
export interface ScenarioFile {
  title: string;
  description: string;
  profile: string;
  seed: number;
  durationS: number;
  /** Model parameters the file sets (sim., kernel., cost., swap., whatif. keys). */
  set: ParamOverrides;
  /** Pre-order: a parent comes before its children, siblings in file order. */
  nodes: TreeNode[];
  writes: TreeWrite[];
  controller: TreeController | null;
  sweep: TreeSweep | null;
}

/** A validation failure at a JSON path ("$.tree.children[3].workload.hot"). */
export class ScenarioFileError extends ParamError {
  constructor(
    readonly path: string,
    /** The message without the path. */
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'ScenarioFileError';
  }
}

/** Parameter prefixes a file may set; the tree replaces the workload, tree, agent and neighbour keys. */
const SETTABLE_PREFIXES = ['sim.', 'kernel.', 'cost.', 'swap.', 'whatif.'];
/** Keys the file sets in its own fields (or that make no sense with a tree of workloads). */
const RESERVED_KEYS = new Set(['sim.duration', 'kernel.profile']);

const TOP_KEYS = [
  'format',
  'title',
  'description',
  'profile',
  'seed',
  'duration',
  'set',
  'tree',
  'writes',
  'controller',
  'sweep',
];
const CONTROLLER_KEYS = ['cgroup', 'kind', 'set'];
const SWEEP_KEYS = ['key', 'values'];
/** Agents a scenario file can run as its controller (oneshot is what `writes` are for). */
export const CONTROLLER_KINDS = AGENT_KINDS.filter((k) => k !== 'none' && k !== 'oneshot');
const NODE_KEYS = ['name', 'count', 'high', 'max', 'low', 'min', 'swapMax', 'workload', 'children'];
const WORKLOAD_KEYS = [
  'hot',
  'hotHz',
  'cold',
  'coldAged',
  'file',
  'fileHz',
  'growth',
  'growthHz',
  'growthAt',
  'growthSecs',
  'threads',
  'work',
  'build',
];
const BUILD_KEYS = ['procs', 'parallel', 'cpu', 'anon', 'anonHz', 'write', 'sources', 'read'];
const WRITE_KEYS = ['at', 'cgroup', 'file', 'value', 'every', 'repeat', 'reclaimer'];
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, message: string): never {
  throw new ScenarioFileError(path, message);
}

function obj(v: Json | undefined, path: string, keys: readonly string[]): Obj {
  if (!isObj(v)) fail(path, `must be an object, got ${kind(v)}`);
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) fail(`${path}.${k}`, `unknown field; valid: ${keys.join(', ')}`);
  }
  return v;
}

function kind(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

function text(v: Json | undefined, path: string, max: number, def?: string): string {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'string') fail(path, `must be a string, got ${kind(v)}`);
  if (v.length > max) fail(path, `is longer than ${max} characters`);
  return v;
}

function number(v: Json | undefined, path: string, min: number, max: number, def?: number): number {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `must be a number, got ${kind(v)}`);
  if (v < min || v > max) fail(path, `must be from ${min} to ${max}, got ${v}`);
  return v;
}

function integer(v: Json | undefined, path: string, min: number, max: number, def?: number): number {
  const n = number(v, path, min, max, def);
  if (!Number.isInteger(n)) fail(path, `must be a whole number, got ${n}`);
  return n;
}

function boolean(v: Json | undefined, path: string, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') fail(path, `must be true or false, got ${kind(v)}`);
  return v;
}

/** A size in bytes (a number, or a string like "64M"), returned in whole pages; "max" only if allowed. */
function size(v: Json | undefined, path: string, allowMax: boolean, def: number): number {
  if (v === undefined) return def;
  if (v === 'max') {
    if (!allowMax) fail(path, 'cannot be "max"');
    return Infinity;
  }
  const bytes = typeof v === 'number' ? v : typeof v === 'string' ? parseBytes(v) : NaN;
  if (!Number.isFinite(bytes) || bytes < 0)
    fail(path, `must be a size in bytes such as 67108864 or "64M"${allowMax ? ' or "max"' : ''}`);
  const pages = Math.floor(bytes / PAGE_SIZE);
  if (pages > SCENARIO_LIMITS.maxPages * 16) fail(path, 'is far above any size a scenario can simulate');
  return pages;
}

/** Seconds: a number, or a string with an s, m or h suffix. */
function seconds(v: Json | undefined, path: string, min: number, max: number, def?: number): number {
  if (v === undefined && def !== undefined) return def;
  let s: number;
  if (typeof v === 'number') s = v;
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(v);
    s = m ? Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1) : NaN;
  } else s = NaN;
  if (!Number.isFinite(s)) fail(path, 'must be a number of seconds or a string such as "90s", "15m", "1h"');
  if (s < min || s > max) fail(path, `must be from ${min} to ${max} seconds, got ${s}`);
  return s;
}

/** Reject documents nested deeper than the limit, iteratively (before anything else walks them). */
function checkJsonDepth(root: unknown): void {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d > SCENARIO_LIMITS.maxJsonDepth)
      fail('$', `is nested deeper than ${SCENARIO_LIMITS.maxJsonDepth} levels`);
    for (const c of Object.values(v as object)) stack.push([c, d + 1]);
  }
}

function parseWorkload(v: Json | undefined, path: string): TreeWorkload | null {
  if (v === undefined) return null;
  const w = obj(v, path, WORKLOAD_KEYS);
  const hot = size(w.hot, `${path}.hot`, false, 0);
  const growth = size(w.growth, `${path}.growth`, false, 0);
  const out: TreeWorkload = {
    hot,
    hotHz: number(w.hotHz, `${path}.hotHz`, 0, 1000, 1),
    cold: size(w.cold, `${path}.cold`, false, 0),
    coldAged: boolean(w.coldAged, `${path}.coldAged`, false),
    file: size(w.file, `${path}.file`, false, 0),
    fileHz: number(w.fileHz, `${path}.fileHz`, 0, 1000, 0.1),
    growth,
    growthHz: number(w.growthHz, `${path}.growthHz`, 0, 1000, 0),
    growthAtS: seconds(w.growthAt, `${path}.growthAt`, 0, SCENARIO_LIMITS.maxDurationS, 0),
    growthSecs: seconds(w.growthSecs, `${path}.growthSecs`, 0.001, SCENARIO_LIMITS.maxDurationS, 60),
    threads: integer(w.threads, `${path}.threads`, 0, 64, 1),
    build: null,
    workUs:
      w.work === undefined
        ? null
        : seconds(w.work, `${path}.work`, 0.001, SCENARIO_LIMITS.maxDurationS) * 1e6,
  };
  if (out.workUs !== null && out.threads === 0)
    fail(`${path}.work`, 'a job needs threads ≥ 1 to do its work');
  out.build = parseBuild(w.build, `${path}.build`);
  if (out.build) {
    if (w.threads !== undefined || w.work !== undefined || w.growth !== undefined)
      fail(`${path}.build`, 'a build runs its own processes; leave threads, work and growth out');
    // The make process holds the other regions; only the compiles run.
    out.threads = 0;
  }
  if (out.threads === 0 && (out.hot > 0 || out.file > 0) && (out.hotHz > 0 || out.fileHz > 0)) {
    // Accesses need a thread; an idle cgroup (threads 0) keeps its memory untouched.
    out.hotHz = 0;
    out.fileHz = 0;
  }
  if (out.threads === 0 && growth > 0) fail(`${path}.growth`, 'needs threads ≥ 1 to allocate');
  return out;
}

function parseBuild(v: Json | undefined, path: string): TreeBuild | null {
  if (v === undefined) return null;
  const b = obj(v, path, BUILD_KEYS);
  const procs = integer(b.procs, `${path}.procs`, 1, SCENARIO_LIMITS.maxBuildProcs);
  const out: TreeBuild = {
    procs,
    parallel: integer(b.parallel, `${path}.parallel`, 1, 64, 1),
    cpuUs: seconds(b.cpu, `${path}.cpu`, 0.001, SCENARIO_LIMITS.maxDurationS) * 1e6,
    anon: size(b.anon, `${path}.anon`, false, 0),
    anonHz: number(b.anonHz, `${path}.anonHz`, 0, 1000, 1),
    write: size(b.write, `${path}.write`, false, 0),
    sources: size(b.sources, `${path}.sources`, false, 0),
    read: size(b.read, `${path}.read`, false, 0),
  };
  if (out.read > 0 && out.sources === 0) fail(`${path}.read`, 'needs sources to read from');
  return out;
}

/** Refuse a file text above `maxFileBytes`, before any parser sees it. */
export function checkFileSize(textIn: string): void {
  if (textIn.length > SCENARIO_LIMITS.maxFileBytes)
    fail('$', `the file is larger than ${SCENARIO_LIMITS.maxFileBytes} bytes`);
}

/** A JSON file's text as a document (the size limit first); a syntax error is at "$". */
function readJsonText(textIn: string): unknown {
  checkFileSize(textIn);
  try {
    return JSON.parse(textIn) as unknown;
  } catch (e) {
    fail('$', `not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Validate a parsed document, whatever it was parsed from (JSON here, YAML in scenario-text.ts, an
 * object posted to the page's worker): the nesting limit, then validateScenario. Every document
 * takes this one path, so a format can never loosen a check.
 */
export function validateDocument(doc: unknown): ScenarioFile {
  checkJsonDepth(doc);
  return validateScenario(doc as Json);
}

/** Parse and validate a JSON scenario file's text. Throws ScenarioFileError naming the bad field. */
export function parseScenarioFile(textIn: string): ScenarioFile {
  return validateDocument(readJsonText(textIn));
}

/** Validate an already-parsed document (the page hands over an object). */
export function validateScenario(doc: Json): ScenarioFile {
  const top = obj(doc, '$', TOP_KEYS);
  if (top.format !== SCENARIO_FORMAT)
    fail('$.format', `must be ${JSON.stringify(SCENARIO_FORMAT)}, got ${JSON.stringify(top.format ?? null)}`);
  const title = text(top.title, '$.title', SCENARIO_LIMITS.maxTextLength, 'scenario file');
  const description = text(top.description, '$.description', SCENARIO_LIMITS.maxTextLength, '');
  const profile = text(top.profile, '$.profile', 64, 'current');
  if (!(PROFILE_IDS as readonly string[]).includes(profile))
    fail('$.profile', `unknown profile ${JSON.stringify(profile)}; valid: ${PROFILE_IDS.join(', ')}`);
  const seed = integer(top.seed, '$.seed', 0, 0xffffffff, 1);
  const durationS = seconds(top.duration, '$.duration', 0.1, SCENARIO_LIMITS.maxDurationS);

  const set: ParamOverrides = {};
  if (top.set !== undefined) {
    if (!isObj(top.set)) fail('$.set', `must be an object of parameter: value, got ${kind(top.set)}`);
    for (const [k, v] of Object.entries(top.set)) {
      const path = `$.set[${JSON.stringify(k)}]`;
      if (!SETTABLE_PREFIXES.some((p) => k.startsWith(p)))
        fail(
          path,
          `only ${SETTABLE_PREFIXES.map((p) => p + '*').join(', ')} parameters can be set; the tree replaces the rest`,
        );
      if (RESERVED_KEYS.has(k)) fail(path, 'is set by the file itself ($.duration, $.profile)');
      if (!paramSpec(k)) fail(path, 'unknown parameter; see: argmap model params');
      if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean')
        fail(path, `must be a number, string or boolean, got ${kind(v)}`);
      try {
        set[k as ParamKey] = parseParam(k, v);
      } catch (e) {
        fail(path, (e as Error).message);
      }
    }
  }

  // The tree, expanded iteratively in pre-order.
  const nodes: TreeNode[] = [];
  const byPath = new Map<string, number>();
  let threads = 0;
  let pages = 0;
  let buildProcs = 0;
  type Item = { v: Json | undefined; path: string; parent: number; depth: number; copy?: string };
  const stack: Item[] = [{ v: top.tree, path: '$.tree', parent: -1, depth: 0 }];
  while (stack.length) {
    const it = stack.pop() as Item;
    const n = obj(it.v, it.path, NODE_KEYS);
    const name = text(n.name, `${it.path}.name`, SCENARIO_LIMITS.maxNameLength);
    if (!NAME_RE.test(name))
      fail(`${it.path}.name`, 'must be letters, digits, "_", "." or "-", not starting with "." or "-"');
    if (it.depth > SCENARIO_LIMITS.maxDepth)
      fail(it.path, `is deeper than ${SCENARIO_LIMITS.maxDepth} levels below the top cgroup`);
    const count =
      n.count === undefined ? 0 : integer(n.count, `${it.path}.count`, 1, SCENARIO_LIMITS.maxCount);
    if (it.parent < 0 && count > 0) fail(`${it.path}.count`, 'the top cgroup is one cgroup');
    const limits = {
      high: size(n.high, `${it.path}.high`, true, Infinity),
      max: size(n.max, `${it.path}.max`, true, Infinity),
      low: size(n.low, `${it.path}.low`, true, 0),
      min: size(n.min, `${it.path}.min`, true, 0),
      swapMax: size(n.swapMax, `${it.path}.swapMax`, true, Infinity),
    };
    const workload = parseWorkload(n.workload, `${it.path}.workload`);
    let children: Json[] = [];
    if (n.children !== undefined) {
      if (!Array.isArray(n.children))
        fail(`${it.path}.children`, `must be an array, got ${kind(n.children)}`);
      children = n.children;
    }
    if (count > 0 && it.copy === undefined) {
      // One stack item per copy, so each copy's subtree follows it in pre-order.
      if (nodes.length + count > SCENARIO_LIMITS.maxCgroups)
        fail(it.path, `the tree has more than ${SCENARIO_LIMITS.maxCgroups} cgroups`);
      for (let i = count - 1; i >= 0; i--) stack.push({ ...it, copy: `${name}${i}` });
      continue;
    }
    const parentPath = it.parent >= 0 ? (nodes[it.parent] as TreeNode).path + '/' : '';
    const made: number[] = [];
    {
      const nm = it.copy ?? name;
      const path = parentPath + nm;
      if (byPath.has(path)) fail(`${it.path}.name`, `cgroup ${JSON.stringify(path)} appears twice`);
      if (nodes.length >= SCENARIO_LIMITS.maxCgroups)
        fail(it.path, `the tree has more than ${SCENARIO_LIMITS.maxCgroups} cgroups`);
      if (workload) {
        threads += workload.threads;
        pages += workload.hot + workload.cold + workload.file + workload.growth;
        const b = workload.build;
        if (b) {
          threads += b.parallel;
          buildProcs += b.procs;
          pages += b.sources + b.procs * (b.anon + b.write);
          if (buildProcs > SCENARIO_LIMITS.maxBuildProcs)
            fail(
              `${it.path}.workload.build.procs`,
              `the tree has more than ${SCENARIO_LIMITS.maxBuildProcs} build processes`,
            );
        }
        if (threads > SCENARIO_LIMITS.maxThreads)
          fail(`${it.path}.workload.threads`, `the tree has more than ${SCENARIO_LIMITS.maxThreads} threads`);
        if (pages > SCENARIO_LIMITS.maxPages)
          fail(
            `${it.path}.workload`,
            `the workloads need more than ${SCENARIO_LIMITS.maxPages} pages (${(SCENARIO_LIMITS.maxPages * PAGE_SIZE) / 1024 ** 3} GiB)`,
          );
      }
      byPath.set(path, nodes.length);
      made.push(nodes.length);
      nodes.push({ path, name: nm, parent: it.parent, depth: it.depth, ...limits, workload });
    }
    // Push the children in reverse so the stack pops them in file order; a node's children are
    // expanded before its next sibling, so the list stays pre-order.
    for (let c = made.length - 1; c >= 0; c--) {
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push({
          v: children[i],
          path: `${it.path}.children[${i}]`,
          parent: made[c] as number,
          depth: it.depth + 1,
        });
      }
    }
  }

  const writes: TreeWrite[] = [];
  if (top.writes !== undefined) {
    if (!Array.isArray(top.writes)) fail('$.writes', `must be an array, got ${kind(top.writes)}`);
    top.writes.forEach((wv, i) => {
      const path = `$.writes[${i}]`;
      const w = obj(wv, path, WRITE_KEYS);
      const file = text(w.file, `${path}.file`, 32) as ScenarioWriteFile;
      if (!(SCENARIO_WRITE_FILES as readonly string[]).includes(file))
        fail(
          `${path}.file`,
          `unknown file ${JSON.stringify(file)}; valid: ${SCENARIO_WRITE_FILES.join(', ')}`,
        );
      let node = -1;
      if (file === 'global') {
        if (w.cgroup !== undefined)
          fail(`${path}.cgroup`, 'global reclaim starts at the root; leave cgroup out');
      } else {
        const cg = text(w.cgroup, `${path}.cgroup`, 4096);
        const found = byPath.get(cg);
        if (found === undefined)
          fail(
            `${path}.cgroup`,
            `no cgroup ${JSON.stringify(cg)} in the tree (paths look like ${JSON.stringify(nodes[nodes.length - 1]?.path ?? '')})`,
          );
        node = found;
      }
      const reclaimer = text(w.reclaimer, `${path}.reclaimer`, 16, 'kswapd') as GlobalReclaimer;
      if (w.reclaimer !== undefined && file !== 'global') fail(`${path}.reclaimer`, 'only for file "global"');
      if (!(GLOBAL_RECLAIMERS as readonly string[]).includes(reclaimer))
        fail(`${path}.reclaimer`, `must be one of ${GLOBAL_RECLAIMERS.join(', ')}`);
      let value: string;
      if (typeof w.value === 'number') {
        if (!Number.isFinite(w.value) || w.value < 0) fail(`${path}.value`, 'must be a size ≥ 0');
        value = String(Math.floor(w.value));
      } else value = text(w.value, `${path}.value`, 64);
      // Check the amount here, so a typo fails before the run rather than as -EINVAL in the output.
      const amount = value.trim().split(/\s+/)[0] ?? '';
      const limitFile =
        file === 'memory.high' || file === 'memory.max' || file === 'memory.low' || file === 'memory.min';
      if (!(limitFile && amount === 'max') && !Number.isFinite(parseBytes(amount)))
        fail(`${path}.value`, `must be a size such as "256M"${limitFile ? ' or "max"' : ''}`);
      if (file !== 'memory.reclaim' && value.trim().includes(' '))
        fail(`${path}.value`, 'only memory.reclaim takes keys (swappiness=)');
      const at = seconds(w.at, `${path}.at`, 0, durationS);
      const repeat = integer(w.repeat, `${path}.repeat`, 1, SCENARIO_LIMITS.maxWrites, 1);
      const every = seconds(
        w.every,
        `${path}.every`,
        0.001,
        SCENARIO_LIMITS.maxDurationS,
        repeat > 1 ? undefined : 1,
      );
      for (let k = 0; k < repeat; k++) {
        const t = at + k * every;
        if (t > durationS) break;
        if (writes.length >= SCENARIO_LIMITS.maxWrites)
          fail(path, `the file expands to more than ${SCENARIO_LIMITS.maxWrites} writes`);
        writes.push({ atS: t, node, file, value, reclaimer, source: path });
      }
    });
  }
  // Stable by time; ties keep file order.
  writes.sort((a, b) => a.atS - b.atS);
  const controller = parseController(top.controller, byPath, nodes);
  const sweep = parseSweep(top.sweep, controller);
  return { title, description, profile, seed, durationS, set, nodes, writes, controller, sweep };
}

/** A parameter value for `key` from a file, with the error at `path`. */
function param(key: string, v: Json, path: string): ParamOverrides[ParamKey] {
  if (!paramSpec(key)) fail(path, 'unknown parameter; see: argmap model params');
  if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean')
    fail(path, `must be a number, string or boolean, got ${kind(v)}`);
  try {
    return parseParam(key, v);
  } catch (e) {
    fail(path, (e as Error).message);
  }
}

function parseController(
  v: Json | undefined,
  byPath: Map<string, number>,
  nodes: TreeNode[],
): TreeController | null {
  if (v === undefined) return null;
  const c = obj(v, '$.controller', CONTROLLER_KEYS);
  const cg = text(c.cgroup, '$.controller.cgroup', 4096);
  const node = byPath.get(cg);
  if (node === undefined)
    fail(
      '$.controller.cgroup',
      `no cgroup ${JSON.stringify(cg)} in the tree (paths look like ${JSON.stringify(nodes[nodes.length - 1]?.path ?? '')})`,
    );
  const k = text(c.kind, '$.controller.kind', 32);
  if (!(CONTROLLER_KINDS as readonly string[]).includes(k))
    fail(
      '$.controller.kind',
      `unknown controller ${JSON.stringify(k)}; valid: ${CONTROLLER_KINDS.join(', ')}`,
    );
  const set: ParamOverrides = {};
  if (c.set !== undefined) {
    if (!isObj(c.set)) fail('$.controller.set', `must be an object of parameter: value, got ${kind(c.set)}`);
    for (const [key, val] of Object.entries(c.set)) {
      const path = `$.controller.set[${JSON.stringify(key)}]`;
      if (!key.startsWith('agent.') || key === 'agent.kind')
        fail(path, 'only agent.* parameters (other than agent.kind, which is $.controller.kind)');
      set[key as ParamKey] = param(key, val, path);
    }
  }
  return { node, kind: k, set };
}

function parseSweep(v: Json | undefined, controller: TreeController | null): TreeSweep | null {
  if (v === undefined) return null;
  const sw = obj(v, '$.sweep', SWEEP_KEYS);
  const key = text(sw.key, '$.sweep.key', 64);
  const agentKey = key.startsWith('agent.');
  if (agentKey && !controller) fail('$.sweep.key', 'an agent.* key needs a $.controller');
  if (!agentKey && !SETTABLE_PREFIXES.some((p) => key.startsWith(p)))
    fail(
      '$.sweep.key',
      `must be an agent.* key or one of ${SETTABLE_PREFIXES.map((p) => p + '*').join(', ')}`,
    );
  if (key === 'agent.kind' || RESERVED_KEYS.has(key)) fail('$.sweep.key', 'cannot be swept');
  if (!Array.isArray(sw.values) || sw.values.length === 0)
    fail('$.sweep.values', 'must be a non-empty array of numbers');
  if (sw.values.length > SCENARIO_LIMITS.maxSweepValues)
    fail('$.sweep.values', `has more than ${SCENARIO_LIMITS.maxSweepValues} values (each is a full run)`);
  const values = sw.values.map((x, i) => {
    if (typeof x !== 'number') fail(`$.sweep.values[${i}]`, `must be a number, got ${kind(x)}`);
    param(key, x, `$.sweep.values[${i}]`);
    return x;
  });
  return { key: key as ParamKey, values };
}
