/**
 * Progress for long runs: one status line on stderr, redrawn at most a few times a second, only
 * when stderr is a terminal (CI logs and pipes stay clean). Shows rate and, when the total is
 * known, an ETA.
 */

export interface ProgressSink {
  isTTY: boolean;
  err: (s: string) => void;
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  // round once, to whole seconds, so that 119.6 s reads 2:00 rather than 1:60
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  const sec = whole % 60;
  return m >= 60
    ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
    : `${m}:${String(sec).padStart(2, '0')}`;
}

export class Progress {
  private last = 0;
  private start = performance.now();
  private drawn = false;

  constructor(
    private sink: ProgressSink,
    private label: string,
  ) {}

  /** Report `done` items; `fraction` of the work (0..1) when known gives an ETA. */
  update(done: number, detail: string, fraction?: number): void {
    if (!this.sink.isTTY) return;
    const now = performance.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const rate = done / Math.max(secs, 1e-3);
    let line = `${this.label}: ${detail} · ${done.toLocaleString('en-US')} msgs · ${Math.round(rate).toLocaleString('en-US')} msg/s`;
    if (fraction !== undefined && fraction > 0.001)
      line += ` · ETA ${fmtDuration((secs / fraction) * (1 - fraction))}`;
    const cols = Number(process.stderr.columns) || 100;
    this.sink.err(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length + 2))}`);
    this.drawn = true;
  }

  /** Clear the status line before normal output. */
  done(): void {
    if (this.drawn && this.sink.isTTY) this.sink.err('\r\x1b[2K');
    this.drawn = false;
  }
}
