/**
 * Topic pages, patch-series pages (versions side by side, interdiff between versions of the same
 * patch), the search page, the model page and the Atom feed.
 */
import type { SiteContext } from '../context.ts';
import { messageLink } from '../context.ts';
import { lineDiff, renderLineDiff } from '../diff.ts';
import { escapeHtml, html, visible, type SafeHtml } from '../html.ts';
import { fmtDate, layout } from '../layout.ts';
import type { Page } from '../page.ts';
import { classify, ownParagraphTexts } from '../../mail/owntext.ts';
import { href, urls } from '../urls.ts';
import { displayName } from '../thread.ts';
import { seriesView } from '../../graph/query.ts';

export interface TopicStats {
  topic: string;
  messages: number;
  /** thread id → number of messages about the topic */
  threads: Map<number, number>;
}

/** Topics list and one page per topic. */
export function topicPages(ctx: SiteContext, topics: TopicStats[]): Page[] {
  const list = [...topics].sort((a, b) => b.messages - a.messages || a.topic.localeCompare(b.topic));
  return [...topicListPages(list), ...list.flatMap((t) => topicPage(ctx, t))];
}

/** The topics list and its JSON twin; `list` is sorted as the page shows it. */
export function topicListPages(list: TopicStats[]): Page[] {
  const lp = urls.topics();
  const pages: Page[] = [];
  pages.push({
    path: lp,
    content: layout(
      { path: lp, title: 'Topics', json: true, crumbs: [['Topics', null]] },
      html`<h1>Topics</h1>
<p class="muted">Topics come from the argument graph: what each claim is about (data/lexicon.tsv). Search one with <code>topic:NAME</code>.</p>
<ul class="plain topics">${list.map((t) => html`<li><a href="${href(lp, urls.topic(t.topic))}">${t.topic}</a> <span class="muted">${t.messages} messages in ${t.threads.size} threads</span></li>`)}</ul>`,
    ),
  });
  pages.push({
    path: urls.json(lp),
    content: JSON.stringify(
      {
        kind: 'topics',
        topics: list.map((t) => ({
          topic: t.topic,
          messages: t.messages,
          threads: t.threads.size,
          url: urls.topic(t.topic),
        })),
      },
      null,
      1,
    ),
  });
  return pages;
}

/** One topic's page and its JSON twin. */
export function topicPage(ctx: SiteContext, t: TopicStats): Page[] {
  const lp = urls.topics();
  const pages: Page[] = [];
  const path = urls.topic(t.topic);
  const threads = [...t.threads].sort((a, b) => b[1] - a[1]).slice(0, 500);
  const recs = ctx.records.filter((r) => {
    const title = typeof r.meta.title === 'string' ? r.meta.title.toLowerCase() : '';
    return title.includes(t.topic.toLowerCase());
  });
  const main = html`<h1>Topic: ${t.topic}</h1>
<p class="meta">${t.messages} messages in ${t.threads.size} threads · <a href="${href(path, urls.search(`topic:${t.topic.includes(' ') ? `"${t.topic}"` : t.topic}`))}">search within it</a></p>
${recs.length ? html`<h2>Decisions</h2><ul class="plain">${recs.map((r) => html`<li><a href="${href(path, urls.decision(r.slug))}">${String(r.meta.title ?? r.slug)}</a></li>`)}</ul>` : ''}
<h2>Threads</h2>
<ul class="plain">${threads.map(([id, n]) => {
    const th = ctx.data.thread(id);
    return th
      ? html`<li><a href="${href(path, urls.thread(th.rootMessageId))}">${th.subject || '(no subject)'}</a> <span class="muted">${n} of ${th.messageCount} messages, ${fmtDate(th.firstDate)}</span></li>`
      : '';
  })}</ul>`;
  pages.push({
    path,
    content: layout(
      {
        path,
        title: `Topic: ${t.topic}`,
        json: true,
        crumbs: [
          ['Topics', lp],
          [t.topic, null],
        ],
      },
      main,
    ),
  });
  pages.push({
    path: urls.json(path),
    content: JSON.stringify(
      {
        kind: 'topic',
        topic: t.topic,
        messages: t.messages,
        threads: threads.map(([id, n]) => ({
          url: ctx.data.thread(id) ? urls.thread(ctx.data.thread(id)!.rootMessageId) : null,
          messages: n,
        })),
      },
      null,
      1,
    ),
  });
  return pages;
}

export interface Posting {
  /** Row id of the cover letter or single patch that starts this posting. */
  rootRow: number;
  version: number;
  label: string;
  date: string | null;
  /** Patches by part number (1…N; 0 is the cover letter). */
  parts: Map<number, number>;
}

export interface Series {
  title: string;
  firstRootMessageId: string;
  postings: Posting[];
  /** `series.id` in the argument graph, when the series came from it. */
  graphId?: number;
}

/** The lines of a patch that matter when comparing versions (index lines and hunk offsets change every time). */
function comparable(body: string): string[] {
  const lines = classify(body);
  const out: string[] = [];
  for (const l of lines) {
    if (l.kind === 'own') out.push(l.text);
    else if (l.kind === 'patch') {
      if (/^index [0-9a-f]+\.\.[0-9a-f]+/.test(l.text)) continue;
      out.push(l.text.replace(/^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/, '@@'));
    }
  }
  return out;
}

/** One entry per (trailer, person, on list or carried): every patch of a posting repeats them. */
function dedupeTrailers<T extends { name: string; person: string | null; carried: boolean }>(ts: T[]): T[] {
  const seen = new Set<string>();
  return ts.filter((t) => {
    const k = `${t.name}\u0000${t.person ?? ''}\u0000${t.carried}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Series list and one page per series with at least two postings. */
export function seriesPages(ctx: SiteContext, all: Series[]): Page[] {
  const multi = all.filter((s) => s.postings.length >= 2);
  return [...seriesListPages(multi), ...multi.flatMap((s) => seriesPage(ctx, s))];
}

/** The series list and its JSON twin; `multi` holds the series with at least two postings. */
export function seriesListPages(multi: Series[]): Page[] {
  const lp = urls.seriesList();
  const pages: Page[] = [];
  pages.push({
    path: lp,
    content: layout(
      { path: lp, title: 'Patch series', json: true, crumbs: [['Series', null]] },
      html`<h1>Patch series</h1>
<p class="muted">Proposals posted more than once (v1, RESEND, v2 …), with their versions side by side and what changed between them.</p>
<ul class="plain">${multi.map((s) => html`<li><a href="${href(lp, urls.series(s.firstRootMessageId))}">${s.title}</a> <span class="muted">${s.postings.map((p) => p.label).join(', ')} · ${fmtDate(s.postings[0]!.date)} – ${fmtDate(s.postings[s.postings.length - 1]!.date)}</span></li>`)}</ul>`,
    ),
  });
  pages.push({
    path: urls.json(lp),
    content: JSON.stringify(
      {
        kind: 'series-list',
        series: multi.map((s) => ({
          title: s.title,
          url: urls.series(s.firstRootMessageId),
          postings: s.postings.map((p) => p.label),
        })),
      },
      null,
      1,
    ),
  });
  return pages;
}

/** One series' page (its versions side by side) and its JSON twin. */
export function seriesPage(ctx: SiteContext, s: Series): Page[] {
  const path = urls.series(s.firstRootMessageId);
  const to = (p: string): string => href(path, p);
  const parts = [...new Set(s.postings.flatMap((p) => [...p.parts.keys()]))].sort((a, b) => a - b);
  const link = (row: number): SafeHtml => {
    const m = ctx.data.messageByRow(row);
    if (!m) return html``;
    const l = messageLink(ctx, m.messageId);
    return html`<a href="${l ? to(l) : '#'}" title="${m.subject ?? ''}">${(m.subject ?? '').replace(/^\[[^\]]*\]\s*/, '').slice(0, 60) || '(no subject)'}</a>`;
  };
  const diffs: SafeHtml[] = [];
  for (let i = 1; i < s.postings.length; i++) {
    const a = s.postings[i - 1]!;
    const b = s.postings[i]!;
    for (const part of parts) {
      const ra = a.parts.get(part);
      const rb = b.parts.get(part);
      if (ra === undefined || rb === undefined) continue;
      const ma = ctx.data.messageByRow(ra);
      const mb = ctx.data.messageByRow(rb);
      if (!ma?.body || !mb?.body) continue;
      const ops = lineDiff(comparable(ma.body), comparable(mb.body));
      const changed = ops ? ops.filter((o) => o.op !== ' ').length : -1;
      diffs.push(
        html`<details class="interdiff"${changed > 0 && changed < 60 ? ' open' : ''}><summary>${part === 0 ? 'cover letter' : `patch ${part}`}: ${a.label} → ${b.label} — ${changed < 0 ? 'too large to compare' : changed === 0 ? 'unchanged' : `${changed} lines changed`}</summary>${ops ? renderLineDiff(ops) : html`<p class="muted">Too large or too different to compare here.</p>`}</details>`,
      );
    }
  }
  const gv = s.graphId !== undefined ? seriesView(ctx.data.db, s.graphId) : null;
  const main = html`<h1>Series: ${s.title}</h1>
<p class="meta">${s.postings.length} postings, ${fmtDate(s.postings[0]!.date)} – ${fmtDate(s.postings[s.postings.length - 1]!.date)}${gv?.author ? ` · by ${gv.author}` : ''}</p>
${
  gv
    ? html`<h2>Review across versions</h2>
<div class="scroll"><table class="versions">
<thead><tr><th>posting</th><th>replies</th><th>trailers</th><th>objections raised in replies</th></tr></thead>
<tbody>${gv.postings.map(
        (p, i) => html`<tr><th>${s.postings[i]?.label ?? `v${p.version}`}</th><td>${p.replies}</td>
<td>${p.trailers.length ? dedupeTrailers(p.trailers).map((t, k) => html`${k ? ', ' : ''}${t.name.replace(/-by$/, '')} ${t.person ?? '?'}${t.carried ? '' : html` <span class="muted">(on list)</span>`}`) : html`<span class="muted">—</span>`}</td>
<td>${Object.keys(p.objections).length ? Object.entries(p.objections).map(([st, n], k) => html`${k ? ', ' : ''}${n} ${st}`) : html`<span class="muted">—</span>`}</td></tr>`,
      )}</tbody>
</table></div>
${
  gv.commits.length
    ? html`<h2>Commits</h2><ul class="plain">${gv.commits.map((c) => {
        const rec = ctx.records.find(
          (r) =>
            Array.isArray(r.meta.commits) &&
            r.meta.commits.some((h) => c.hash.startsWith(h) || h.startsWith(c.hash)),
        );
        return html`<li><code>${c.hash.slice(0, 12)}</code> ${c.subject} <span class="muted">${fmtDate(c.date)} · linked by ${[...new Set(c.links.map((l) => l.method))].join(', ')}</span>${rec ? html` · <a href="${to(urls.decision(rec.slug))}#c-${c.hash.slice(0, 12)}">in the decision</a>` : ''}</li>`;
      })}</ul>`
    : ''
}`
    : ''
}
<h2>Versions side by side</h2>
<div class="scroll"><table class="versions">
<thead><tr><th></th>${s.postings.map((p) => {
    const root = ctx.data.messageByRow(p.rootRow);
    const th = root?.threadId != null ? ctx.data.thread(root.threadId) : undefined;
    return html`<th><a href="${th ? to(urls.thread(th.rootMessageId)) : '#'}">${p.label}</a><br><span class="muted">${fmtDate(p.date)}</span></th>`;
  })}</tr></thead>
<tbody>${parts.map((part) => html`<tr><th>${part === 0 ? 'cover' : part}</th>${s.postings.map((p) => html`<td>${p.parts.has(part) ? link(p.parts.get(part)!) : html`<span class="muted">—</span>`}</td>`)}</tr>`)}</tbody>
</table></div>
<h2>What changed between versions</h2>
${diffs.length ? diffs : html`<p class="muted">No patch appears in two consecutive versions.</p>`}`;
  return [
    {
      path,
      content: layout(
        {
          path,
          title: `Series: ${s.title}`,
          json: true,
          crumbs: [
            ['Series', urls.seriesList()],
            [s.title, null],
          ],
        },
        main,
      ),
    },
    {
      path: urls.json(path),
      content: JSON.stringify(
        {
          kind: 'series',
          title: s.title,
          postings: s.postings.map((p) => ({
            label: p.label,
            version: p.version,
            date: p.date,
            parts: Object.fromEntries(
              [...p.parts].map(([k, row]) => [k, ctx.data.messageByRow(row)?.messageId ?? null]),
            ),
          })),
        },
        null,
        1,
      ),
    },
  ];
}

/** The search page: the box, the results (filled in by assets/search.js) and the syntax. */
export function searchPage(): Page[] {
  const path = urls.search();
  const main = html`<h1>Search</h1>
<form id="search-form" class="bigsearch" role="search" action="search.html" method="get">
  <input type="search" name="q" id="search-q" placeholder="zswap f:hocko d:2020-09..2020-10" aria-label="Search query" autocomplete="off">
  <button type="submit">Search</button>
  <label class="threads-toggle"><input type="checkbox" name="threads" value="1" id="search-threads"> one result per thread</label>
</form>
<p id="search-status" class="muted" aria-live="polite">Type a query. The index loads when you first focus the box.</p>
<ol id="search-results" class="results"></ol>
<p><button type="button" id="search-more" hidden>More results</button></p>
<noscript><p>Search runs in your browser and needs JavaScript; <code>argmap search QUERY</code> does the same from the command line.</p></noscript>
<section class="syntax">
<h2>Query syntax</h2>
<p>Only what people wrote themselves is indexed: quoted text and diffs are left out, so a hit is where something was said.</p>
<table>
<tr><td><code>zswap latency</code></td><td>both words (AND)</td></tr>
<tr><td><code>zswap OR zram</code></td><td>either word</td></tr>
<tr><td><code>-drop_caches</code>, <code>NOT word</code></td><td>exclude</td></tr>
<tr><td><code>"memory high"</code></td><td>all the words (the CLI matches the exact phrase)</td></tr>
<tr><td><code>reclai*</code></td><td>words starting with</td></tr>
<tr><td><code>f:hocko</code> <code>from:</code></td><td>author name or address</td></tr>
<tr><td><code>s:reclaim</code> <code>subject:</code></td><td>subject</td></tr>
<tr><td><code>nq:word</code> <code>b:</code> <code>body:</code> <code>bs:</code></td><td>own text here (<code>bs:</code> with the subject); <code>argmap search</code> also looks in the patch, and for <code>b:</code> <code>bs:</code> in quoted text</td></tr>
<tr><td><code>q:</code> <code>dfn:mm/memcontrol.c</code> <code>dfa:</code> <code>dfb:</code> <code>dfhh:</code> <code>t:</code> <code>c:</code> <code>tc:</code> <code>a:</code> <code>m:</code> <code>patchid:</code></td><td>quoted text, the patch's files, removed and added lines, hunk functions, To, Cc, To or Cc, To/Cc/From, one Message-ID, a patch id: only in <code>argmap search</code> for now (the site says so and leaves them out)</td></tr>
<tr><td><code>d:2022-03..2022-06</code> <code>d:2020</code> <code>d:..2021-01-15</code> <code>d:2.weeks.ago..</code> <code>d:yesterday</code></td><td>date or range (YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD, or git's relative dates: N.days/weeks/months/years.ago, yesterday, today, last.week)</td></tr>
<tr><td><code>type:objection</code></td><td>objection, proposal, response, ack, nack, review, question, answer, concession, patch, cover, rfc, revert, reply</td></tr>
<tr><td><code>status:open</code></td><td>how an objection ended: open, addressed, rebutted, conceded, withdrawn, accepted</td></tr>
<tr><td><code>topic:memory.high</code></td><td>what a message is about (see <a href="${urls.topics()}">topics</a>)</td></tr>
<tr><td><code>stance:objects-to</code></td><td>stance of a claim in the argument graph</td></tr>
</table>
</section>`;
  return [
    {
      path,
      content: layout(
        {
          path,
          title: 'Search',
          bodyClass: 'search-page',
          scripts: [urls.asset('search.js')],
          connectSelf: true,
        },
        main,
      ),
    },
  ];
}

/** The model page: the reference reclaim model runs here (web/model), one anchor per scenario. */
export function modelPage(ctx: SiteContext, hasModel: boolean, modelCss: boolean): Page[] {
  const path = urls.model();
  const cited = new Map<string, { slug: string; title: string }[]>();
  for (const r of ctx.records) {
    const sc = r.meta.scenarios;
    for (const s of Array.isArray(sc) ? sc : []) {
      const l = cited.get(s) ?? [];
      l.push({ slug: r.slug, title: typeof r.meta.title === 'string' ? r.meta.title : r.slug });
      cited.set(s, l);
    }
  }
  const ids = ctx.scenarios.length
    ? ctx.scenarios
    : [...cited.keys()]
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
        .map((id) => ({ id, title: '', expected: '', messageIds: [] as string[] }));
  const main = html`<h1>The reference reclaim model</h1>
<p>A small simulation of memory-cgroup reclaim: a workload charging pages, <code>memory.high</code> throttling, and a user-space agent using <code>memory.high</code> or <code>memory.reclaim</code>. Each scenario tests a quantitative claim from the threads; the decision pages link the claims here, and <code>model.html#scenario=S2</code> opens a scenario.</p>
<div id="model-app" data-scenario="${ids[0]?.id ?? 'S1'}">${hasModel ? html`<p class="muted">Loading the model…</p>` : html`<p class="muted">The model's browser code (web/model/main.ts) is not in this build yet.</p>`}</div>
<details class="scenario-list"><summary>The ${ids.length} scenarios, the messages whose claims each tests, and the decisions that cite it</summary>
<ul class="plain scenarios">${ids.map((s) => {
    const by = cited.get(s.id) ?? [];
    const msgs = s.messageIds.map((id) => ({ id, link: messageLink(ctx, id) })).filter((x) => x.link);
    return html`<li id="scenario-${s.id}"><a href="#scenario=${s.id}"><b>${s.id}</b></a>${s.title ? html` — ${s.title}` : ''}
      ${s.expected ? html`<br><span class="muted">Expected: ${s.expected}</span>` : ''}
      ${msgs.length ? html`<br><span class="muted">Tests claims in ${msgs.map((x, i) => html`${i ? ', ' : ''}<a href="${href(path, x.link!)}">${ctx.data.message(x.id)?.fromName ?? x.id}, ${fmtDate(ctx.data.message(x.id)?.date)}</a>`)}</span>` : ''}
      ${by.length ? html`<br><span class="muted">Cited by ${by.map((r, i) => html`${i ? ', ' : ''}<a href="${href(path, urls.decision(r.slug))}">${r.title}</a>`)}</span>` : ''}</li>`;
  })}</ul></details>`;
  return [
    {
      path,
      content: layout(
        {
          path,
          title: 'Reclaim model',
          bodyClass: 'model-page',
          scripts: hasModel ? [urls.asset('model.js')] : [],
          styles: modelCss ? [urls.asset('model.css')] : [],
        },
        main,
      ),
    },
  ];
}

/** Characters XML 1.0 cannot contain at all (even escaped). */
function xmlText(s: string): string {
  return escapeHtml(visible(s)).replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this matches
    /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu,
    '\ufffd',
  );
}

/** Atom feed of the newest threads. */
export function feed(ctx: SiteContext, limit = 50): Page {
  const threads = [...ctx.data.threads()]
    .sort((a, b) =>
      (a.firstDate ?? '') < (b.firstDate ?? '')
        ? 1
        : (a.firstDate ?? '') > (b.firstDate ?? '')
          ? -1
          : b.id - a.id,
    )
    .slice(0, limit);
  const base = ctx.baseUrl ? ctx.baseUrl.replace(/\/?$/, '/') : '';
  const entries = threads.map((t) => {
    // the root, or when the archive lacks it the thread's first message it has (a summary and an
    // author for a thread whose opening mail was never archived)
    const root = ctx.data.messageByRow(t.rootId);
    const lead = root && !root.isGhost ? root : ctx.data.threadMessages(t.id).find((m) => !m.isGhost);
    const first = lead?.body ? (ownParagraphTexts(lead.body)[0] ?? '') : '';
    const link = base + urls.thread(t.rootMessageId);
    return `<entry>
<title>${xmlText(t.subject || '(no subject)')}</title>
<id>tag:argmap,2026:thread/${xmlText(encodeURIComponent(t.rootMessageId))}</id>
<link rel="alternate" type="text/html" href="${xmlText(link)}"/>
<updated>${xmlText(t.lastDate ?? t.firstDate ?? ctx.builtAt)}</updated>
<published>${xmlText(t.firstDate ?? ctx.builtAt)}</published>
<author><name>${xmlText(lead ? displayName(lead) : root ? displayName(root) : 'unknown')}</name></author>
<summary type="text">${xmlText(first.slice(0, 600))} (${t.messageCount} messages)</summary>
</entry>`;
  });
  const updated = threads[0]?.lastDate ?? threads[0]?.firstDate ?? ctx.builtAt;
  const content = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>argmap: new threads</title>
<id>tag:argmap,2026:feed/new-threads</id>
<link rel="self" href="${xmlText(base + urls.feed())}"/>
<link rel="alternate" type="text/html" href="${xmlText(base + urls.threads())}"/>
<updated>${xmlText(updated)}</updated>
<generator>argmap</generator>
${entries.join('\n')}
</feed>
`;
  return { path: urls.feed(), content };
}
