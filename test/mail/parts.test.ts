// The parts of a body that lore's search operators ask for (q: dfn: dfa: dfb: dfhh:), on real
// patch mail: expected values were read off the messages in test/fixtures/mbox by hand.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readMbox } from '../../src/mail/mbox.ts';
import { parseMessage } from '../../src/mail/parse.ts';
import { bodyParts } from '../../src/mail/parts.ts';
import { fixture } from '../helpers/archive.ts';

const bodies = new Map<string, string>();
before(async () => {
  for (const f of ['reclaim-2020.mbox', 'throttle-2019.mbox'])
    for await (const item of readMbox([readFileSync(fixture('mbox', f))])) {
      if (item.kind !== 'message') continue;
      const m = await parseMessage(item.raw);
      bodies.set(m.messageId!, m.body);
    }
});

const parts = (id: string): ReturnType<typeof bodyParts> => {
  const b = bodies.get(id);
  assert.ok(b !== undefined, id);
  return bodyParts(b);
};
const lines = (s: string): string[] => (s ? s.split('\n') : []);

/** Shakeel Butt's memory.reclaim patch: two files, three hunks, only added lines. */
const RECLAIM_PATCH = '20200909215752.1725525-1-shakeelb@google.com';
/** Chris Down's v3 throttling patch (one file, three hunks, one removed line) and v4. */
const THROTTLE_V3 = '20190501184104.GA30293@chrisdown.name';
const THROTTLE_V4 = '20190723180700.GA29459@chrisdown.name';
/** Michal Hocko's reply to v3: quotes the changelog and the patch, no diff of its own. */
const HOCKO_REPLY = '20190507084419.GM31017@dhcp22.suse.cz';

describe('bodyParts', () => {
  it('takes file names, hunk contexts and added lines of a two-file patch', () => {
    const p = parts(RECLAIM_PATCH);
    assert.deepEqual(lines(p.files), ['Documentation/admin-guide/cgroup-v2.rst', 'mm/memcontrol.c']);
    assert.deepEqual(lines(p.hunks), [
      'PAGE_SIZE multiple when read back.',
      'static ssize_t memory_oom_group_write(struct kernfs_open_file *of,',
      'static struct cftype memory_files[] = {',
    ]);
    assert.equal(p.removed, '', 'the patch removes nothing; the closing "-- " is the signature');
    const added = lines(p.added);
    // 9 + 32 + 5 added lines, of which 2 + 8 + 0 are empty (an empty line adds no words).
    assert.equal(added.length, 36);
    assert.deepEqual(added.slice(0, 2), [
      '  memory.reclaim',
      '\tA write-only file which exists on non-root cgroups.',
    ]);
    assert.ok(added.includes('static ssize_t memory_reclaim(struct kernfs_open_file *of, char *buf,'));
    assert.ok(added.includes('\t\treclaimed = try_to_free_mem_cgroup_pages(memcg,'));
    assert.deepEqual(added.slice(-5), [
      '\t{',
      '\t\t.name = "reclaim",',
      '\t\t.flags = CFTYPE_NOT_ON_ROOT | CFTYPE_NS_DELEGATABLE,',
      '\t\t.write = memory_reclaim,',
      '\t},',
    ]);
    // Context lines are in no part.
    assert.ok(!p.added.includes('memory.oom.group') && !p.removed.includes('terminate'));
    assert.equal(p.quoted, '');
  });

  it('takes removed lines apart from added ones, and an empty hunk context adds nothing', () => {
    for (const id of [THROTTLE_V3, THROTTLE_V4]) {
      const p = parts(id);
      assert.deepEqual(lines(p.files), ['mm/memcontrol.c'], id);
      assert.deepEqual(lines(p.removed), ['\tcss_put(&memcg->css);'], id);
      // The first hunk header (`@@ -66,6 +66,7 @@`) has no function context.
      assert.deepEqual(
        lines(p.hunks),
        ['static void high_work_func(struct work_struct *work)', 'void mem_cgroup_handle_over_high(void)'],
        id,
      );
      const added = lines(p.added);
      assert.equal(added[0], '#include <linux/psi.h>', id);
      assert.ok(added.includes('\tpsi_memstall_enter(&pflags);'), id);
      assert.ok(added.includes('\tcss_put(&memcg->css);'), id);
      assert.equal(p.quoted, '', id);
    }
  });

  it('keeps a quoted patch as quoted text, without markers, and finds no diff in a reply', () => {
    const p = parts(HOCKO_REPLY);
    const q = lines(p.quoted);
    assert.equal(q[0], "We're trying to use memory.high to limit workloads, but have found that");
    assert.ok(q.includes('to combat runaway growth with, since reclaim is futile.'));
    assert.ok(q.includes('+\tpsi_memstall_enter(&pflags);'), 'a quoted added line stays quoted text');
    assert.ok(!p.quoted.includes('non-reclaimable memory'), 'his own words are not quoted text');
    assert.deepEqual([p.files, p.removed, p.added, p.hunks], ['', '', '', '']);
  });

  it('ends a hunk at its line counts, so the next file header is not a removed line', () => {
    // A quilt-style diff without `diff --git` lines: after the first hunk's 3 + 3 lines come the
    // second file's headers, which a reader sees as headers and not as "-- a/kernel/b.c".
    const body = [
      'Two files.',
      '',
      'Index: linux/mm/a.c',
      '--- linux.orig/mm/a.c',
      '+++ linux/mm/a.c',
      '@@ -1,3 +1,3 @@ int a(void)',
      ' one',
      '-two',
      '+deux',
      ' three',
      '--- linux.orig/kernel/b.c\t2020-01-01 00:00:00',
      '+++ linux/kernel/b.c',
      '@@ -5 +5 @@',
      '-old',
      '+new',
      '-- ',
      'signature',
    ].join('\n');
    const p = bodyParts(body);
    assert.deepEqual(lines(p.files), [
      'linux.orig/mm/a.c',
      'linux/mm/a.c',
      'linux.orig/kernel/b.c',
      'linux/kernel/b.c',
    ]);
    assert.deepEqual(lines(p.removed), ['two', 'old']);
    assert.deepEqual(lines(p.added), ['deux', 'new']);
    assert.deepEqual(lines(p.hunks), ['int a(void)']);
  });

  it('cuts every part at the cap', () => {
    const big = ['diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1,0 +1,5000 @@'];
    for (let i = 0; i < 5000; i++) big.push('+' + 'y'.repeat(20));
    const p = bodyParts(big.join('\n'), 1000);
    assert.ok(p.added.length <= 1000, String(p.added.length));
    assert.ok(p.added.length > 900);
  });
});
