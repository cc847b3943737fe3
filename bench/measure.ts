/**
 * What the benchmarks share: running a command while sampling its peak RSS and CPU time, reading
 * the summary `argmap ingest --json` prints, and quantiles of latency samples.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export interface Run {
  seconds: number;
  peakRssMB: number;
  stdout: string;
  /** User + system CPU time of the child (all its threads), sampled with the RSS: robust to a shared machine. */
  cpuSeconds: number;
  /** Mean 1-minute load average while it ran: the machine is shared, and this says how much. */
  meanLoad: number;
}

/** Run a command to its end, sampling the child's VmHWM (its peak RSS, worker threads included). */
export function measure(
  cmd: string,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  quiet = false,
): Promise<Run> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let peak = 0;
    let cpu = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, vmHwmMB(child.pid));
      cpu = Math.max(cpu, cpuSeconds(child.pid));
    }, 50);
    const loads: number[] = [];
    const loadPoll = setInterval(() => loads.push(loadavg()[0]!), 5000);
    child.on('error', rej);
    child.on('close', (code) => {
      clearInterval(poll);
      clearInterval(loadPoll);
      const meanLoad = +(
        loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : loadavg()[0]!
      ).toFixed(2);
      if (code !== 0) rej(new Error(`${cmd} ${argv.join(' ')} exited with ${code}`));
      else
        res({
          seconds: (performance.now() - t0) / 1000,
          cpuSeconds: cpu,
          peakRssMB: peak,
          stdout: out,
          meanLoad,
        });
    });
  });
}

/** Peak RSS (VmHWM) of a process in MB; 0 once it has ended. */
export function vmHwmMB(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0; // the process has ended
  }
}

/** utime + stime of a process from /proc/PID/stat (clock ticks of 1/100 s on Linux). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** Nearest-rank quantile (`q` in 0–1) of a list of numbers; NaN for an empty list. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** Milliseconds rounded to a tenth, as the benchmarks print them. */
export const ms = (x: number): number => +x.toFixed(1);

/** p50, p95 and the largest of latency samples (ms), and how many there were. */
export function latencies(xs: number[]): { p50: number; p95: number; max: number; n: number } {
  return { p50: ms(quantile(xs, 0.5)), p95: ms(quantile(xs, 0.95)), max: ms(Math.max(...xs)), n: xs.length };
}

/** The part of `argmap ingest --json`'s summary the benchmarks read: seconds, and seconds per step. */
export interface IngestSummary {
  added: number;
  seconds: number;
  readSeconds: number;
  steps: Record<string, number>;
}

/**
 * The summary an `argmap ingest --json` run printed, read as the benchmarks' own type rather than
 * the CLI's, so a benchmark does not load the code it measures.
 */
export function ingestSummary(stdout: string): IngestSummary {
  return JSON.parse(stdout) as IngestSummary;
}
