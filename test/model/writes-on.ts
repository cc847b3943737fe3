/**
 * Test helper: a cgroup `test` holding some resident regions, and an agent that makes a list of
 * control-file writes from t = 1 s (the setup most control-file tests share).
 */
import type { AgentFile } from '../../src/model/agents.ts';
import type { Memcg } from '../../src/model/memcg.ts';
import type { ParamOverrides } from '../../src/model/params.ts';
import { Scripted, Writes, type ScriptedRegion } from '../../src/model/scripted.ts';
import type { WriteRecord } from '../../src/model/syscalls.ts';

export interface WritesOn {
  s: Scripted;
  cg: Memcg;
  w: Writes;
  /** The first write's record (throws if it never returned). */
  first: WriteRecord;
}

/** Run `writes` against cgroup `test` (limits in bytes) holding `regions`, until `untilUs`. */
export function writesOn(
  overrides: ParamOverrides,
  regions: Omit<ScriptedRegion, 'initial'>[],
  writes: { file: AgentFile; value: string }[],
  opts: {
    untilUs?: number;
    timeoutUs?: number;
    limits?: Parameters<Scripted['cgroup']>[2];
  } = {},
): WritesOn {
  const s = new Scripted(overrides);
  const cg = s.cgroup('test', null, opts.limits);
  for (const r of regions) s.resident(cg, r);
  const w = new Writes(writes);
  s.agent(cg, w, 1e6, { timeoutUs: opts.timeoutUs });
  s.run(opts.untilUs ?? 5e6);
  const first = w.results[0];
  if (!first) throw new Error('the first write did not return');
  return { s, cg, w, first };
}
