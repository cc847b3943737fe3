/**
 * People: one row per person across address changes (mhocko@suse.com, mhocko@kernel.org) and
 * across archive obfuscation (mhocko@xxxxxxxx on hypermail pages, or a name with no address).
 *
 * Rules, in order:
 *   1. a known address maps to its person;
 *   2. a new real address joins the person with the same distinctive name (two or more words,
 *      compared without case, accents or punctuation), else starts a new person;
 *   3. an obfuscated address (`user@xxxx`) or a bare name joins the person with that name, preferring
 *      one whose real address has the same local part; it never starts a person that a later real
 *      address could not join.
 * The rules are conservative: two people who share a one-word name are never merged.
 */
import type { Db } from './db.ts';

/** Lower-case, accent-free, punctuation-free form of a name; "Last, First" becomes "first last". */
export function nameKey(name: string): string {
  let n = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  n = n
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/["'`]/g, '');
  const comma = /^([^,]+),\s*([^,]+)$/.exec(n.trim());
  if (comma) n = `${comma[2]} ${comma[1]}`;
  return n
    .toLowerCase()
    .replace(/[^a-z0-9\u0080-\uffff]+/g, ' ')
    .trim();
}

/** A name is distinctive enough to merge on when it has at least two words of two letters or more. */
export function isDistinctive(key: string): boolean {
  return key.split(' ').filter((w) => w.length >= 2).length >= 2;
}

/** Addresses an archive has masked, e.g. `mhocko@xxxxxxxx` (hypermail) or `mhocko@...`. */
export function isObfuscated(addr: string): boolean {
  return /@(x{3,}|\.{3}|…|\[hidden\])$/i.test(addr) || /^[^@]+@$/.test(addr);
}

export class PeopleIndex {
  private byAddr = new Map<string, number>();
  private byName = new Map<string, number[]>();
  private locals = new Map<number, Set<string>>();
  private stmts;

  constructor(private db: Db) {
    this.stmts = {
      insertPerson: db.prepare('INSERT INTO people(name, primary_addr) VALUES (?, ?)'),
      insertAddr: db.prepare(
        'INSERT OR IGNORE INTO person_addresses(person_id, addr, obfuscated) VALUES (?, ?, ?)',
      ),
      insertName: db.prepare('INSERT OR IGNORE INTO person_names(person_id, name, key) VALUES (?, ?, ?)'),
      setPrimary: db.prepare('UPDATE people SET primary_addr = ? WHERE id = ? AND primary_addr IS NULL'),
      setName: db.prepare("UPDATE people SET name = ? WHERE id = ? AND (name IS NULL OR name = '')"),
    };
    for (const r of db.prepare('SELECT person_id, addr, obfuscated FROM person_addresses').all() as {
      person_id: number;
      addr: string;
      obfuscated: number;
    }[]) {
      this.byAddr.set(r.addr, r.person_id);
      if (!r.obfuscated) this.noteLocal(r.person_id, r.addr);
    }
    for (const r of db.prepare('SELECT person_id, key FROM person_names').all() as {
      person_id: number;
      key: string;
    }[]) {
      this.noteName(r.person_id, r.key);
    }
  }

  private noteLocal(pid: number, addr: string): void {
    const local = addr.split('@')[0]!;
    let s = this.locals.get(pid);
    if (!s) this.locals.set(pid, (s = new Set()));
    s.add(local);
  }

  private noteName(pid: number, key: string): void {
    if (!key) return;
    const l = this.byName.get(key);
    if (!l) this.byName.set(key, [pid]);
    else if (!l.includes(pid)) l.push(pid);
  }

  private addName(pid: number, name: string): void {
    const key = nameKey(name);
    if (!key) return;
    this.stmts.insertName.run(pid, name, key);
    this.noteName(pid, key);
    this.stmts.setName.run(name, pid);
  }

  private addAddr(pid: number, addr: string, obfuscated: boolean): void {
    this.stmts.insertAddr.run(pid, addr, obfuscated ? 1 : 0);
    this.byAddr.set(addr, pid);
    if (!obfuscated) {
      this.noteLocal(pid, addr);
      this.stmts.setPrimary.run(addr, pid);
    }
  }

  private create(name: string): number {
    const id = Number(this.stmts.insertPerson.run(name || null, null).lastInsertRowid);
    if (name) this.addName(id, name);
    return id;
  }

  /** The person id for a (name, address) pair, creating or extending people as the rules say. */
  resolve(name: string, addr: string): number | null {
    const a = addr.trim().toLowerCase();
    const n = name.trim();
    if (!a && !n) return null;
    const key = nameKey(n);
    const obf = a ? isObfuscated(a) : false;
    if (a) {
      const known = this.byAddr.get(a);
      if (known !== undefined) {
        if (n) this.addName(known, n);
        return known;
      }
    }
    const sameName = key ? (this.byName.get(key) ?? []) : [];
    if (a && !obf) {
      const pid = isDistinctive(key) && sameName.length === 1 ? sameName[0]! : this.create(n);
      if (n) this.addName(pid, n);
      this.addAddr(pid, a, false);
      return pid;
    }
    // Obfuscated address or bare name: find, never guess across different names.
    let pid: number | undefined;
    if (sameName.length) {
      const local = a ? a.split('@')[0]! : '';
      pid =
        sameName.find((p) => local && this.locals.get(p)?.has(local)) ??
        (sameName.length === 1 ? sameName[0] : undefined);
    }
    if (pid === undefined) pid = this.create(n);
    if (a) this.addAddr(pid, a, true);
    return pid;
  }
}
