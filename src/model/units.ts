/**
 * Size and duration parsing for parameters and control-file writes ("1G", "256m", "4GiB", "max").
 * Sizes follow the kernel's memparse(): K/M/G/T suffixes are powers of 1024, case-insensitive.
 */
import { PAGE_SIZE } from './formulas.ts';

const SUFFIX: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Parse a byte size like "512M", "1.5G", "4096" or "4GiB". Returns NaN when the text is not a size. */
export function parseBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return NaN;
  const mult = SUFFIX[(m[2] ?? '').toLowerCase()];
  if (mult === undefined) return NaN;
  return Number(m[1]) * mult;
}

/** Bytes to whole pages, rounded down as the kernel's page_counter_memparse() does. */
export function bytesToPages(bytes: number): number {
  return Math.floor(bytes / PAGE_SIZE);
}

/** Pages to MiB, for readable output. */
export function pagesToMiB(pages: number): number {
  return (pages * PAGE_SIZE) / 1024 ** 2;
}

/** A compact human size for text output: 1.5G, 300M, 12K. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'max';
  const abs = Math.abs(bytes);
  const units: [number, string][] = [
    [1024 ** 4, 'T'],
    [1024 ** 3, 'G'],
    [1024 ** 2, 'M'],
    [1024, 'K'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const v = bytes / size;
      return `${Number.isInteger(v) ? v : v.toFixed(abs >= 10 * size ? 1 : 2)}${unit}`;
    }
  }
  return `${bytes}`;
}

/** Round to a fixed number of decimals for output, turning non-finite values into null. */
export function round(v: number, decimals = 3): number | null {
  if (!Number.isFinite(v)) return null;
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}
