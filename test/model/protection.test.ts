/**
 * The selftests' protection model (src/model/protection.ts, memcg_protection.m), on cases small
 * enough to work out by hand: what is within its protection is never reclaimed, unprotected usage
 * is reclaimed to nothing, overcommitted protection is shared by protected usage, and with
 * memory_recursiveprot unclaimed protection flows to unprotected siblings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { protectionModel } from '../../src/model/protection.ts';

describe('protectionModel', () => {
  it('leaves a sibling within its protection alone and stops after one round', () => {
    // usage 10 ≤ low 20, parent protection 50: effective 10, nothing to reclaim.
    const m = protectionModel({ parentEffective: 50, nominal: [20], usage: [10] });
    assert.deepEqual(m.usage, [10]);
    assert.deepEqual(m.effective, [10]);
    assert.equal(m.rounds, 1);
  });
  it('reclaims an unprotected sibling to nothing', () => {
    const m = protectionModel({ parentEffective: 0, nominal: [0], usage: [10] });
    assert.deepEqual(m.usage, [0]);
    assert.ok(m.rounds < 1000);
  });
  it('shares overcommitted protection in proportion: two siblings claiming 10 each of 10 settle at 5', () => {
    const m = protectionModel({ parentEffective: 10, nominal: [10, 10], usage: [10, 10] });
    for (const c of m.usage) assert.ok(Math.abs(c - 5) < 0.01, `usage ${c}`);
    for (const e of m.effective) assert.ok(Math.abs(e - 5) < 0.01, `effective ${e}`);
  });
  it('with memory_recursiveprot the unclaimed 40 of 50 protects the unprotected sibling too', () => {
    // A: low 0, usage 10; B: low 20, usage 10. B claims 10 of 50; A's 10 of unprotected usage gets
    // the other 40 (all of it, by its share of the parent's unprotected usage), so A is protected.
    const input = { parentEffective: 50, nominal: [0, 20], usage: [10, 10] };
    assert.deepEqual(protectionModel({ ...input, recursive: true }).usage, [10, 10]);
    assert.deepEqual(protectionModel({ ...input, recursive: false }).usage, [0, 10]);
  });
});
