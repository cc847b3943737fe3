/** Decision-record text for tests: one small valid record citing real messages of the bundled data. */

/** A minimal valid record built from real messages of the bundled data; `edit` breaks it. */
export function testRecord(edit: (s: string) => string = (s) => s): string {
  const base = `---
title: A test record
status: merged
version: "5.19"
proposed: 2020-09-09
summary: A record used by the tests.
messages:
  - 20200909215752.1725525-1-shakeelb@google.com
commits:
  - 94968384dde1
scenarios:
  - S2
---

## Summary

Shakeel Butt proposed the file [msg:20200909215752.1725525-1-shakeelb@google.com].

## Problem

Limit reclaim can take "100s of usecs" [msg:CALvZod43VXKZ3StaGXK_EZG_fKcW3v3=cEYOWFwp4HNJpOOf8g@mail.gmail.com#p6].

## Goals and non-goals

None.

## Proposal

### v1 (2020-09-09)

The first posting [msg:20200909215752.1725525-1-shakeelb@google.com].

## Objections

### O1. The latency is a zswap detail

- **Raised by:** Michal Hocko, 2020-09-22 [msg:20200922114908.GZ12990@dhcp22.suse.cz]
- **Status:** withdrawn
- **Settled by:** [msg:20200922183125.GG12990@dhcp22.suse.cz]

He withdrew it [msg:20200922183125.GG12990@dhcp22.suse.cz]. The S2 run is expected to show the cost [model:S2]. <!-- model-result: S2 -->

## Alternatives considered

memory.high.

## Decision

Merged [commit:94968384dde1].

## Consequences and drawbacks

None.

## Open questions

None.

## Implementation

See the commit.

## Later history

None.

## Who took part

Shakeel Butt.
`;
  return edit(base);
}
