// Progress (src/util/progress.ts) with a real sink and a fixed clock (performance.now replaced for
// the test, so rates and ETAs are exact): silent when stderr is not a terminal, one redrawn line
// with count, rate and ETA when it is, at most one redraw per 200 ms, and a clear.
import { afterEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Progress } from '../../src/util/progress.ts';

const sink = (isTTY: boolean): { isTTY: boolean; err: (s: string) => void; lines: string[] } => {
  const lines: string[] = [];
  return { isTTY, err: (s) => void lines.push(s), lines };
};
let now = 0;
const clock = (): void => {
  now = 1_000_000;
  mock.method(performance, 'now', () => now);
};
afterEach(() => mock.restoreAll());
const eta = (line: string): string | undefined => /ETA (\S+)/.exec(line)?.[1];

describe('Progress', () => {
  it('prints nothing when stderr is not a terminal', () => {
    const s = sink(false);
    const p = new Progress(s, 'ingest');
    p.update(10, 'a.mbox', 0.5);
    p.done();
    assert.deepEqual(s.lines, []);
  });

  it('draws one line with the count, rate and ETA, and clears it', () => {
    clock();
    const s = sink(true);
    const p = new Progress(s, 'ingest');
    now += 10_000;
    p.update(12_345, 'a.mbox', 0.25);
    // 12,345 messages in 10 s; a quarter done in 10 s leaves 30 s
    assert.deepEqual(
      s.lines.map((l) => l.trimEnd()),
      ['\ringest: a.mbox · 12,345 msgs · 1,235 msg/s · ETA 0:30'],
    );
    now += 199;
    p.update(12_346, 'a.mbox', 0.5);
    assert.equal(s.lines.length, 1, 'a second update within 200 ms is not drawn');
    now += 1;
    p.update(12_347, 'a.mbox', 0.5);
    assert.equal(s.lines.length, 2);
    p.done();
    assert.equal(s.lines[2], '\r\x1b[2K');
    p.done();
    assert.equal(s.lines.length, 3, 'nothing to clear twice');
  });

  it('leaves the ETA out when the fraction is unknown or too small', () => {
    clock();
    const s = sink(true);
    const p = new Progress(s, 'graph');
    now += 1000;
    p.update(5, 'threads', 0.0005);
    now += 1000;
    p.update(6, 'threads');
    assert.equal(s.lines.length, 2);
    for (const l of s.lines) assert.equal(eta(l), undefined);
  });

  it('formats ETAs as m:ss under an hour and as hours and minutes above', () => {
    const at = (secs: number, fraction: number): string | undefined => {
      clock();
      const s = sink(true);
      const p = new Progress(s, 'ingest');
      now += secs * 1000;
      p.update(1, 'x', fraction);
      mock.restoreAll();
      return eta(s.lines[0]!);
    };
    assert.equal(at(65, 0.5), '1:05');
    assert.equal(at(3725, 0.5), '1h02m');
    // 119.6 s rounds to 2:00, not 1:60
    assert.equal(at(119.6, 0.5), '2:00');
  });
});
