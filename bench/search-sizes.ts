/**
 * Sizes of a site's search data files by kind (bench/site.ts on a built site, bench/site-index.ts
 * on the search pages in memory): the kind is the file's first letter (`s` term shards, `p`
 * positions, `d` document chunks), or `manifest`.
 */
import { gzipSync } from 'node:zlib';

/** Files, raw and gzip bytes of one kind, and the largest file's gzip bytes. */
export interface KindSize {
  files: number;
  raw: number;
  gz: number;
  maxGz: number;
}

/** The kind of a file under search/ by its name. */
export function searchFileKind(name: string): string {
  return name === 'manifest.js' ? 'manifest' : name.slice(0, 1);
}

/** Count one file into `kinds`; returns its gzip size. */
export function addSearchFile(kinds: Map<string, KindSize>, name: string, buf: Buffer): number {
  const kind = searchFileKind(name);
  const gz = gzipSync(buf).length;
  const k = kinds.get(kind) ?? { files: 0, raw: 0, gz: 0, maxGz: 0 };
  k.files++;
  k.raw += buf.length;
  k.gz += gz;
  k.maxGz = Math.max(k.maxGz, gz);
  kinds.set(kind, k);
  return gz;
}
