/**
 * The validation targets of reclaim-model.md section (b) as tests. Each test runs the model the way
 * the target describes and compares with the spec's numbers, typed in here (exact where the table
 * says exact, within its tolerance otherwise). The `argmap model validate` rows must agree.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { valuesClose } from '../../src/model/formulas.ts';
import {
  judgeV8b,
  runCongestedThrottle,
  runControllerSweep,
  runJobHigh,
  runBatchPolicy,
  runFarMemory,
  runFullReclaim,
  runHighSync,
  runMemcgHigh,
  runMemcgMax,
  runMemcgReclaim,
  runOneHighEvent,
  runProtection,
  runValidation,
  runWriterSpin,
  V8B_NOISE_MIB,
} from '../../src/model/validate.ts';
import fc from 'fast-check';
import { protectionModel } from '../../src/model/protection.ts';

const MiB = 1 << 20;

describe('V1, V1b, V1c, V7, V15: exact arithmetic rows pass', () => {
  for (const id of ['V1', 'V1b', 'V1c', 'V7', 'V15']) {
    it(id, () => {
      const rows = runValidation([id]);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.pass, true, `${id}: ${rows[0]?.measured}`);
    });
  }
});

describe('V2, V2b: test_memcg_high (high 30M, swap.max 0)', () => {
  it('31M of anon completes without OOM, cache stays below 50M, ends within 5% of 30M, high events > 0', () => {
    const r = runMemcgHigh(32);
    assert.equal(r.anonDone, true);
    assert.equal(r.oom, 0);
    assert.ok(r.pagecacheCheckUsage < 50 * MiB, `${r.pagecacheCheckUsage / MiB}M`);
    assert.ok(valuesClose(r.finalUsage, 30 * MiB, 5), `${r.finalUsage / MiB}M`);
    assert.ok(r.highEvents > 0);
  });
  it('BATCH 32: 5 sleeps of about 208 ms in total; BATCH 64: 3 sleeps of about 127 ms (±20%)', () => {
    const a = runMemcgHigh(32);
    assert.equal(a.sleeps, 5);
    assert.ok(Math.abs(a.sleepMs - 208) <= 0.2 * 208, `${a.sleepMs} ms`);
    const b = runMemcgHigh(64);
    assert.equal(b.sleeps, 3);
    assert.ok(Math.abs(b.sleepMs - 127) <= 0.2 * 127, `${b.sleepMs} ms`);
  });
});

describe('V3: test_memcg_high_sync', () => {
  it('high events rise, max events stay 0, usage stays below max', () => {
    const r = runHighSync();
    assert.ok(r.high > 0);
    assert.equal(r.max, 0);
    assert.ok(r.usage < r.maxLimit);
  });
});

describe('V4: test_memcg_max / test_memcg_oom_events (max 30M, swap.max 0)', () => {
  it('the 100M anon allocation is OOM-killed once; page cache ends at most 30M and within 5%', () => {
    const r = runMemcgMax();
    assert.equal(r.anonKilled, true);
    assert.equal(r.oom, 1);
    assert.equal(r.oomKill, 1);
    assert.ok(r.usage <= 30 * MiB);
    assert.ok(valuesClose(r.usage, 30 * MiB, 5), `${r.usage / MiB}M`);
    assert.ok(r.maxEvents > 0);
  });
});

describe('V5: test_memcg_reclaim', () => {
  for (const profile of ['v5_19', 'v6_6', 'current']) {
    it(`${profile}: reclaim_until(30M) succeeds and every 0 return leaves usage <= 31.86M`, () => {
      const r = runMemcgReclaim(profile);
      assert.equal(r.ok, true, r.failure);
      assert.ok(r.writes.length >= 1);
      for (const w of r.writes) {
        if (w.rc !== 0) assert.equal(w.rc, -11, 'only -EAGAIN is allowed besides 0');
        else
          assert.ok(w.usageAfter * 4096 <= 31.86 * MiB, `${(w.usageAfter * 4096) / MiB}M after a 0 return`);
      }
    });
  }
});

describe('V6: protection', () => {
  it('the memcg_protection.m model settles at C ≈ 29M (15%), D ≈ 21M (20%), E ≈ 0, F = 0, parent ≈ 50M (3%)', () => {
    const m = protectionModel({
      parentEffective: 50,
      nominal: [75, 25, 0, 500],
      usage: [50, 50, 50, 0],
      cluster: 0.125,
    });
    const [c, d, e, f] = m.usage as [number, number, number, number];
    assert.ok(valuesClose(c + d + e + f, 50, 3));
    assert.ok(valuesClose(c, 29, 15), `C ${c}`);
    assert.ok(valuesClose(d, 21, 20), `D ${d}`);
    assert.ok(e < 1, `E ${e}`);
    assert.equal(f, 0);
  });
  it("the engine reproduces test_memcg_low and reclaim_until(C, 10M) ignores C's own protection", () => {
    const r = runProtection();
    const c = r.c.map((x) => x / MiB);
    assert.ok(valuesClose(r.b / MiB, 50, 3), `B ${r.b / MiB}`);
    assert.ok(valuesClose(c[0]!, 29, 15), `C ${c[0]}`);
    assert.ok(valuesClose(c[1]!, 21, 20), `D ${c[1]}`);
    assert.ok(c[2]! < 1, `E ${c[2]}`);
    assert.equal(c[3], 0);
    assert.equal(r.untilOk, true);
    assert.ok(r.untilFinal <= 10.31 * MiB, `${r.untilFinal / MiB}M`);
  });
});

describe('V8b: batch policies against 287d5fedb377 (/uid_0, 1G)', () => {
  const exp = { remainder: [258822, 107.8], cap32: [105174, 3.5], quarter: [233396, -7.4] } as const;
  const got = {
    remainder: runBatchPolicy('remainder'),
    cap32: runBatchPolicy('cap32'),
    quarter: runBatchPolicy('quarter'),
  };
  for (const k of ['remainder', 'cap32', 'quarter'] as const) {
    it(`${k}: throughput within 15% of ${exp[k][0]} pages/s`, () => {
      const r = got[k];
      assert.equal(r.rc, 'ok');
      assert.ok(Math.abs(r.pagesPerS - exp[k][0]) <= 0.15 * exp[k][0], `${Math.round(r.pagesPerS)} pages/s`);
    });
  }
  it('the whole remainder over-reclaims (+107.8 MiB): same sign, same order, at least 10x either batch policy', () => {
    const m = got.remainder.overMiB;
    assert.ok(m > 0 && m >= exp.remainder[1] / 10 && m <= exp.remainder[1] * 10, `${m} MiB`);
    assert.ok(m >= 10 * Math.abs(got.cap32.overMiB) && m >= 10 * Math.abs(got.quarter.overMiB));
  });
  it('32-page and quarter batches end within the measured noise floor (±10.9 MiB) of the request', () => {
    // Amended from "same sign as +3.5 and -7.4 MiB": see V8B_NOISE_MIB and docs/model.md (V8b).
    assert.ok(Math.abs(got.cap32.overMiB) <= 10.9, `${got.cap32.overMiB} MiB`);
    assert.ok(Math.abs(got.quarter.overMiB) <= 10.9, `${got.quarter.overMiB} MiB`);
  });
  it('with nothing else in the cgroup, the usage drop is what memory.reclaim counted', () => {
    for (const r of Object.values(got))
      assert.ok(Math.abs(r.overMiB - r.countOverMiB) < 0.01, JSON.stringify(r));
  });
  it('the amended judge accepts the measured table itself and rejects what the commit argued against', () => {
    const measured = {
      remainder: { pagesPerS: 258822, overMiB: 107.8 },
      cap32: { pagesPerS: 105174, overMiB: 3.5 },
      quarter: { pagesPerS: 233396, overMiB: -7.4 },
    };
    assert.equal(V8B_NOISE_MIB.toFixed(1), '10.9');
    assert.deepEqual(judgeV8b(measured), { throughput: true, remainder: true, batches: true });
    // Batches that over-reclaim like the whole remainder (the behaviour 0388536ac291 fixed).
    const noFix = { ...measured, quarter: { pagesPerS: 233396, overMiB: 60 } };
    assert.deepEqual(judgeV8b(noFix), { throughput: true, remainder: false, batches: false });
    // A remainder that does not over-reclaim, and one that under-reclaims.
    assert.equal(judgeV8b({ ...measured, remainder: { pagesPerS: 258822, overMiB: 5 } }).remainder, false);
    assert.equal(judgeV8b({ ...measured, remainder: { pagesPerS: 258822, overMiB: -40 } }).remainder, false);
    // The slow 32-page path must stay slow.
    assert.equal(judgeV8b({ ...measured, cap32: { pagesPerS: 250000, overMiB: 3.5 } }).throughput, false);
  });
  it('as in the kernel, a successful write never counts less than it was asked for (random sizes and policies)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('remainder', 'cap32', 'quarter'),
        fc.integer({ min: 1, max: 1024 }),
        fc.integer({ min: 1, max: 1000 }),
        (policy, mib, seed) => {
          const r = runBatchPolicy(policy, seed, { 'agent.oneshotBytes': `${mib}M` });
          if (r.rc !== 'ok') return true;
          return r.countOverMiB >= 0;
        },
      ),
      { numRuns: 12, seed: 8 },
    );
  });
});

describe('V8c: full reclaim at the root and at /uid_0 (shape)', () => {
  it('32-page batches are far slower at the root than at uid_0, quarter matches remainder, the root run takes > 2x', () => {
    const uid = ['remainder', 'cap32', 'quarter'].map((k) => runFullReclaim(k, 16));
    const root = ['remainder', 'cap32', 'quarter'].map((k) => runFullReclaim(k, 156));
    const ratioRoot = root[1]!.pagesPerS / root[0]!.pagesPerS;
    const ratioUid = uid[1]!.pagesPerS / uid[0]!.pagesPerS;
    // Measured upstream: 13742/68047 = 0.20 at the root, 38105/72334 = 0.53 at uid_0.
    assert.ok(ratioRoot < 0.4, `root ${ratioRoot}`);
    assert.ok(ratioRoot < ratioUid, `root ${ratioRoot} uid ${ratioUid}`);
    assert.ok(Math.abs(root[2]!.pagesPerS / root[0]!.pagesPerS - 1) <= 0.15);
    assert.ok(Math.abs(uid[2]!.pagesPerS / uid[0]!.pagesPerS - 1) <= 0.15);
    assert.ok(root[1]!.seconds > 2 * Math.max(root[0]!.seconds, root[2]!.seconds));
  });
});

describe('V9: the memory.high writer spin (qualitative)', () => {
  it('legacy 5.8–5.10: the write outlasts the growth and the writer pays; current: the workload pays', () => {
    const legacy = runWriterSpin('legacy_5_8_to_5_10');
    const cur = runWriterSpin('current');
    assert.ok(legacy.writeMs >= 0.9 * legacy.growthS * 1000, `${legacy.writeMs} ms`);
    assert.ok(legacy.agentCpuMs > 10 * Math.max(1, legacy.jobReclaimMs));
    assert.ok(cur.jobReclaimMs > cur.agentCpuMs, `job ${cur.jobReclaimMs} writer ${cur.agentCpuMs}`);
    assert.ok(cur.writeMs < legacy.writeMs);
    const nb = runWriterSpin('current', true);
    assert.ok(nb.writeMs < 0.01, `${nb.writeMs} ms`);
    assert.equal(nb.agentCpuMs, 0);
  });
});

describe('V11: one high-limit reclaim event costs 100s of µs', () => {
  it('one batch of cold anon into zswap (lzo, 2 µs/page): within 2x of 260–340 µs', () => {
    for (const batch of [32, 64]) {
      const us = runOneHighEvent(batch);
      assert.ok(us >= 130 && us <= 680, `BATCH ${batch}: ${us} µs`);
    }
  });
});

describe('V12, V13: plausibility against the far-memory and TMO papers', () => {
  const far = runFarMemory();
  it('V12: ~20% compressed (10–40%), access ~6 µs (within 3x), cost cut ≥ 50%, promotion ≤ 2%/min', () => {
    assert.ok(far.compressedShare >= 0.1 && far.compressedShare <= 0.4, `${far.compressedShare}`);
    assert.ok(far.accessUs >= 2 && far.accessUs <= 18);
    assert.ok(far.costReduction >= 0.5);
    assert.ok(far.promotionPctPerMin <= 2, `${far.promotionPctPerMin}`);
  });
  it('V13: 20–32% saved in the fleet (5–40% here), agent CPU ≤ 0.5% (TMO: 0.05%)', () => {
    assert.ok(far.savedShare >= 0.05 && far.savedShare <= 0.4, `${far.savedShare}`);
    assert.ok(far.agentCpuShare <= 0.005, `${far.agentCpuShare}`);
  });
});

describe('argmap model validate rows', () => {
  it('every row passes, and every listed target has a row', () => {
    const rows = runValidation();
    const ids = new Set(rows.map((r) => r.id));
    for (const id of [
      'V1',
      'V1b',
      'V1c',
      'V2',
      'V2b',
      'V3',
      'V4',
      'V5',
      'V6',
      'V7',
      'V8b',
      'V8c',
      'V9',
      'V11',
      'V12',
      'V13',
      'V15',
      'V16',
      'V17',
      'V17b',
      'V18',
    ]) {
      assert.ok(ids.has(id), `missing ${id}`);
    }
    const failing = rows.filter((r) => !r.pass).map((r) => r.id);
    assert.deepEqual(failing, []);
    for (const r of rows) {
      assert.ok(r.expected.length > 0 && r.measured.length > 0);
      assert.ok(!/NaN|Infinity/.test(r.measured), `${r.id}: ${r.measured}`);
    }
  });
});

describe('the checks of the new workloads (V16–V18)', () => {
  it('V16: the job under high 30M finishes and loses exactly its throttle and reclaim time', () => {
    const r = runJobHigh();
    assert.ok(r.finished);
    assert.equal(r.oomKills, 0);
    assert.ok(r.stallS > 0);
    assert.ok(Math.abs(r.extraS - r.stallS) <= 0.05 * r.stallS, `${r.extraS} vs ${r.stallS}`);
  });
  it('V17b: one jiffy per congested pass at either HZ', () => {
    for (const hz of [250, 1000]) {
      const r = runCongestedThrottle(hz);
      assert.ok(r.passes > 0);
      assert.equal(r.sleepUs, (r.passes * 1e6) / hz);
    }
  });
  it('V18: the sweep returns one point per threshold', () => {
    const r = runControllerSweep();
    assert.equal(r.saved.length, r.thresholds.length);
    assert.ok(r.refMiB > 0);
  });
});
