/**
 * The kernel's arithmetic, as pure functions so unit tests can pin each one to the kernel's own
 * numbers (reclaim-model.md A4–A8). Integer semantics follow the kernel: every division that the
 * kernel does in integers is floored here too.
 */

/** PAGE_SIZE: the model's unit of memory. */
export const PAGE_SIZE = 4096;
/** Pages per GiB, for the inactive-ratio rule that works in whole GiB. */
export const PAGES_PER_GIB = (1 << 30) / PAGE_SIZE;
/** FIXED_1 of the kernel's load-average fixed point (1 << FSHIFT, FSHIFT = 11). */
export const FIXED_1 = 2048;
/** Largest integer a double holds exactly; past it the overage maths switches to BigInt. */
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * calculate_overage(): how far usage is over the high limit, as a fixed-point ratio with
 * `precisionShift` fractional bits. 0 when usage ≤ high. The divisor is max(high, 1).
 */
export function calculateOverage(usage: number, high: number, precisionShift = 20): number {
  if (!(usage > high)) return 0;
  const over = usage - high;
  const div = Math.max(high, 1);
  const scaled = over * 2 ** precisionShift;
  if (scaled <= SAFE) return Math.floor(scaled / div);
  return Number((BigInt(over) << BigInt(precisionShift)) / BigInt(div));
}

/** The constants calculate_high_delay() uses; all default to the kernel's values. */
export interface DelayConstants {
  hz: number;
  batch: number;
  precisionShift: number;
  scalingShift: number;
  /** Cap on one sleep, in jiffies (MEMCG_MAX_HIGH_DELAY_JIFFIES = 2·HZ). */
  maxDelayJiffies: number;
}

/**
 * calculate_high_delay(): the throttle penalty in jiffies for a task that charged `nrPages` while the
 * largest overage among its cgroup and ancestors was `maxOverage`. The squared overage is scaled by HZ,
 * shifted down by the precision and scaling shifts, scaled linearly by nrPages/BATCH and clamped.
 * Exact integer arithmetic (BigInt once the square no longer fits a double exactly).
 */
export function highDelayJiffies(maxOverage: number, nrPages: number, c: DelayConstants): number {
  if (maxOverage <= 0) return 0;
  const shift = c.precisionShift + c.scalingShift;
  const sq = maxOverage * maxOverage * c.hz;
  if (sq <= SAFE) {
    // Two successive floor-shifts equal one floor-shift by their sum.
    const penalty = Math.floor(sq / 2 ** shift);
    const scaled = penalty * nrPages;
    if (scaled <= SAFE) return Math.min(Math.floor(scaled / c.batch), c.maxDelayJiffies);
  }
  // Exact arithmetic for huge overages (usage many times the limit); the kernel's 64-bit
  // intermediate is not emulated, which only matters above ~128x over the limit.
  const big = ((BigInt(maxOverage) * BigInt(maxOverage) * BigInt(c.hz)) >> BigInt(shift)) * BigInt(nrPages);
  const perTask = big / BigInt(c.batch);
  return perTask > BigInt(c.maxDelayJiffies) ? c.maxDelayJiffies : Number(perTask);
}

/** PAGE_COUNTER_MAX on 64-bit kernels (LONG_MAX / PAGE_SIZE): how a limit of "max" is stored. */
export const PAGE_COUNTER_MAX = 2 ** 51 - 1;
const U64 = (1n << 64n) - 1n;

/**
 * calculate_high_delay() of Linux 5.6 (e26733e0d0ec, before 9b8b17541f13 restored the usage ≤ high
 * guard in 5.7): the largest overage of `levels` ([usage, high] in pages, the task's cgroup first,
 * the root excluded; high Infinity is "max"), each computed in unsigned 64-bit arithmetic as
 * ((usage − max(high, 1)) << shift) / max(high, 1). A level under its limit wraps around to a huge
 * overage; the square, the ·HZ and the ·nr steps wrap at 2^64 too, then the clamp at 2·HZ applies.
 * A limit of "max" wraps harmlessly (PAGE_COUNTER_MAX·2^20 is −2^20 modulo 2^64, so the quotient
 * is 0), which is why single-level setups did not show the bug.
 */
export function highDelayJiffiesWrap(
  levels: readonly (readonly [number, number])[],
  nrPages: number,
  c: DelayConstants,
): number {
  const shift = BigInt(c.precisionShift);
  let max = 0n;
  for (const [usage, high] of levels) {
    const h = BigInt(Math.max(Number.isFinite(high) ? high : PAGE_COUNTER_MAX, 1));
    const ov = ((((BigInt(usage) - h) & U64) << shift) & U64) / h;
    if (ov > max) max = ov;
  }
  if (max === 0n) return 0;
  let p = (max * max * BigInt(c.hz)) & U64;
  p >>= shift;
  p >>= BigInt(c.scalingShift);
  p = ((p * BigInt(nrPages)) & U64) / BigInt(c.batch);
  return p > BigInt(c.maxDelayJiffies) ? c.maxDelayJiffies : Number(p);
}

/** Convenience for tests and docs: the delay in ms for usage U against high H (pages), nr = BATCH. */
export function throttleDelayMs(usage: number, high: number, c: DelayConstants, nrPages = c.batch): number {
  const j = highDelayJiffies(calculateOverage(usage, high, c.precisionShift), nrPages, c);
  return (j * 1000) / c.hz;
}

/** The no-sleep threshold of the high handler: penalties of ⌊HZ/100⌋ jiffies or less are forgiven. */
export function noSleepJiffies(hz: number): number {
  return Math.floor(hz / 100);
}

/** Integer square root (the kernel's int_sqrt): the largest r with r·r ≤ x. */
export function intSqrt(x: number): number {
  if (x < 2) return Math.max(0, Math.floor(x));
  let r = Math.floor(Math.sqrt(x));
  while (r * r > x) r--;
  while ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/**
 * inactive_is_low()'s ratio: ⌊√(10·GiB)⌋ for a list pair of at least 1 GiB (whole GiB, floored),
 * 1 below that.
 */
export function inactiveRatio(totalPages: number): number {
  const gb = Math.floor(totalPages / PAGES_PER_GIB);
  return gb > 0 ? intSqrt(10 * gb) : 1;
}

/** inactive_is_low(): the inactive list is "low" when inactive·ratio < active. */
export function inactiveIsLow(inactive: number, active: number): boolean {
  return inactive * inactiveRatio(inactive + active) < active;
}

/** Highest swappiness a user can give (vm.swappiness and memory.reclaim's key). */
export const MAX_SWAPPINESS = 200;
/** memory.reclaim "swappiness=max": reclaim anonymous memory only (proactive reclaim only). */
export const SWAPPINESS_ANON_ONLY = 201;

/**
 * The fractional anon/file balance of get_scan_count() (A5 rule 7). Returns the kernel's integer
 * weights ap and fp; anon lists are scanned by ap/(ap+fp) and file lists by fp/(ap+fp).
 */
export function pressureBalance(
  anonCost: number,
  fileCost: number,
  swappiness: number,
): { ap: number; fp: number } {
  const total = anonCost + fileCost;
  const a = total + anonCost;
  const f = total + fileCost;
  const t = a + f;
  const ap = Math.floor((swappiness * (t + 1)) / (a + 1));
  const fp = Math.floor(((MAX_SWAPPINESS - swappiness) * (t + 1)) / (f + 1));
  return { ap, fp };
}

/**
 * Workingset (refault-distance) test: a refault is "recent" when the number of evictions and
 * activations since the page left (the distance) is at most the workingset size it competed with.
 */
export function isRecentRefault(evictionAge: number, refaultAge: number, workingsetSize: number): boolean {
  const distance = refaultAge - evictionAge;
  return distance <= workingsetSize;
}

/** What the workingset size W is made of (A7), for one refault. */
export function workingsetSize(
  file: boolean,
  lists: { inactiveAnon: number; activeAnon: number; inactiveFile: number; activeFile: number },
  hasFreeSwap: boolean,
): number {
  let w = lists.activeFile;
  if (!file) w += lists.inactiveFile;
  if (hasFreeSwap) {
    w += lists.activeAnon;
    if (file) w += lists.inactiveAnon;
  }
  return w;
}

/**
 * Instantaneous memory pressure of a group of tasks (A8), aggregated the way psi.c weights CPUs:
 * threads = min(non-idle tasks, CPUs); some = min(stalled/threads, 1);
 * full = (threads − min(productive, threads))/threads. Returns fractions in [0, 1].
 */
export function psiAggregate(
  nonIdle: number,
  stalled: number,
  productive: number,
  cpus: number,
): { some: number; full: number } {
  const threads = Math.min(nonIdle, cpus);
  if (threads <= 0 || stalled <= 0) return { some: 0, full: 0 };
  const some = Math.min(stalled / threads, 1);
  const full = (threads - Math.min(productive, threads)) / threads;
  return { some, full: Math.min(full, some) };
}

/** The kernel's calc_load(): one step of an exponentially decaying fixed-point average. */
export function calcLoad(load: number, exp: number, active: number): number {
  let newload = load * exp + active * (FIXED_1 - exp);
  if (active >= load) newload += FIXED_1 - 1;
  return Math.floor(newload / FIXED_1);
}

/**
 * One PSI averaging period: `stallUs` of stall in a period of `periodUs` updates the three
 * fixed-point averages (avg10, avg60, avg300) in place. pct is floored to a whole percent of
 * FIXED_1-scaled fixed point exactly as calc_avgs() does.
 */
export function psiUpdateAverages(
  avgs: Float64Array | number[],
  stallUs: number,
  periodUs: number,
  exps: readonly [number, number, number],
): void {
  const ratio = periodUs > 0 ? Math.min(stallUs, periodUs) / periodUs : 0;
  const pct = Math.floor(ratio * 100 * FIXED_1);
  for (let i = 0; i < 3; i++) avgs[i] = calcLoad(avgs[i] ?? 0, exps[i] ?? FIXED_1, pct);
}

/** A fixed-point PSI average as a percentage. */
export function psiAvgPercent(avg: number): number {
  return avg / FIXED_1;
}

/**
 * Senpai's controller step (A9a): given the stall integral over the interval and the target,
 * the relative limit change (positive = back off / grow, negative = probe / shrink).
 */
export function senpaiAdjustment(
  integral: number,
  target: number,
  conf: { maxProbe: number; maxBackoff: number; coeffProbe: number; coeffBackoff: number },
): number {
  const x = integral / target;
  if (integral > target) {
    return conf.maxBackoff * Math.min(1, (x / conf.coeffBackoff) ** 2);
  }
  const inv = target / Math.max(integral, 1);
  return -conf.maxProbe * Math.min(1, (inv / conf.coeffProbe) ** 2);
}

/** The TMO Senpai law (A9c, form [R]): bytes to reclaim this interval. */
export function tmoReclaimBytes(
  currentBytes: number,
  ratio: number,
  psiPct: number,
  thresholdPct: number,
): number {
  return currentBytes * ratio * Math.max(0, 1 - psiPct / thresholdPct);
}

/**
 * effective_protection() with memory_recursiveprot (A4 E6, V6): the memory.low or memory.min a
 * cgroup actually gets, given its own usage and setting and its parent's effective protection.
 * `siblingsProtected` is the sum over the parent's children of min(usage, setting).
 */
export function effectiveProtection(
  usage: number,
  parentUsage: number,
  setting: number,
  parentEffective: number,
  siblingsProtected: number,
  recursive: boolean,
): number {
  const protectedUsage = Math.min(usage, setting);
  let ep = protectedUsage;
  if (siblingsProtected > parentEffective && siblingsProtected > 0) {
    ep = Math.floor((protectedUsage * parentEffective) / siblingsProtected);
  }
  if (recursive && parentEffective > siblingsProtected && parentUsage > siblingsProtected) {
    const unclaimed = (parentEffective - siblingsProtected) * (usage - protectedUsage);
    ep += Math.floor(unclaimed / (parentUsage - siblingsProtected));
  }
  return ep;
}

/** values_close() of the cgroup selftests: |a − b| ≤ (a + b)·err/100. */
export function valuesClose(a: number, b: number, errPct: number): boolean {
  return Math.abs(a - b) <= ((a + b) * errPct) / 100;
}
