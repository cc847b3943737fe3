/**
 * Writes ingested items into the archive. All statements are prepared once; callers group calls
 * into transactions (`ArchiveWriter.transaction`) so that a batch of messages, their sources, raw
 * copies and references commit together: a kill at any moment leaves whole messages or none.
 */
import { deflateRawSync } from 'node:zlib';
import type { Db } from './db.ts';
import { setMeta } from './db.ts';
import { PeopleIndex } from './people.ts';
import type { ParsedCommit, PreparedMessage } from './types.ts';
import type { Trailer } from '../mail/trailers.ts';
import { reusedMsgId, sha256, syntheticMsgId } from '../mail/msgid.ts';

export type StoreOutcome = 'added' | 'duplicate' | 'merged' | 'reused-id';

export interface SourceRef {
  sourceId: number;
  offset: number;
  locator?: string | undefined;
  envelope?: string | undefined;
}

/** Raw bytes per pack before it is compressed and written (bigger packs compress better, read slower). */
const PACK_BYTES = 512 * 1024;

interface PackEntry {
  messageId: number;
  format: string;
  sha: string;
  raw: Buffer;
  /** Set for a second copy of a stored message (other bytes, other source). */
  copyOf?: { sourceId: number; offset: number };
}

interface IdRow {
  id: number;
  is_ghost: number;
  content_sha256: string | null;
}

/**
 * The columns of a messages row that come straight from the prepared message, shared by a new row,
 * a ghost filled in and a page copy promoted to mail; the caller adds the id and how it was derived.
 */
function messageFields(p: PreparedMessage, authorId: number | null) {
  const parsed = p.parsed;
  return {
    subject: parsed.subject,
    author_id: authorId,
    from_name: parsed.fromName || null,
    from_addr: parsed.fromAddr || null,
    to_addrs: parsed.to,
    cc_addrs: parsed.cc,
    date: parsed.date,
    body: parsed.body,
    date_raw: parsed.dateRaw,
    subject_norm: p.subject.normalised,
    content_sha256: p.contentSha,
    list_id: parsed.listId,
    html_only: parsed.htmlOnly ? 1 : 0,
    attribution: p.attribution,
  };
}

export class ArchiveWriter {
  readonly people: PeopleIndex;
  /** Rows whose threading input this writer stored or changed (for an incremental rethread). */
  readonly threadingTouched = new Set<number>();
  /**
   * The dates rows had before this writer changed them (an archive page promoted to its mail gets
   * the mail's date): placement re-places what either date can reach.
   */
  readonly replacedDates: string[] = [];
  private s;

  constructor(private db: Db) {
    this.people = new PeopleIndex(db);
    this.s = {
      msgById: db.prepare<[string], IdRow>(
        'SELECT id, is_ghost, content_sha256 FROM messages WHERE message_id = ?',
      ),
      insertGhost: db.prepare("INSERT INTO messages(message_id, is_ghost, id_kind) VALUES (?, 1, 'ghost')"),
      insertMsg:
        db.prepare(`INSERT INTO messages(message_id, subject, author_id, from_name, from_addr, date, body,
        is_ghost, id_kind, header_message_id, date_raw, date_approx, subject_norm, content_sha256, list_id, html_only, attribution,
        to_addrs, cc_addrs)
        VALUES (@message_id, @subject, @author_id, @from_name, @from_addr, @date, @body, 0, @id_kind, @header_message_id,
        @date_raw, @date_approx, @subject_norm, @content_sha256, @list_id, @html_only, @attribution, @to_addrs, @cc_addrs)`),
      fillGhost:
        db.prepare(`UPDATE messages SET subject = @subject, author_id = @author_id, from_name = @from_name,
        from_addr = @from_addr, date = @date, body = @body, is_ghost = 0, id_kind = @id_kind, header_message_id = @header_message_id,
        date_raw = @date_raw, date_approx = @date_approx, subject_norm = @subject_norm, content_sha256 = @content_sha256,
        list_id = @list_id, html_only = @html_only, attribution = @attribution, to_addrs = @to_addrs, cc_addrs = @cc_addrs
        WHERE id = @id`),
      // the series pass caches what it read from a patch body (patch_features): a new body drops it
      dropFeatures: db.prepare('DELETE FROM patch_features WHERE message_id = ?'),
      dateOf: db.prepare<[number], string | null>('SELECT date FROM messages WHERE id = ?').pluck(),
      insertPack: db.prepare('INSERT INTO raw_packs(compression, size, data) VALUES (?, ?, ?)'),
      insertRaw: db.prepare(
        'INSERT OR REPLACE INTO message_raw(message_id, format, pack_id, offset, size, sha256) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertCopy: db.prepare(
        'INSERT OR IGNORE INTO message_copies(message_id, source_id, offset, format, pack_id, pack_offset, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      rawBySha: db.prepare<[string], { message_id: number }>(
        'SELECT message_id FROM message_raw WHERE sha256 = ? LIMIT 1',
      ),
      copyBySha: db.prepare<[string], { message_id: number }>(
        'SELECT message_id FROM message_copies WHERE sha256 = ? LIMIT 1',
      ),
      rawShaOf: db.prepare<[number], { sha256: string; format: string }>(
        'SELECT sha256, format FROM message_raw WHERE message_id = ?',
      ),
      rawLoc: db.prepare<
        [number],
        { pack_id: number; offset: number; size: number; format: string; sha256: string }
      >('SELECT pack_id, offset, size, format, sha256 FROM message_raw WHERE message_id = ?'),
      srcOfSha: db.prepare<[number, string], { source_id: number; offset: number }>(
        'SELECT source_id, offset FROM message_sources WHERE message_id = ? AND raw_sha256 = ? LIMIT 1',
      ),
      moveRawToCopy: db.prepare(
        'INSERT OR IGNORE INTO message_copies(message_id, source_id, offset, format, pack_id, pack_offset, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteRaw: db.prepare('DELETE FROM message_raw WHERE message_id = ?'),
      insertRef: db.prepare(
        'INSERT OR IGNORE INTO message_refs(message_id, kind, seq, ref_id) VALUES (?, ?, ?, ?)',
      ),
      insertSrc: db.prepare(
        'INSERT OR IGNORE INTO message_sources(message_id, source_id, offset, locator, envelope, raw_sha256) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      srcItem: db.prepare<[number, number, string], { message_id: number }>(
        'SELECT message_id FROM message_sources WHERE source_id = ? AND offset = ? AND raw_sha256 = ?',
      ),
      insertSubject:
        db.prepare(`INSERT OR REPLACE INTO subjects(message_id, title, normalised, is_reply, is_patch, is_rfc, is_resend,
        revision, revision_inferred, counter, expected, counter_inferred, prefixes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertTrailer: db.prepare(
        'INSERT OR REPLACE INTO trailers(message_id, seq, name, value, person_id, addr) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertAttachment: db.prepare(
        'INSERT OR REPLACE INTO attachments(message_id, seq, filename, content_type, size, text) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteTrailers: db.prepare('DELETE FROM trailers WHERE message_id = ?'),
      deleteAttachments: db.prepare('DELETE FROM attachments WHERE message_id = ?'),
      insertProblem: db.prepare(
        'INSERT INTO ingest_problems(source_id, offset, message_id, severity, code, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      problemCount: db.prepare<[], number>('SELECT COUNT(*) AS c FROM ingest_problems').pluck(),
      commitByHash: db.prepare<[string], { id: number; complete: number }>(
        'SELECT id, complete FROM commits WHERE hash = ?',
      ),
      commitByPrefix: db.prepare<[string, string], { id: number; hash: string; complete: number }>(
        'SELECT id, hash, complete FROM commits WHERE hash >= ? AND hash < ? LIMIT 2',
      ),
      insertCommit:
        db.prepare(`INSERT INTO commits(hash, author_id, author_name, author_addr, author_date, committer_name,
        committer_addr, commit_date, subject, body, diff, complete, posted_as, notes)
        VALUES (@hash, @author_id, @author_name, @author_addr, @author_date, @committer_name, @committer_addr, @commit_date,
        @subject, @body, @diff, @complete, @posted_as, @notes)`),
      updateCommit:
        db.prepare(`UPDATE commits SET hash = @hash, author_id = @author_id, author_name = @author_name,
        author_addr = @author_addr, author_date = COALESCE(@author_date, author_date), committer_name = COALESCE(@committer_name, committer_name),
        committer_addr = COALESCE(@committer_addr, committer_addr), commit_date = COALESCE(@commit_date, commit_date), subject = @subject,
        body = @body, diff = COALESCE(@diff, diff), complete = @complete, posted_as = COALESCE(@posted_as, posted_as),
        notes = COALESCE(@notes, notes) WHERE id = @id`),
      deleteCommitTrailers: db.prepare('DELETE FROM commit_trailers WHERE commit_id = ?'),
      insertCommitTrailer: db.prepare(
        'INSERT OR REPLACE INTO commit_trailers(commit_id, seq, name, value, person_id, addr) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertCommitSrc: db.prepare(
        'INSERT OR IGNORE INTO commit_sources(commit_id, source_id, offset) VALUES (?, ?, ?)',
      ),
      insertDoc: db.prepare(
        'INSERT OR IGNORE INTO documents(source_id, title, url, sha256, text) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  /** Run `fn` in one IMMEDIATE transaction; raw bytes it stored are packed before the commit. */
  transaction<T>(fn: () => T): T {
    return this.db
      .transaction(() => {
        const r = fn();
        this.flushPack();
        return r;
      })
      .immediate();
  }

  private pack: PackEntry[] = [];
  private packBytes = 0;

  /** Queue raw bytes for the current pack; the row pointing at them is written when the pack is. */
  private queueRaw(entry: PackEntry): void {
    this.pack.push(entry);
    this.packBytes += entry.raw.length;
    if (this.packBytes >= PACK_BYTES) this.flushPack();
  }

  /** Compress the queued raw messages as one pack and write the rows that locate them. */
  flushPack(): void {
    if (!this.pack.length) return;
    const entries = this.pack;
    this.pack = [];
    this.packBytes = 0;
    const whole = Buffer.concat(entries.map((e) => e.raw));
    const data = deflateRawSync(whole, { level: 6 });
    const packId = Number(this.s.insertPack.run('deflate', whole.length, data).lastInsertRowid);
    let off = 0;
    for (const e of entries) {
      if (e.copyOf === undefined)
        this.s.insertRaw.run(e.messageId, e.format, packId, off, e.raw.length, e.sha);
      else
        this.s.insertCopy.run(
          e.messageId,
          e.copyOf.sourceId,
          e.copyOf.offset,
          e.format,
          packId,
          off,
          e.raw.length,
          e.sha,
        );
      off += e.raw.length;
    }
  }

  /** True if this source already recorded exactly these bytes at this offset (a re-run). */
  hasSourceItem(sourceId: number, offset: number, rawSha: string): boolean {
    return this.s.srcItem.get(sourceId, offset, rawSha) !== undefined;
  }

  /** The message already stored with exactly these raw bytes, if any. */
  messageWithRaw(rawSha: string): number | null {
    return this.s.rawBySha.get(rawSha)?.message_id ?? this.s.copyBySha.get(rawSha)?.message_id ?? null;
  }

  addSource(messageId: number, ref: SourceRef, rawSha: string): void {
    this.s.insertSrc.run(
      messageId,
      ref.sourceId,
      ref.offset,
      ref.locator ?? null,
      ref.envelope ?? null,
      rawSha,
    );
  }

  /** The id of a message row for `messageId`, creating a ghost when it is not in the archive. */
  idFor(messageId: string): number {
    const row = this.s.msgById.get(messageId);
    if (row) return row.id;
    return Number(this.s.insertGhost.run(messageId).lastInsertRowid);
  }

  problem(
    sourceId: number | null,
    offset: number | null,
    messageRowId: number | null,
    severity: 'skipped' | 'warning',
    code: string,
    detail: string,
  ): void {
    this.s.insertProblem.run(sourceId, offset, messageRowId, severity, code, detail);
  }

  /** Rows in `ingest_problems` (skipped items and warnings, all runs): a run reports the difference. */
  problemCount(): number {
    return this.s.problemCount.get()!;
  }

  /**
   * Store a prepared message. Returns what happened and the row id:
   *  - added: a new message (or a ghost filled in);
   *  - duplicate: the same message (same Message-ID and text) already stored; this source is recorded;
   *  - reused-id: a different message with a Message-ID already taken; stored under a derived id.
   */
  storeMessage(p: PreparedMessage, raw: Buffer, ref: SourceRef): { outcome: StoreOutcome; id: number } {
    const parsed = p.parsed;
    const headerId = parsed.messageId;
    let mid = headerId ?? syntheticMsgId(p.rawSha);
    let idKind: 'header' | 'synthetic' | 'reused' = headerId ? 'header' : 'synthetic';
    const existing = this.s.msgById.get(mid);
    let rowId: number | null = null;
    if (existing && !existing.is_ghost) {
      const primary = this.s.rawShaOf.get(existing.id);
      if (primary && primary.format !== 'rfc822' && p.format === 'rfc822') {
        // The archive page came first; the raw mail it was made from takes over as the primary copy.
        return { outcome: 'duplicate', id: this.promote(existing.id, primary.sha256, p, raw, ref) };
      }
      if (existing.content_sha256 === p.contentSha || !headerId || p.format !== 'rfc822') {
        // The same message from another source (or the same bytes again): record where else it is.
        this.addSource(existing.id, ref, p.rawSha);
        if (primary && primary.sha256 !== p.rawSha && !this.s.copyBySha.get(p.rawSha)) {
          this.queueRaw({
            messageId: existing.id,
            format: p.format,
            sha: p.rawSha,
            raw,
            copyOf: { sourceId: ref.sourceId, offset: ref.offset },
          });
        }
        return { outcome: 'duplicate', id: existing.id };
      }
      // A different message reusing a taken Message-ID: keep both (public-inbox does the same).
      mid = reusedMsgId(mid, p.contentSha);
      idKind = 'reused';
      const again = this.s.msgById.get(mid);
      if (again) {
        this.addSource(again.id, ref, p.rawSha);
        return { outcome: 'duplicate', id: again.id };
      }
    } else if (existing) rowId = existing.id;

    const authorId = this.people.resolve(parsed.fromName, parsed.fromAddr);
    const row = {
      message_id: mid,
      ...messageFields(p, authorId),
      id_kind: idKind,
      header_message_id: idKind === 'reused' ? headerId : null,
      date_approx: p.dateApprox ? 1 : 0,
    };
    if (rowId !== null) {
      this.s.fillGhost.run({ ...row, id: rowId });
      this.s.dropFeatures.run(rowId);
    } else rowId = Number(this.s.insertMsg.run(row).lastInsertRowid);
    const id = rowId;
    this.queueRaw({ messageId: id, format: p.format, sha: p.rawSha, raw });
    this.addSource(id, ref, p.rawSha);
    this.insertRefs(id, mid, 'in-reply-to', parsed.inReplyTo);
    this.insertRefs(id, mid, 'references', parsed.references);
    this.storeSubject(id, p);
    this.storeParts(id, p);
    for (const pr of parsed.problems)
      this.problem(ref.sourceId, ref.offset, id, 'warning', pr.code, pr.detail);
    if (!headerId && p.format === 'rfc822') {
      this.problem(
        ref.sourceId,
        ref.offset,
        id,
        'warning',
        'no-message-id',
        `no usable Message-ID; stored as ${mid} (derived from the content)`,
      );
    }
    if (idKind === 'reused') {
      this.problem(
        ref.sourceId,
        ref.offset,
        id,
        'warning',
        'reused-message-id',
        `Message-ID ${headerId} already belongs to a different message; stored as ${mid}`,
      );
    }
    setMeta(this.db, 'threads_dirty', '1');
    this.threadingTouched.add(id);
    return { outcome: idKind === 'reused' ? 'reused-id' : 'added', id };
  }

  /**
   * Record a message's In-Reply-To or References list, skipping a reference to itself. The caller
   * picks the order of the two lists: `idFor` makes ghost rows, so the order fixes their ids.
   */
  private insertRefs(
    id: number,
    self: string | null,
    kind: 'in-reply-to' | 'references',
    refs: string[],
  ): void {
    refs.forEach((r, i) => {
      if (r !== self) this.s.insertRef.run(id, kind, i, this.idFor(r));
    });
  }

  /** The person a trailer names (of a message or a commit), or null when it names none. */
  private trailerPerson(t: Trailer): number | null {
    return t.personName || t.addr ? this.people.resolve(t.personName ?? '', t.addr ?? '') : null;
  }

  /** Store a message's parsed subject (placement and the series pass read it from here). */
  private storeSubject(id: number, p: PreparedMessage): void {
    const sj = p.subject;
    this.s.insertSubject.run(
      id,
      sj.title,
      sj.normalised,
      +sj.isReply,
      +sj.isPatch,
      +sj.isRfc,
      +sj.isResend,
      sj.revision,
      +sj.revisionInferred,
      sj.counter,
      sj.expected,
      +sj.counterInferred,
      JSON.stringify(sj.prefixes),
    );
  }

  /** The message's trailers and attachments rows, in their order in the mail. */
  private storeParts(id: number, p: PreparedMessage): void {
    p.trailers.forEach((t, i) => {
      this.s.insertTrailer.run(id, i, t.name, t.value, this.trailerPerson(t), t.addr);
    });
    p.parsed.attachments.forEach((a, i) =>
      this.s.insertAttachment.run(id, i, a.filename, a.contentType, a.size, a.text),
    );
  }

  /**
   * Make raw mail the primary copy of a message first stored from an archive page: the message's
   * fields come from the mail, the page's bytes become a copy.
   */
  private promote(id: number, pageSha: string, p: PreparedMessage, raw: Buffer, ref: SourceRef): number {
    const loc = this.s.rawLoc.get(id)!;
    const src = this.s.srcOfSha.get(id, pageSha);
    if (src)
      this.s.moveRawToCopy.run(
        id,
        src.source_id,
        src.offset,
        loc.format,
        loc.pack_id,
        loc.offset,
        loc.size,
        loc.sha256,
      );
    this.s.deleteRaw.run(id);
    const parsed = p.parsed;
    const before = this.s.dateOf.get(id);
    if (before) this.replacedDates.push(before);
    this.s.dropFeatures.run(id);
    this.s.fillGhost.run({
      id,
      ...messageFields(p, this.people.resolve(parsed.fromName, parsed.fromAddr)),
      id_kind: 'header',
      header_message_id: null,
      date_approx: 0,
    });
    // the subject, trailers and attachments as the mail has them (the page's text may be cut or
    // re-encoded, and a page has no attachments)
    this.storeSubject(id, p);
    this.s.deleteTrailers.run(id);
    this.s.deleteAttachments.run(id);
    this.storeParts(id, p);
    this.queueRaw({ messageId: id, format: p.format, sha: p.rawSha, raw });
    this.addSource(id, ref, p.rawSha);
    this.insertRefs(id, parsed.messageId, 'references', parsed.references);
    this.insertRefs(id, parsed.messageId, 'in-reply-to', parsed.inReplyTo);
    setMeta(this.db, 'threads_dirty', '1');
    this.threadingTouched.add(id);
    return id;
  }

  /**
   * Store a commit. A full hash replaces an abbreviated one of the same commit, and a complete text
   * replaces a partial excerpt; a partial excerpt never overwrites a complete commit.
   */
  storeCommit(
    c: ParsedCommit,
    sourceId: number,
    offset: number,
  ): { outcome: 'added' | 'updated' | 'duplicate'; id: number } {
    const hash = c.hash.toLowerCase();
    let existing: { id: number; complete: number; hash?: string } | undefined = this.s.commitByHash.get(hash);
    if (!existing) {
      // An abbreviation of a stored hash, or a full hash of a stored abbreviation.
      const rows = this.s.commitByPrefix.all(hash.slice(0, 7), hash.slice(0, 7) + 'g');
      existing = rows.find((r) => r.hash.startsWith(hash) || hash.startsWith(r.hash));
    }
    const authorId = this.people.resolve(c.authorName, c.authorAddr);
    const row = {
      hash,
      author_id: authorId,
      author_name: c.authorName || null,
      author_addr: c.authorAddr || null,
      author_date: c.authorDate,
      committer_name: c.committerName,
      committer_addr: c.committerAddr,
      commit_date: c.commitDate,
      subject: c.subject,
      body: c.body,
      diff: c.diff,
      complete: c.complete ? 1 : 0,
      posted_as: c.postedAs,
      notes: c.notes,
    };
    let id: number;
    let outcome: 'added' | 'updated' | 'duplicate';
    if (existing) {
      id = existing.id;
      const better =
        (c.complete && !existing.complete) ||
        (existing.hash !== undefined && hash.length > existing.hash.length);
      if (better) {
        this.s.updateCommit.run({
          ...row,
          hash: existing.hash && existing.hash.length > hash.length ? existing.hash : hash,
          id,
        });
        outcome = 'updated';
      } else outcome = 'duplicate';
    } else {
      id = Number(this.s.insertCommit.run(row).lastInsertRowid);
      outcome = 'added';
    }
    if (outcome !== 'duplicate') {
      this.s.deleteCommitTrailers.run(id);
      c.trailers.forEach((t, i) => {
        this.s.insertCommitTrailer.run(id, i, t.name, t.value, this.trailerPerson(t), t.addr);
      });
    }
    this.s.insertCommitSrc.run(id, sourceId, offset);
    return { outcome, id };
  }

  storeDocument(sourceId: number, title: string, url: string | null, text: string): 'added' | 'duplicate' {
    return this.s.insertDoc.run(sourceId, title, url, sha256(text), text).changes ? 'added' : 'duplicate';
  }
}
