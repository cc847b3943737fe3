/** A site context over a real archive, as `buildSite` makes one, for tests of single page functions. */
import type { Db } from '../../src/store/db.ts';
import type { DecisionRecord } from '../../src/decisions/record.ts';
import { SiteData } from '../../src/store/site-data.ts';
import { peopleWithSlugs, type SiteContext } from '../../src/site/context.ts';
import type { Page } from '../../src/site/page.ts';

/** The context every page function gets: the archive, its people with slugs, and the records given. */
export function siteContext(db: Db, records: DecisionRecord[] = []): SiteContext {
  const data = new SiteData(db);
  return {
    data,
    people: peopleWithSlugs(data.authors()),
    records,
    scenarios: [],
    builtAt: '2026-01-01T00:00:00.000Z',
  };
}

/** The text of the page at `path` among `pages` (fails the test when there is none). */
export function pageText(pages: Page[], path: string): string {
  const p = pages.find((x) => x.path === path);
  if (!p) throw new Error(`no page ${path} among ${pages.map((x) => x.path).join(', ')}`);
  return String(p.content);
}
