/**
 * The kernel's own protection model (tools/testing/selftests/cgroup/memcg_protection.m), restated:
 * siblings under a parent with effective protection E, each with nominal memory.low n[i] and usage
 * c[i], are reclaimed in parallel rounds with a fixed reclaim coefficient (standing for
 * 0.5^priority) and a 32-page minimum, scan aggression excluding protection, until no sibling has
 * anything left to give. Used by validation target V6.
 */

export interface ProtectionModelInput {
  /** Parent effective protection (GB in the original; any unit works). */
  parentEffective: number;
  /** Nominal memory.low per sibling. */
  nominal: number[];
  /** Initial usage per sibling. */
  usage: number[];
  /** Reclaim coefficient per round (0.1 in the original). */
  alpha?: number;
  /** Smallest reclaim amount per round, in the same unit (32 pages of 4 KiB, in GB, originally). */
  cluster?: number;
  epsilon?: number;
  /** Round limit (1000 in the original). */
  timeout?: number;
  /** memory_recursiveprot: unclaimed parent protection flows to siblings by their unprotected usage. */
  recursive?: boolean;
}

export interface ProtectionModelOutput {
  usage: number[];
  effective: number[];
  rounds: number;
}

/** Run the parallel-reclaim protection model to equilibrium (iteratively, no recursion). */
export function protectionModel(input: ProtectionModelInput): ProtectionModelOutput {
  const E = input.parentEffective;
  const n = input.nominal;
  let c = input.usage.slice();
  const alpha = input.alpha ?? 0.1;
  const cluster = input.cluster ?? (32 * 4) / 2 ** 20;
  const eps = input.epsilon ?? 1e-7;
  const timeout = input.timeout ?? 1000;
  const recursive = input.recursive ?? true;
  let e = c.map(() => 0);
  let t = 1;
  for (; t <= timeout; t++) {
    const prot = c.map((ci, i) => Math.min(n[i] ?? 0, ci));
    const siblings = prot.reduce((a, b) => a + b, 0);
    // Overcommitted protection is shared in proportion to each sibling's protected usage.
    e = prot.map((pi) => (siblings > 0 ? pi * Math.min(1, E / siblings) : 0));
    const unclaimed = Math.max(0, E - siblings);
    const parentOveruse = c.reduce((a, b) => a + b, 0) - siblings;
    if (recursive && unclaimed > 0 && parentOveruse > 0) {
      e = e.map((ei, i) => ei + (unclaimed * Math.max(0, (c[i] ?? 0) - (prot[i] ?? 0))) / parentOveruse);
    }
    // Scan aggression excludes the protected part (1bc63fb1272b): r = alpha·c·(1 − e/max(e, c)).
    let r = c.map((ci, i) => {
      const ei = e[i] ?? 0;
      const size = Math.max(ei, ci);
      return alpha * ci * (1 - (ei + eps) / (size + eps));
    });
    if (Math.max(...r) < eps) break;
    // SWAP_CLUSTER_MAX round-up for every sibling that has something to give.
    r = r.map((ri) => (ri > eps ? Math.max(ri, cluster) : ri));
    c = c.map((ci, i) => Math.max(ci - (r[i] ?? 0), 0));
  }
  return { usage: c, effective: e, rounds: t };
}
