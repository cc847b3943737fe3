/**
 * Small scripted simulations, the way the kernel selftests (tools/testing/selftests/cgroup) set
 * them up: cgroups with limits in bytes, processes whose one thread runs a list of operations
 * (allocate, sleep, exit, hold), and agents that write control files, such as the selftests'
 * reclaim_until(). The validation targets and the engine's tests build on these.
 */
import { AgentActor, type AgentCtx, type AgentFile, type AgentLogic } from './agents.ts';
import { PAGE_SIZE, valuesClose } from './formulas.ts';
import type { Memcg } from './memcg.ts';
import { resolveParams, type ParamOverrides } from './params.ts';
import { Simulator } from './sim.ts';
import { EAGAIN, type WriteRecord } from './syscalls.ts';
import type { Region, Task } from './task.ts';
import { WorkloadThread, WorkloadStats, type ThreadOp } from './workload.ts';

/** Whole pages in `bytes` (rounded down). */
const pagesOf = (bytes: number): number => Math.floor(bytes / PAGE_SIZE);
const EMPTY_SHAPE = { access: [], gradual: [], churnPerUs: 0 };

/** The region of a scripted process. Sizes are bytes. */
export interface ScriptedRegion {
  name: string;
  type: 'anon' | 'file';
  bytes: number;
  /** Resident from the start (bytes). */
  initial?: number;
  mlocked?: boolean;
  sameFilled?: boolean;
  /** Share of file pages dirty when written (1: write(2) leaves every page dirty). */
  dirty?: number;
}

/** A small scripted simulation: cgroups, processes running operation lists, and agents. */
export class Scripted {
  readonly sim: Simulator;
  readonly stats = new WorkloadStats();
  readonly threads: WorkloadThread[] = [];

  constructor(overrides: ParamOverrides = {}, seed = 1) {
    this.sim = new Simulator(resolveParams({ 'sim.cpus': 4, ...overrides }), seed);
  }

  /** A cgroup under `parent` (null: the root) with limits in bytes. */
  cgroup(
    name: string,
    parent: Memcg | null,
    limits: Partial<Record<'high' | 'max' | 'low' | 'min' | 'swapMax', number>> = {},
  ): Memcg {
    const pages: Record<string, number> = {};
    for (const [k, v] of Object.entries(limits)) pages[k] = Number.isFinite(v) ? pagesOf(v) : v;
    return this.sim.addMemcg(name, parent ?? this.sim.root, pages);
  }

  /** A process in `cg` with one region and one thread running `ops(region)`. */
  process(cg: Memcg, region: ScriptedRegion, ops: (r: Region) => ThreadOp[]): { region: Region; task: Task } {
    const sim = this.sim;
    const proc = sim.addProcess(`${cg.name}:${region.name}`, cg);
    const r = sim.addRegion(proc, {
      name: region.name,
      type: region.type,
      pages: pagesOf(region.bytes),
      hz: 0,
      initial: region.initial ? pagesOf(region.initial) : 0,
      mlocked: region.mlocked,
      sameFilled: region.sameFilled,
      dirty: region.dirty,
    });
    const task = sim.addTask(`${cg.name}:${region.name}`, cg, proc);
    const w = new WorkloadThread(task, ops(r), EMPTY_SHAPE, this.stats, 1000);
    this.threads.push(w);
    sim.addActor(w);
    return { region: r, task };
  }

  /** A process in `cg` whose whole region is resident from the start and which then does nothing. */
  resident(cg: Memcg, region: Omit<ScriptedRegion, 'initial'>): { region: Region; task: Task } {
    return this.process(cg, { ...region, initial: region.bytes }, () => [{ op: 'hold' }]);
  }

  /**
   * A process in `cg` that allocates its whole region page by page (after sleeping `afterUs`; in one
   * syscall if asked), then exits or holds its memory.
   */
  allocating(
    cg: Memcg,
    region: ScriptedRegion,
    then: 'exit' | 'hold',
    opts: { afterUs?: number; syscall?: boolean } = {},
  ): { region: Region; task: Task } {
    return this.process(cg, region, (r) => [
      ...(opts.afterUs ? [{ op: 'sleep' as const, us: opts.afterUs }] : []),
      { op: 'alloc', region: r, pages: r.count, syscall: opts.syscall },
      { op: then },
    ]);
  }

  /** An agent in its own cgroup; `timeoutUs` signals each write after that long (Infinity: never). */
  agent(
    target: Memcg,
    logic: AgentLogic,
    startUs: number,
    opts: { timeoutUs?: number; nonblock?: boolean } = {},
  ): AgentActor {
    const cg = this.sim.memcgs.find((m) => m.name === 'agent') ?? this.cgroup('agent', null);
    const task = this.sim.addTask(`agent:${logic.name}`, cg, null);
    const a = new AgentActor(
      this.sim,
      task,
      target,
      logic,
      startUs,
      opts.timeoutUs ?? Infinity,
      opts.nonblock ?? false,
      0,
      0,
    );
    this.sim.addActor(a);
    return a;
  }

  run(untilUs: number): void {
    this.sim.run(untilUs);
  }
}

/** An agent that makes a list of writes back to back and records what each returned. */
export class Writes implements AgentLogic {
  readonly name = 'writes';
  readonly results: WriteRecord[] = [];
  private i = 0;
  constructor(private readonly list: readonly { file: AgentFile; value: string }[]) {}
  limitBytes(): number {
    return NaN;
  }
  next(): ReturnType<AgentLogic['next']> {
    const w = this.list[this.i++];
    return w ? { kind: 'write', ...w } : { kind: 'exit' };
  }
  onResult(_ctx: AgentCtx, rec: WriteRecord): void {
    this.results.push(rec);
  }
}

/** The selftests' reclaim_until(): up to 5 writes of (current − goal) to memory.reclaim. */
export class ReclaimUntil implements AgentLogic {
  readonly name = 'reclaim_until';
  result: boolean | null = null;
  failure = '';
  readonly writes: WriteRecord[] = [];
  private retries = 5;
  private reclaimed = false;
  private lastCurrent = 0;

  constructor(private readonly goalBytes: number) {}

  limitBytes(): number {
    return this.goalBytes;
  }

  private close(current: number): boolean {
    return current < this.goalBytes || valuesClose(current, this.goalBytes, 3);
  }

  next(ctx: AgentCtx): ReturnType<AgentLogic['next']> {
    if (this.result !== null) return { kind: 'exit' };
    if (this.retries <= 0) {
      this.result = this.close(this.lastCurrent);
      return { kind: 'exit' };
    }
    this.retries--;
    const current = ctx.current();
    this.lastCurrent = current;
    if (this.close(current)) {
      this.result = true;
      return { kind: 'exit' };
    }
    if (this.reclaimed) {
      this.result = false;
      this.failure = 'memory.reclaim returned 0 incorrectly';
      return { kind: 'exit' };
    }
    return { kind: 'write', file: 'memory.reclaim', value: String(current - this.goalBytes) };
  }

  onResult(_ctx: AgentCtx, rec: WriteRecord): void {
    this.writes.push(rec);
    if (rec.rc === 0) this.reclaimed = true;
    else if (rec.rc !== EAGAIN) {
      this.result = false;
      this.failure = `memory.reclaim returned ${rec.rc}`;
    }
  }
}
