/**
 * Ingest benchmark: `npm run bench:ingest -- [ARCHIVE_DIR] [--json] [--keep]`.
 *
 * Ingests the archive (default ../shared/archive: the whole cgroups list) into a fresh database
 * in a child process, then again (the re-run), and prints messages/s, peak RSS, database size
 * against the uncompressed mbox, and the re-run speed-up. When notmuch is installed it indexes
 * the same messages (written out as a Maildir first, not timed) in the same run, and the ratio is
 * printed. Targets (docs/benchmarks.md): ≥ 2× notmuch's messages/s, peak RSS < 400 MB,
 * database ≤ 1.5× the uncompressed mbox, re-run ≥ 10× faster.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { createGunzip } from 'node:zlib';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { readMbox } from '../src/mail/mbox.ts';
import { detectSources } from '../src/ingest/detect.ts';
import { ingestSummary, measure } from './measure.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const keep = args.includes('--keep');
const archive = resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/archive');
const BIN = resolve(import.meta.dirname, '..', 'bin', 'argmap.js');

async function uncompressedSize(): Promise<{ bytes: number; messages: number }> {
  let bytes = 0;
  let messages = 0;
  for (const s of detectSources([archive], process.cwd()).sources) {
    const src = createReadStream(s.path);
    const input = s.path.endsWith('.gz') ? src.pipe(createGunzip()) : src;
    const counted = (async function* () {
      for await (const c of input as AsyncIterable<Buffer>) {
        bytes += c.length;
        yield c;
      }
    })();
    for await (const it of readMbox(counted)) if (it.kind === 'message') messages++;
  }
  return { bytes, messages };
}

async function writeMaildir(dir: string): Promise<number> {
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  let n = 0;
  for (const s of detectSources([archive], process.cwd()).sources) {
    const src = createReadStream(s.path);
    const input = s.path.endsWith('.gz') ? src.pipe(createGunzip()) : src;
    for await (const it of readMbox(input as AsyncIterable<Buffer>))
      if (it.kind === 'message') writeFileSync(join(dir, 'new', `${1_700_000_000 + n}.${n++}.bench`), it.raw);
  }
  return n;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'argmap-bench-'));
  const db = join(work, 'bench.sqlite');
  try {
    const size = await uncompressedSize();
    const first = await measure(process.execPath, [BIN, 'ingest', '--json', '--db', db, archive]);
    const summary = ingestSummary(first.stdout);
    // The ingest proper (what notmuch does: read, parse, store, thread, full-text index) and the
    // argument graph built in the same run.
    const graphSeconds = summary.steps.graph ?? 0;
    const startup = first.seconds - summary.seconds;
    const ingestOnly = first.seconds - graphSeconds;
    const dbBytes = ['', '-wal', '-shm'].reduce(
      (a, x) => a + (existsSync(db + x) ? statSync(db + x).size : 0),
      0,
    );
    const second = await measure(process.execPath, [BIN, 'ingest', '--json', '--db', db, archive]);
    const result: Record<string, unknown> = {
      archive,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}`,
      messages: size.messages,
      uncompressedMB: +(size.bytes / 1e6).toFixed(1),
      argmap: {
        seconds: +first.seconds.toFixed(1),
        messagesPerSecond: Math.round(size.messages / first.seconds),
        phases: { startup: +startup.toFixed(1), reading: summary.readSeconds, ...summary.steps },
        withoutGraph: {
          seconds: +ingestOnly.toFixed(1),
          messagesPerSecond: Math.round(size.messages / ingestOnly),
        },
        peakRssMB: Math.round(first.peakRssMB),
        databaseMB: +(dbBytes / 1e6).toFixed(1),
        databaseToMbox: +(dbBytes / size.bytes).toFixed(2),
        added: summary.added,
      },
      rerun: { seconds: +second.seconds.toFixed(2), speedup: +(first.seconds / second.seconds).toFixed(1) },
    };
    const notmuch = spawnSync('sh', ['-c', 'command -v notmuch']).stdout.toString().trim();
    if (notmuch) {
      const md = join(work, 'maildir');
      await writeMaildir(md);
      const cfg = join(work, 'notmuch-config');
      writeFileSync(
        cfg,
        `[database]\npath=${md}\n[user]\nname=Bench\nprimary_email=bench@example.invalid\n[new]\ntags=new;\n`,
      );
      const nm = await measure(notmuch, ['new', '--quiet'], { ...process.env, NOTMUCH_CONFIG: cfg });
      const rate = size.messages / nm.seconds;
      result.notmuch = {
        seconds: +nm.seconds.toFixed(1),
        messagesPerSecond: Math.round(rate),
        peakRssMB: Math.round(nm.peakRssMB),
      };
      result.ratio = +(size.messages / first.seconds / rate).toFixed(2);
      result.ratioWithoutGraph = +(size.messages / ingestOnly / rate).toFixed(2);
    } else result.notmuch = 'not installed (apt-get install notmuch) — no ratio';
    if (json) console.log(JSON.stringify(result, null, 2));
    else {
      const a = result.argmap as Record<string, number> & {
        phases: Record<string, number>;
        withoutGraph: Record<string, number>;
      };
      const r = result.rerun as Record<string, number>;
      console.log(
        `archive: ${archive} (${size.messages} messages, ${result.uncompressedMB} MB uncompressed)`,
      );
      console.log(`machine: ${result.machine}`);
      console.log(
        `argmap ingest: ${a.seconds} s, ${a.messagesPerSecond} msg/s, peak RSS ${a.peakRssMB} MB, database ${a.databaseMB} MB (${a.databaseToMbox}× the mbox)`,
      );
      console.log(
        `  phases (s): ${Object.entries(a.phases)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      console.log(
        `  without the argument graph: ${a.withoutGraph.seconds} s, ${a.withoutGraph.messagesPerSecond} msg/s`,
      );
      console.log(`re-run: ${r.seconds} s (${r.speedup}× faster)`);
      if (typeof result.notmuch === 'object') {
        const n = result.notmuch as Record<string, number>;
        console.log(`notmuch new: ${n.seconds} s, ${n.messagesPerSecond} msg/s, peak RSS ${n.peakRssMB} MB`);
        console.log(
          `ratio argmap/notmuch: ${result.ratioWithoutGraph}× for the ingest, ${result.ratio}× with the argument graph built in the same run`,
        );
      } else console.log(`notmuch: ${result.notmuch}`);
    }
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
    else console.error(`kept ${work}`);
  }
}

await main();
