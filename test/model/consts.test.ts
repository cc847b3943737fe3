/**
 * The run's constants (src/model/consts.ts): read once from the parameters, with the kernel values
 * of reclaim-model.md A3 by default and the profile- and HZ-derived ones following their inputs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constsFrom } from '../../src/model/consts.ts';
import { resolveParams } from '../../src/model/params.ts';

describe('constsFrom', () => {
  it('holds the kernel constants of A3 by default (current profile, HZ 1000)', () => {
    const c = constsFrom(resolveParams({}));
    assert.equal(c.hz, 1000);
    assert.equal(c.batch, 64);
    assert.equal(c.swapClusterMax, 32);
    assert.equal(c.maxRetries, 16);
    assert.equal(c.defPriority, 12);
    assert.equal(c.precisionShift, 20);
    assert.equal(c.scalingShift, 14);
    assert.equal(c.maxDelayJiffies, 2000, '2·HZ');
    assert.equal(c.noSleep, 10, 'HZ/100');
    assert.equal(c.swappiness, 60);
    assert.equal(c.psiFreqUs, 2e6);
    assert.deepEqual(c.exps, [1677, 1981, 2034]);
    assert.equal(c.vmpWindow, 512);
    assert.equal(c.vmpMedium, 60);
  });
  it('follows HZ: at 250 the clamp is 500 jiffies and the no-sleep threshold 2', () => {
    const c = constsFrom(resolveParams({ 'kernel.HZ': 250 }));
    assert.equal(c.maxDelayJiffies, 500);
    assert.equal(c.noSleep, 2);
  });
  it('reads the profile: before 5.8 the handler reclaims once, with the 5.19 cost model and no sync path', () => {
    const c = constsFrom(resolveParams({ 'kernel.profile': 'v5_7' }));
    assert.equal(c.highHandlerOnce, true);
    assert.equal(c.highPenalty, 'ancestors');
    assert.equal(c.swapHigh, false);
    assert.equal(c.costCurrent, false);
    assert.equal(c.highSync, false);
    assert.equal(c.batch, 32);
    const cur = constsFrom(resolveParams({}));
    assert.deepEqual([cur.highHandlerOnce, cur.costCurrent, cur.highSync], [false, true, true]);
  });
  it('reads the compressor: zstd stores in 40 µs and loads in 5.7 µs at ratio 3.4', () => {
    const c = constsFrom(resolveParams({ 'cost.compressor': 'zstd' }));
    assert.deepEqual([c.tCompress, c.tDecompress, c.ratio], [40, 5.7, 3.4]);
  });
});
