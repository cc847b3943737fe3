// People across addresses and archive masking (src/store/people.ts). Golden names are real ones
// from the fixtures: Michal Hocko writes from mhocko@kernel.org in 2019 (throttle-2019.mbox) and
// mhocko@suse.com in 2020 (reclaim-2020.mbox); Michal Koutný's name arrives MIME-encoded; the
// hypermail pages mask Wei Xu's address as weixugc@xxxxxxxx.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, freshDb, ingestedDb, rows } from '../helpers/archive.ts';
import { assertGolden } from '../helpers/golden.ts';
import { isDistinctive, isObfuscated, nameKey, PeopleIndex } from '../../src/store/people.ts';

const open: (() => void)[] = [];
after(() => open.forEach((c) => c()));
function index(): PeopleIndex {
  const f = freshDb();
  open.push(f.cleanup);
  return new PeopleIndex(f.db);
}

describe('name keys', () => {
  it('drop case, accents, punctuation, comments and quotes, and turn "Last, First" round', () => {
    const cases: [string, string][] = [
      ['Michal Hocko', 'michal hocko'],
      ['Michal Koutný', 'michal koutny'],
      ['"Butt, Shakeel"', 'shakeel butt'],
      ['Butt, Shakeel', 'shakeel butt'],
      ['Johannes Weiner (Meta)', 'johannes weiner'],
      ['Tejun Heo [tj]', 'tejun heo'],
      ["O'Brien,  Pat", 'pat obrien'],
      ['  SeongJae   Park ', 'seongjae park'],
      ['黄 莹', '黄 莹'],
      ['', ''],
    ];
    assertGolden(cases, nameKey);
  });

  it('call a name distinctive only with two words of two letters', () => {
    assert.equal(isDistinctive('michal hocko'), true);
    assert.equal(isDistinctive('shakeel'), false);
    assert.equal(isDistinctive('j weiner'), false);
    assert.equal(isDistinctive(''), false);
  });

  it('recognise masked addresses', () => {
    for (const a of ['weixugc@xxxxxxxx', 'mhocko@...', 'mhocko@…', 'x@[hidden]', 'mhocko@'])
      assert.equal(isObfuscated(a), true, a);
    for (const a of ['mhocko@suse.com', 'xxx@example.org', 'a@x.org'])
      assert.equal(isObfuscated(a), false, a);
  });
});

describe('resolving people', () => {
  it('keeps one person for one address, adding the names it comes with', () => {
    const p = index();
    const a = p.resolve('Michal Hocko', 'mhocko@suse.com');
    assert.equal(p.resolve('', 'MHOCKO@suse.com '), a);
    assert.equal(p.resolve('Michal Hocko', 'mhocko@suse.com'), a);
    assert.equal(p.resolve('', ''), null);
  });

  it('joins a new address to the one person with the same distinctive name', () => {
    const p = index();
    const a = p.resolve('Michal Hocko', 'mhocko@kernel.org');
    assert.equal(p.resolve('michal hocko', 'mhocko@suse.com'), a);
    assert.equal(p.resolve('Hocko, Michal', 'mhocko@suse.cz'), a);
  });

  it('never merges two people on a one-word name', () => {
    const p = index();
    const a = p.resolve('Shakeel', 'shakeelb@google.com');
    const b = p.resolve('Shakeel', 'shakeel@example.org');
    assert.notEqual(a, b);
  });

  it('finds the person of a masked address by name and local part, never by guessing', () => {
    const p = index();
    const one = p.resolve('Wei Xu', 'weixugc@google.com');
    assert.equal(p.resolve('Wei Xu', 'weixugc@xxxxxxxx'), one);
    assert.equal(p.resolve('Wei Xu', ''), one, 'a bare name joins the one person of that name');
    const other = p.resolve('Yosry Ahmed', 'yosryahmed@xxxxxxxx');
    assert.notEqual(other, one);
    // a later real address of that name joins the person the masked copy started
    assert.equal(p.resolve('Yosry Ahmed', 'yosryahmed@google.com'), other);
  });

  it('reloads what is stored: a second index on the same archive resolves alike', () => {
    const f = freshDb();
    open.push(f.cleanup);
    const a = new PeopleIndex(f.db).resolve('Michal Hocko', 'mhocko@suse.com');
    const again = new PeopleIndex(f.db);
    assert.equal(again.resolve('', 'mhocko@suse.com'), a);
    assert.equal(again.resolve('Michal Hocko', 'mhocko@kernel.org'), a);
  });
});

describe('on real mail', () => {
  it('makes one Michal Hocko of his 2019 and 2020 addresses', async () => {
    const f = await ingestedDb([fixture('mbox', 'throttle-2019.mbox'), fixture('mbox', 'reclaim-2020.mbox')]);
    open.push(f.cleanup);
    const addrs = rows<{ person: number; addr: string }>(
      f.db,
      "SELECT person_id AS person, addr FROM person_addresses WHERE addr LIKE 'mhocko@%' ORDER BY addr",
    );
    assert.deepEqual(
      addrs.map((r) => r.addr),
      ['mhocko@kernel.org', 'mhocko@suse.com'],
    );
    assert.equal(new Set(addrs.map((r) => r.person)).size, 1);
    // the senders, and the people Chris Down's patch names in its Cc: trailers (Andrew Morton,
    // Tejun Heo, Roman Gushchin); the lists it also Cc's are address-only rows
    const people = rows<{ name: string }>(
      f.db,
      'SELECT name FROM people WHERE name IS NOT NULL ORDER BY name',
    );
    assert.equal(
      people.map((r) => r.name).join(', '),
      'Andrew Morton, Chris Down, Johannes Weiner, Michal Hocko, Roman Gushchin, SeongJae Park, Shakeel Butt, Tejun Heo, Yang Shi',
    );
  });
});
