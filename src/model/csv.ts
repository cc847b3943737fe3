/**
 * CSV of a scenario's time series: one row per arm and sample, one column per series (A10 names and
 * units in the header). Empty cells stand for "max" limits and missing values.
 */
import type { ArmResult } from './arm.ts';
import { SERIES } from './series.ts';

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The time series of every arm, long format: arm, then each series. */
export function toCsv(arms: readonly Pick<ArmResult, 'name' | 'series'>[]): string {
  const header = ['arm', ...SERIES.map((s) => (s.unit ? `${s.key}` : s.key))];
  const lines = [header.join(',')];
  for (const arm of arms) {
    const n = arm.series.t_s?.length ?? 0;
    for (let i = 0; i < n; i++) {
      const row = [cell(arm.name), ...SERIES.map((s) => cell(arm.series[s.key]?.[i]))];
      lines.push(row.join(','));
    }
  }
  return lines.join('\n') + '\n';
}
