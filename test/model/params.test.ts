/**
 * The parameter registry (src/model/params.ts): parsing each kind of value with its range, errors a
 * user can act on, layers of overrides, and the defaults derived from the kernel profile, HZ and
 * the compressor (reclaim-model.md A3).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PARAMS,
  ParamError,
  paramKey,
  paramSpec,
  paramsForOutput,
  parseParam,
  parseSetArgs,
  resolveParams,
  validKeysText,
} from '../../src/model/params.ts';

const fails = (f: () => unknown, text: RegExp): void =>
  assert.throws(f, (e: unknown) => e instanceof ParamError && text.test(e.message));

describe('parseParam', () => {
  it('parses sizes, limits, integers, floats, booleans and enums', () => {
    assert.equal(parseParam('workload.hot', '512M'), 512 * 2 ** 20);
    assert.equal(parseParam('workload.high', 'max'), Infinity);
    assert.equal(parseParam('workload.high', '1G'), 2 ** 30);
    assert.equal(parseParam('kernel.HZ', '250'), 250);
    assert.equal(parseParam('cost.t_scan', '1e-1'), 0.1);
    assert.equal(parseParam('swap.zswap', 'false'), false);
    assert.equal(parseParam('swap.zswap', 1), true);
    assert.equal(parseParam('cost.compressor', ' zstd '), 'zstd');
  });
  it('names the allowed range when a value is out of it or of the wrong kind', () => {
    fails(() => parseParam('kernel.HZ', '2000'), /kernel.HZ=2000: invalid value; allowed: 100 to 1000 Hz/);
    fails(() => parseParam('sim.cpus', '1.5'), /sim.cpus=1.5: invalid value/);
    fails(() => parseParam('sim.duration', '10s'), /allowed: 0.1 to 86400 s/);
    fails(() => parseParam('swap.zswap', 'yes'), /allowed: 0, 1, true or false/);
    fails(() => parseParam('cost.compressor', 'gzip'), /allowed: one of lzo, lzo-rle, lz4, zstd/);
    fails(
      () => parseParam('workload.max', '-1G'),
      /allowed: 0 to 64T \(bytes; suffixes K, M, G, T\) or "max"/,
    );
    fails(() => parseParam('workload.hot', 'max'), /workload.hot=max/);
  });
  it('names the valid keys, grouped by prefix, for an unknown one', () => {
    fails(
      () => parseParam('workload.hott', '1G'),
      /unknown parameter "workload.hott"; valid: sim\.\{duration,/,
    );
    fails(() => paramKey('nope'), /unknown parameter "nope"/);
    assert.equal(paramKey('kernel.HZ'), 'kernel.HZ');
    assert.match(validKeysText(), /kernel\.\{profile,HZ,MEMCG_CHARGE_BATCH,/);
  });
});

describe('resolveParams', () => {
  it('gives every key a value, later layers winning', () => {
    const p = resolveParams({ 'workload.hot': '1G' }, { 'workload.hot': '2G', 'sim.cpus': 2 });
    assert.equal(Object.keys(p).length, PARAMS.length);
    assert.equal(p['workload.hot'], 2 * 2 ** 30);
    assert.equal(p['sim.cpus'], 2);
    assert.equal(p['sim.duration'], 360);
  });
  it('derives the charge batch from the profile: 32 on 5.19, 64 since 6.1', () => {
    assert.equal(resolveParams({ 'kernel.profile': 'v5_19' })['kernel.MEMCG_CHARGE_BATCH'], 32);
    assert.equal(resolveParams({})['kernel.MEMCG_CHARGE_BATCH'], 64);
    assert.equal(resolveParams({ 'kernel.profile': 'v5_19' })['kernel.batchPolicy'], 'remainder');
    assert.equal(resolveParams({ 'kernel.profile': 'legacy_5_8_to_5_10' })['kernel.memoryReclaim'], false);
  });
  it('derives the throttle clamp from HZ (2·HZ) and the costs from the compressor', () => {
    assert.equal(resolveParams({ 'kernel.HZ': 250 })['kernel.MEMCG_MAX_HIGH_DELAY_JIFFIES'], 500);
    const zstd = resolveParams({ 'cost.compressor': 'zstd' });
    assert.deepEqual(
      [zstd['cost.t_compress'], zstd['cost.t_decompress'], zstd['cost.ratio']],
      [40, 5.7, 3.4],
    );
    const lz4 = resolveParams({ 'cost.compressor': 'lz4' });
    assert.deepEqual([lz4['cost.t_compress'], lz4['cost.t_decompress'], lz4['cost.ratio']], [1.5, 1.7, 2.6]);
  });
  it('an explicit value beats a derived default', () => {
    const p = resolveParams({ 'kernel.profile': 'v5_19', 'kernel.MEMCG_CHARGE_BATCH': 128 });
    assert.equal(p['kernel.MEMCG_CHARGE_BATCH'], 128);
  });
  it('checks every override it is given', () => {
    fails(() => resolveParams({ 'sim.cpus': 0 }), /sim.cpus=0/);
  });
});

describe('the table', () => {
  it('has unique keys, each with a kind, help and source, and ranges that hold their defaults', () => {
    assert.equal(new Set(PARAMS.map((s) => s.key)).size, PARAMS.length);
    const defaults = resolveParams({});
    for (const s of PARAMS) {
      assert.ok(s.help.length > 0, s.key);
      assert.equal(paramSpec(s.key), s);
      const v = defaults[s.key];
      if (s.kind === 'enum') assert.ok(s.choices?.includes(String(v)), `${s.key} default ${String(v)}`);
      else if (s.kind === 'bool') assert.equal(typeof v, 'boolean', s.key);
      else if (!(s.kind === 'limit' && v === Infinity)) {
        assert.equal(typeof v, 'number', s.key);
        assert.ok((s.min ?? -Infinity) <= (v as number) && (v as number) <= (s.max ?? Infinity), s.key);
      }
    }
  });
});

describe('parseSetArgs and output', () => {
  it('parses key=value items, trimming the key', () => {
    assert.deepEqual(parseSetArgs([' workload.hot =1G', 'swap.zswap=0']), {
      'workload.hot': 2 ** 30,
      'swap.zswap': false,
    });
  });
  it('refuses an item without a key', () => {
    fails(() => parseSetArgs(['workload.hot']), /--set expects key=value, got "workload.hot"/);
    fails(() => parseSetArgs(['=1']), /--set expects key=value/);
  });
  it('writes unlimited values as "max" for JSON', () => {
    const out = paramsForOutput(resolveParams({}));
    assert.equal(out['workload.high'], 'max');
    assert.equal(out['sim.duration'], 360);
    assert.ok(Object.values(out).every((v) => typeof v !== 'number' || Number.isFinite(v)));
  });
});
