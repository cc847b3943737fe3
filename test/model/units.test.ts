/**
 * Sizes (src/model/units.ts): parsing as the kernel's memparse() does (K/M/G/T are powers of 1024,
 * any case), bytes to whole pages rounded down as page_counter_memparse() does, and the compact
 * sizes and rounding of the output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToPages, formatBytes, pagesToMiB, parseBytes, round } from '../../src/model/units.ts';

describe('parseBytes', () => {
  it('parses sizes as memparse does', () => {
    assert.equal(parseBytes('1G'), 1 << 30);
    assert.equal(parseBytes('256m'), 256 << 20);
    assert.equal(parseBytes('4GiB'), 4 * 2 ** 30);
    assert.equal(parseBytes('4096'), 4096);
    assert.equal(parseBytes('8k'), 8192);
    assert.equal(parseBytes('1T'), 2 ** 40);
    assert.equal(parseBytes(' 1.5G '), 1.5 * 2 ** 30);
  });
  it('is NaN for what is not a size', () => {
    for (const bad of ['max', '-1G', '1X', '', 'G', '1 G B']) assert.ok(Number.isNaN(parseBytes(bad)), bad);
  });
});

describe('pages and MiB', () => {
  it('bytes become whole 4 KiB pages, rounded down', () => {
    assert.equal(bytesToPages(4095), 0);
    assert.equal(bytesToPages(4096), 1);
    assert.equal(bytesToPages(1 << 20), 256);
    assert.equal(bytesToPages(1 << 30), 262144);
  });
  it('256 pages are 1 MiB', () => {
    assert.equal(pagesToMiB(256), 1);
    assert.equal(pagesToMiB(1), 1 / 256);
  });
});

describe('output', () => {
  it('formatBytes picks the largest unit and two decimals below ten of it, one above', () => {
    assert.equal(formatBytes(Infinity), 'max');
    assert.equal(formatBytes(512), '512');
    assert.equal(formatBytes(12 * 1024), '12K');
    assert.equal(formatBytes(300 * 2 ** 20), '300M');
    assert.equal(formatBytes(1.5 * 2 ** 30), '1.50G');
    assert.equal(formatBytes(12.5 * 2 ** 30), '12.5G');
    assert.equal(formatBytes(2 ** 40), '1T');
  });
  it('formatBytes and parseBytes agree on whole sizes', () => {
    for (const s of ['4K', '512M', '3G', '2T']) assert.equal(formatBytes(parseBytes(s)), s);
  });
  it('round() keeps the decimals asked for and turns non-finite values into null', () => {
    assert.equal(round(1.23456), 1.235);
    assert.equal(round(2.5, 0), 3);
    assert.equal(round(-0.0004), -0);
    assert.equal(round(Infinity), null);
    assert.equal(round(NaN), null);
  });
});
