/**
 * Message-IDs of the real fixture mail that several tests name, with who wrote them (read off the
 * headers of test/fixtures/mbox/*.mbox).
 */
import { fixture } from './archive.ts';

/** The 2020 memory.reclaim thread: 28 messages, every In-Reply-To inside the file. */
export const RECLAIM_MBOX = fixture('mbox', 'reclaim-2020.mbox');
/** Shakeel Butt's "[PATCH] memcg: introduce per-memcg reclaim interface", 9 Sep 2020: the root. */
export const RECLAIM_ROOT = '20200909215752.1725525-1-shakeelb@google.com';
/** Michal Hocko's first reply, 21 Sep 2020, straight to the patch: three own paragraphs. */
export const HOCKO_FIRST = '20200921163055.GQ12990@dhcp22.suse.cz';
/** SeongJae Park's review of the retry loop, 10 Sep 2020 (the first reply). */
export const SJ_REVIEW = '20200910063656.25038-1-sjpark@amazon.com';

/** Chris Down's 2019 memory.high throttling thread: v3, Michal Hocko's reply, v4, Johannes Weiner's reply. */
export const THROTTLE_MBOX = fixture('mbox', 'throttle-2019.mbox');
/** v2 of the throttling patch: v3 answers it, but it is not in the file (a ghost root). */
export const THROTTLE_V2 = '20190410153449.GA14915@chrisdown.name';
export const THROTTLE_V3 = '20190501184104.GA30293@chrisdown.name';
export const THROTTLE_V4 = '20190723180700.GA29459@chrisdown.name';
