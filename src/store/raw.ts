/** Reading stored raw message bytes back (for export, the raw download link and re-parsing). */
import { inflateRawSync } from 'node:zlib';
import type { Db } from './db.ts';

interface Loc {
  pack_id: number;
  offset: number;
  size: number;
  format: string;
}

/**
 * Reads raw messages out of their packs, keeping the last unpacked pack: exports read messages in
 * pack order, so each pack is inflated once.
 */
export class RawReader {
  /** Inflated packs, least recently used first, and their total size. */
  private cache = new Map<number, Buffer>();
  private cached = 0;
  private s;

  /**
   * @param cacheBytes how many bytes of inflated packs to keep besides the last one read: 0 for
   *   reads in pack order; some MB make reads in thread order inflate each pack about once. A
   *   budget in bytes, not packs: a pack is about 512 KB, but one that holds a 32 MB message is
   *   32 MB, and a crafted archive could be all such packs.
   */
  constructor(
    private db: Db,
    private cacheBytes = 0,
  ) {
    this.s = {
      raw: db.prepare<[number], Loc>(
        'SELECT pack_id, offset, size, format FROM message_raw WHERE message_id = ?',
      ),
      rawSha: db.prepare<[number, string], Loc>(
        'SELECT pack_id, offset, size, format FROM message_raw WHERE message_id = ? AND sha256 = ?',
      ),
      copySha: db.prepare<[number, string], Loc>(
        'SELECT pack_id, pack_offset AS offset, size, format FROM message_copies WHERE message_id = ? AND sha256 = ?',
      ),
      pack: db.prepare<[number], { compression: string; data: Buffer }>(
        'SELECT compression, data FROM raw_packs WHERE id = ?',
      ),
    };
  }

  /** Bytes of inflated packs held now (at most the budget plus the pack read last). */
  get cachedBytes(): number {
    return this.cached;
  }

  private packData(id: number): Buffer {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const p = this.s.pack.get(id);
    if (!p) throw new Error(`raw pack ${id} is missing`);
    const data = p.compression === 'deflate' ? inflateRawSync(p.data) : p.data;
    this.cache.set(id, data);
    this.cached += data.length;
    for (const [old, buf] of this.cache) {
      if (this.cached - data.length <= this.cacheBytes || old === id) break;
      this.cache.delete(old);
      this.cached -= buf.length;
    }
    return data;
  }

  /** The primary raw copy of a message (row id), or the copy with the given sha256. */
  get(messageRowId: number, sha?: string): { raw: Buffer; format: string } | null {
    let loc: Loc | undefined;
    if (sha) loc = this.s.rawSha.get(messageRowId, sha) ?? this.s.copySha.get(messageRowId, sha);
    loc ??= this.s.raw.get(messageRowId);
    if (!loc) return null;
    const data = this.packData(loc.pack_id);
    return { raw: Buffer.from(data.subarray(loc.offset, loc.offset + loc.size)), format: loc.format };
  }
}

/** One-off read of a message's raw bytes. */
export function getRaw(db: Db, messageRowId: number, sha?: string): { raw: Buffer; format: string } | null {
  return new RawReader(db).get(messageRowId, sha);
}
