/**
 * Each formula of the model pinned to the kernel's own numbers (reclaim-model.md A4–A9 and the
 * validation table). Expected values are the spec's and the kernel comments', typed in here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIXED_1,
  PAGES_PER_GIB,
  PAGE_COUNTER_MAX,
  calcLoad,
  calculateOverage,
  effectiveProtection,
  highDelayJiffies,
  highDelayJiffiesWrap,
  inactiveIsLow,
  inactiveRatio,
  isRecentRefault,
  pressureBalance,
  psiAggregate,
  psiUpdateAverages,
  senpaiAdjustment,
  throttleDelayMs,
  tmoReclaimBytes,
  valuesClose,
  workingsetSize,
} from '../../src/model/formulas.ts';

const MB = 256; // pages per MiB
const HZ1000 = { hz: 1000, batch: 32, precisionShift: 20, scalingShift: 14, maxDelayJiffies: 2000 };

describe('throttle penalty (E2, V1)', () => {
  it('matches the kernel delay table for a 100M high at HZ 1000', () => {
    // mm/memcontrol.c: usage 100M..117M and beyond, nr = MEMCG_CHARGE_BATCH.
    const table: [number, number][] = [
      [100, 0],
      [101, 6],
      [102, 25],
      [103, 57],
      [104, 102],
      [105, 159],
      [106, 230],
      [107, 313],
      [108, 409],
      [109, 518],
      [110, 639],
      [111, 774],
      [112, 921],
      [113, 1081],
      [114, 1254],
      [115, 1439],
      [116, 1638],
      [117, 1849],
      [118, 2000],
      [130, 2000],
      [400, 2000],
    ];
    for (const [u, ms] of table) assert.equal(throttleDelayMs(u * MB, 100 * MB, HZ1000), ms, `usage ${u}M`);
  });

  // The derived HZ 250 values (V1b) are the validation row's own table: validate.test.ts runs it.

  it('computes the overage as floor((U - H) * 2^20 / max(H, 1))', () => {
    assert.equal(calculateOverage(100, 100), 0);
    assert.equal(calculateOverage(99, 100), 0);
    // 1% over: 2^20 / 100 = 10485.76 -> 10485.
    assert.equal(calculateOverage(101, 100), 10485);
    // A zero limit divides by 1.
    assert.equal(calculateOverage(3, 0), 3 * 2 ** 20);
    // Huge overages stay exact (BigInt path).
    assert.equal(calculateOverage(2 ** 40, 1), 2 ** 60 - 2 ** 20);
  });

  it('scales linearly with nr/BATCH and clamps at 2*HZ', () => {
    const ov = calculateOverage(105 * MB, 100 * MB);
    const one = highDelayJiffies(ov, 32, HZ1000);
    assert.equal(one, 159);
    assert.equal(highDelayJiffies(ov, 64, HZ1000), 318);
    assert.equal(highDelayJiffies(ov, 128, HZ1000), 636);
    assert.equal(highDelayJiffies(ov, 16, HZ1000), 79);
    assert.equal(highDelayJiffies(ov, 32 * 20, HZ1000), 2000);
    assert.equal(highDelayJiffies(0, 32, HZ1000), 0);
  });
});

describe('the 5.6 penalty without the usage <= high guard (e26733e0d0ec)', () => {
  it('reproduces 9b8b17541f13\'s example: with high "max" on the parent the wrap is harmless', () => {
    // A: high max, usage 20; A/B: high 9, usage 10. B is 1/9 over: 116508 as overage, 790 jiffies.
    assert.equal(PAGE_COUNTER_MAX, 2 ** 51 - 1);
    const b: [number, number] = [10, 9];
    assert.equal(highDelayJiffiesWrap([b, [20, Infinity]], 32, HZ1000), 790);
    assert.equal(highDelayJiffies(calculateOverage(10, 9), 32, HZ1000), 790);
  });
  it('a level under a finite limit wraps to a huge overage and the clamp at 2·HZ', () => {
    // Child 11M over a 10M high (639 jiffies with the guard); the parent 11M under a 100M high.
    assert.equal(highDelayJiffiesWrap([[11 * MB, 10 * MB]], 32, HZ1000), 639);
    assert.equal(
      highDelayJiffiesWrap(
        [
          [11 * MB, 10 * MB],
          [11 * MB, 100 * MB],
        ],
        32,
        HZ1000,
      ),
      2000,
    );
    // Usage exactly at the limit is no overage, wrapped or not.
    assert.equal(highDelayJiffiesWrap([[10 * MB, 10 * MB]], 32, HZ1000), 0);
  });
});

describe('inactive ratio (A5, V7)', () => {
  it('matches the vmscan.c table', () => {
    assert.equal(inactiveRatio(10 * MB), 1);
    assert.equal(inactiveRatio(100 * MB), 1);
    assert.equal(inactiveRatio(1 * PAGES_PER_GIB), 3);
    assert.equal(inactiveRatio(10 * PAGES_PER_GIB), 10);
    assert.equal(inactiveRatio(100 * PAGES_PER_GIB), 31);
    assert.equal(inactiveRatio(1024 * PAGES_PER_GIB), 101);
    assert.equal(inactiveRatio(10240 * PAGES_PER_GIB), 320);
  });

  it('calls inactive low below 1/(ratio+1) of the pair', () => {
    // 1 GB: ratio 3, the table's "max inactive" is 250 MB.
    const total = PAGES_PER_GIB;
    assert.equal(inactiveIsLow(total / 4 + 1, total - total / 4 - 1), false);
    assert.equal(inactiveIsLow(total / 4 - 10, total - total / 4 + 10), true);
    // Below 1 GB the ratio is 1: low when inactive < active.
    assert.equal(inactiveIsLow(100, 101), true);
    assert.equal(inactiveIsLow(101, 100), false);
  });
});

describe('anon/file balance (A5 rule 7)', () => {
  it('gives equal weights at swappiness 100 with equal costs', () => {
    const { ap, fp } = pressureBalance(500, 500, 100);
    assert.equal(ap, fp);
  });

  it('gives swappiness 60 a 60:140 split with no cost history', () => {
    assert.deepEqual(pressureBalance(0, 0, 60), { ap: 60, fp: 140 });
  });

  it('leaves every list at least a third of the pressure before swappiness', () => {
    // The kernel comment: with all the cost on anon, anon still gets 1/3 at swappiness 100.
    // Integer division leaves it a hair under a third (149/448).
    const { ap, fp } = pressureBalance(1e9, 0, 100);
    assert.deepEqual({ ap, fp }, { ap: 149, fp: 299 });
    assert.ok(Math.abs(ap / (ap + fp) - 1 / 3) < 0.002, `${ap}/${ap + fp}`);
    const r = pressureBalance(0, 1e9, 100);
    assert.ok(Math.abs(r.fp / (r.ap + r.fp) - 1 / 3) < 0.002);
  });

  it('uses integer division like the kernel', () => {
    // a = 1000, f = 0: A = 2000, F = 1000, T = 3000; ap = floor(60*3001/2001), fp = floor(140*3001/1001).
    assert.deepEqual(pressureBalance(1000, 0, 60), { ap: 89, fp: 419 });
  });
});

describe('refault distance (A7)', () => {
  it('activates when the distance is at most the workingset size', () => {
    assert.equal(isRecentRefault(100, 150, 50), true);
    assert.equal(isRecentRefault(100, 151, 50), false);
    assert.equal(isRecentRefault(100, 100, 0), true);
  });

  it('builds W from the lists the kernel names', () => {
    const lists = { inactiveAnon: 1, activeAnon: 10, inactiveFile: 100, activeFile: 1000 };
    // File refault with free swap: active file + active anon + inactive anon.
    assert.equal(workingsetSize(true, lists, true), 1011);
    // Anon refault with free swap: active file + inactive file + active anon.
    assert.equal(workingsetSize(false, lists, true), 1110);
    // Without free swap anon does not count.
    assert.equal(workingsetSize(true, lists, false), 1000);
    assert.equal(workingsetSize(false, lists, false), 1100);
  });
});

describe('PSI (A8, V15)', () => {
  it('4 tasks on 4 CPUs with 1 stalled: some = full = 25%', () => {
    assert.deepEqual(psiAggregate(4, 1, 3, 4), { some: 0.25, full: 0.25 });
  });

  it('257 busy tasks on 256 CPUs with one waiting: some about 0.4%', () => {
    const { some } = psiAggregate(257, 1, 256, 256);
    assert.ok(Math.abs(some - 1 / 256) < 1e-12);
    assert.equal(Math.round(some * 1000) / 10, 0.4);
  });

  it('full never exceeds some; no stall means no pressure', () => {
    assert.deepEqual(psiAggregate(4, 0, 4, 4), { some: 0, full: 0 });
    const r = psiAggregate(3, 1, 0, 8);
    assert.ok(r.full <= r.some);
  });

  it('calc_load is the kernel fixed point', () => {
    // One 2 s period at 100% from zero: (0*1677 + 204800*371 + 2047) / 2048 = 37100.
    assert.equal(calcLoad(0, 1677, 100 * FIXED_1), 37100);
    // A decaying average rounds down.
    assert.equal(calcLoad(37100, 1677, 0), Math.floor((37100 * 1677) / 2048));
  });

  it('avg10 of a constant full stall closes 1677/2048 of the gap per period', () => {
    const avgs = new Float64Array(3);
    let gap = 100 * FIXED_1;
    for (let i = 0; i < 10; i++) {
      psiUpdateAverages(avgs, 2e6, 2e6, [1677, 1981, 2034]);
      const next = 100 * FIXED_1 - (avgs[0] ?? 0);
      // Rounding in calc_load moves each step by at most one fixed-point unit.
      assert.ok(Math.abs(next - (gap * 1677) / 2048) <= 1, `period ${i}`);
      gap = next;
    }
    assert.ok(avgs[1]! < avgs[0]! && avgs[2]! < avgs[1]!);
  });
});

describe('Senpai and TMO control laws (A9)', () => {
  const conf = { maxProbe: 0.01, maxBackoff: 1.0, coeffProbe: 10, coeffBackoff: 20 };
  it('probes 1% at x <= 0.1, 0.25% at 0.2, 0.04% at 0.5', () => {
    assert.ok(Math.abs(senpaiAdjustment(1000, 10000, conf) + 0.01) < 1e-12);
    assert.ok(Math.abs(senpaiAdjustment(100, 10000, conf) + 0.01) < 1e-12);
    assert.ok(Math.abs(senpaiAdjustment(2000, 10000, conf) + 0.0025) < 1e-12);
    assert.ok(Math.abs(senpaiAdjustment(5000, 10000, conf) + 0.0004) < 1e-12);
  });
  it('backs off 1% at x = 2, 6.25% at 5, 25% at 10, 100% from 20', () => {
    assert.ok(Math.abs(senpaiAdjustment(20000, 10000, conf) - 0.01) < 1e-12);
    assert.ok(Math.abs(senpaiAdjustment(50000, 10000, conf) - 0.0625) < 1e-12);
    assert.ok(Math.abs(senpaiAdjustment(100000, 10000, conf) - 0.25) < 1e-12);
    assert.equal(senpaiAdjustment(200000, 10000, conf), 1);
    assert.equal(senpaiAdjustment(900000, 10000, conf), 1);
  });
  it('TMO reclaims current x ratio x (1 - psi/threshold), never negative', () => {
    assert.equal(tmoReclaimBytes(1e9, 0.0005, 0, 0.1), 500000);
    assert.equal(tmoReclaimBytes(1e9, 0.0005, 0.05, 0.1), 250000);
    assert.equal(tmoReclaimBytes(1e9, 0.0005, 0.2, 0.1), 0);
  });
});

describe('protection and selftest helpers', () => {
  it('shares overcommitted protection by protected usage (memcg_protection.m first round)', () => {
    // Parent effective 50M; children C (low 75M) and D (low 25M) at 50M each: 75M claimed.
    assert.equal(effectiveProtection(50, 150, 75, 50, 75, true), 33);
    assert.equal(effectiveProtection(50, 150, 25, 50, 75, true), 16);
    assert.equal(effectiveProtection(50, 150, 0, 50, 75, true), 0);
  });
  it('gives unclaimed protection to unprotected usage with memory_recursiveprot', () => {
    // Parent effective 100 and usage 120, siblings claim 40: the 60 unclaimed are split by usage above
    // protection, and this child holds 50 of the parent's 80 unprotected: floor(60 * 50 / 80) = 37.
    assert.equal(effectiveProtection(50, 120, 0, 100, 40, true), 37);
    assert.equal(effectiveProtection(50, 120, 0, 100, 40, false), 0);
  });
  it('values_close bounds the reclaim_until goal at 31.86M for 30M and 3%', () => {
    const MiB = 1 << 20;
    assert.equal(valuesClose(31.85 * MiB, 30 * MiB, 3), true);
    assert.equal(valuesClose(31.87 * MiB, 30 * MiB, 3), false);
  });
});
