/**
 * Kernel profiles (src/model/profiles.ts) against the version history of reclaim-model.md (A1, A3
 * and the timeline): what each profile says about the charge batch, memory.reclaim and its inner
 * batches, the memory.high write order, the high handler, zswap charging and vmpressure.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILES, PROFILE_IDS, profile, type KernelProfile } from '../../src/model/profiles.ts';

const field = <K extends keyof KernelProfile>(k: K): Record<string, KernelProfile[K]> =>
  Object.fromEntries(PROFILE_IDS.map((id) => [id, PROFILES[id][k]]));

describe('kernel profiles', () => {
  it('are keyed by their own ids', () => {
    for (const id of PROFILE_IDS) assert.equal(PROFILES[id].id, id);
    assert.deepEqual(Object.keys(PROFILES).sort(), [...PROFILE_IDS].sort());
  });
  it('MEMCG_CHARGE_BATCH is 32 until 6.1 (1813e51eece0), then 64', () => {
    assert.deepEqual(field('batch'), {
      v5_19: 32,
      v6_6: 64,
      current: 64,
      legacy_5_8_to_5_10: 32,
      pre_5_8_throttle: 32,
    });
  });
  it('memory.reclaim exists from 5.19; its inner batch is the remainder, then 32 pages, then a quarter', () => {
    assert.deepEqual(field('memoryReclaim'), {
      v5_19: true,
      v6_6: true,
      current: true,
      legacy_5_8_to_5_10: false,
      pre_5_8_throttle: false,
    });
    assert.equal(PROFILES.v5_19.batchPolicy, 'remainder');
    assert.equal(PROFILES.v6_6.batchPolicy, 'cap32');
    assert.equal(PROFILES.current.batchPolicy, 'quarter');
  });
  it('only current kernels take swappiness=, O_NONBLOCK and bail out for dying tasks', () => {
    for (const k of ['swappinessKey', 'nonblock', 'dyingBail'] as const) {
      for (const id of PROFILE_IDS) assert.equal(PROFILES[id][k], id === 'current', `${id} ${k}`);
    }
  });
  it('the memory.high writer reclaims first only on 5.8–5.10, and once before 5.8', () => {
    assert.deepEqual(field('highWrite'), {
      v5_19: 'limit-first',
      v6_6: 'limit-first',
      current: 'limit-first',
      legacy_5_8_to_5_10: 'reclaim-first',
      pre_5_8_throttle: 'limit-then-once',
    });
    assert.deepEqual(field('highHandler'), {
      v5_19: 'retry-loop',
      v6_6: 'retry-loop',
      current: 'retry-loop',
      legacy_5_8_to_5_10: 'retry-loop',
      pre_5_8_throttle: 'once',
    });
  });
  it('zswap is charged to the cgroup from 5.19 (f4840ccfca25); proactive reclaim stops feeding vmpressure in 6.0', () => {
    for (const id of PROFILE_IDS) {
      const since519 = id === 'v5_19' || id === 'v6_6' || id === 'current';
      assert.equal(PROFILES[id].zswapCharged, since519, id);
      assert.equal(PROFILES[id].proactiveVmpressure, !(id === 'v6_6' || id === 'current'), id);
      assert.equal(PROFILES[id].highSync, since519, id);
    }
  });
});

describe('profile()', () => {
  it('looks a profile up and names the valid ids for an unknown one', () => {
    assert.equal(profile('v6_6'), PROFILES.v6_6);
    assert.throws(() => profile('v4_19'), /unknown kernel profile "v4_19"; valid: v5_19, v6_6, current/);
  });
});
