/**
 * Kernel profiles (src/model/profiles.ts) against the version history each field was audited
 * against (docs/model.md, "Kernel profiles"): one field at a time, the release that changed it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILES, PROFILE_IDS, profile, type KernelProfile } from '../../src/model/profiles.ts';

const field = <K extends keyof KernelProfile>(k: K): KernelProfile[K][] =>
  PROFILE_IDS.map((id) => PROFILES[id][k]);
/** true for the profiles from `first` on (PROFILE_IDS is oldest first). */
const since = (first: (typeof PROFILE_IDS)[number]): boolean[] =>
  PROFILE_IDS.map((_, i) => i >= PROFILE_IDS.indexOf(first));

describe('kernel profiles', () => {
  it('are keyed by their own ids, oldest first', () => {
    for (const id of PROFILE_IDS) assert.equal(PROFILES[id].id, id);
    assert.deepEqual(Object.keys(PROFILES), [...PROFILE_IDS]);
    assert.deepEqual(PROFILE_IDS, [
      'v5_4_to_5_5',
      'v5_6',
      'v5_7',
      'legacy_5_8_to_5_10',
      'v5_11_to_5_17',
      'v5_18',
      'v5_19',
      'v6_0',
      'v6_6',
      'current',
    ]);
  });
  it('the penalty looks at the own cgroup (5.4), ancestors with wrap-around (5.6), then ancestors', () => {
    assert.deepEqual(field('highPenalty'), [
      'own',
      'ancestors-wrap',
      ...Array<string>(PROFILE_IDS.length - 2).fill('ancestors'),
    ]);
  });
  it('the handler reclaims once before 5.8 and loops while reclaim progresses from 5.8 (b3ff92916af3)', () => {
    assert.deepEqual(
      field('highHandler').map((h) => h === 'retry-loop'),
      since('legacy_5_8_to_5_10'),
    );
  });
  it('memory.swap.high and its penalty term exist from 5.8 (4b82ab4f2890)', () => {
    assert.deepEqual(field('swapHigh'), since('legacy_5_8_to_5_10'));
  });
  it('the memory.high writer: once before 5.8, reclaim first on 5.8–5.10, limit first from 5.11', () => {
    assert.deepEqual(field('highWrite'), [
      'limit-then-once',
      'limit-then-once',
      'limit-then-once',
      'reclaim-first',
      ...Array<string>(PROFILE_IDS.length - 4).fill('limit-first'),
    ]);
  });
  it('the synchronous high handler starts at 5.18 (c9afe31ec443)', () => {
    assert.deepEqual(field('highSync'), since('v5_18'));
  });
  it('memory.reclaim and the charged zswap pool start at 5.19 (94968384dde1, f4840ccfca25)', () => {
    assert.deepEqual(field('memoryReclaim'), since('v5_19'));
    assert.deepEqual(field('zswapCharged'), since('v5_19'));
  });
  it('proactive reclaim stops feeding vmpressure in 6.0 (73b73bac90d9)', () => {
    assert.deepEqual(
      field('proactiveVmpressure').map((v) => !v),
      since('v6_0'),
    );
  });
  it('MEMCG_CHARGE_BATCH is 32 until 6.1 (1813e51eece0), then 64', () => {
    assert.deepEqual(
      field('batch').map((b) => b === 64),
      since('v6_6'),
    );
    for (const b of field('batch')) assert.ok(b === 32 || b === 64);
  });
  it("memory.reclaim's inner batch is the remainder, then 32 pages (6.6), then a quarter", () => {
    assert.equal(PROFILES.v5_19.batchPolicy, 'remainder');
    assert.equal(PROFILES.v6_0.batchPolicy, 'remainder');
    assert.equal(PROFILES.v6_6.batchPolicy, 'cap32');
    assert.equal(PROFILES.current.batchPolicy, 'quarter');
  });
  it('only current kernels take swappiness=, O_NONBLOCK, and bail out for dying tasks and memcgs', () => {
    for (const k of ['swappinessKey', 'nonblock', 'dyingBail', 'reclaimDyingMemcg'] as const) {
      for (const id of PROFILE_IDS) assert.equal(PROFILES[id][k], id === 'current', `${id} ${k}`);
    }
  });
});

describe('profile()', () => {
  it('looks a profile up and names the valid ids for an unknown one', () => {
    assert.equal(profile('v6_6'), PROFILES.v6_6);
    assert.throws(() => profile('v4_19'), /unknown kernel profile "v4_19"; valid: v5_4_to_5_5, v5_6, v5_7/);
  });
});
