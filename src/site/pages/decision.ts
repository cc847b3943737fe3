/**
 * Decision pages: one per record in data/decisions/. The page leads with what a reader asks first
 * (what was proposed, who objected, how each objection ended, what shipped), then the argument
 * map, the timeline and the people, then the record itself with every citation linked to the exact
 * message paragraph and previewed on hover.
 */
import type { CitationResolver, ResolvedMessage } from '../../decisions/check.ts';
import type { DecisionRecord, Objection } from '../../decisions/record.ts';
import { renderMap, type MapEdge, type MapNode } from '../argmap.ts';
import { messageLink, paragraphLink, personByName, type SiteContext } from '../context.ts';
import { filesTouched, renderPatch } from '../diff.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import { fmtDate, layout } from '../layout.ts';
import { renderMarkdown, statusBadge, type CitationToken } from '../markdown.ts';
import type { Page } from '../page.ts';
import { classify } from '../../mail/owntext.ts';
import { href, urls } from '../urls.ts';

const PREVIEW_CHARS = 360;

function clip(s: string, n = PREVIEW_CHARS): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

/** The paragraph that best stands for a cited message: the cited one, else the first substantial one. */
function gist(m: ResolvedMessage, para: number | null): string {
  if (para !== null && m.paragraphs[para - 1]) return m.paragraphs[para - 1]!.text;
  const p =
    m.paragraphs.find(
      (x) => x.text.replace(/\s+/g, ' ').trim().length >= 60 && !/^(from|subject|date):/i.test(x.text),
    ) ?? m.paragraphs[0];
  return p?.text ?? m.subject;
}

function surname(name: string): string {
  const parts = name.trim().split(/\s+/);
  return parts[parts.length - 1] || name;
}

function metaList(rec: DecisionRecord, key: string): string[] {
  const v = rec.meta[key];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

function metaStr(rec: DecisionRecord, key: string): string | undefined {
  const v = rec.meta[key];
  return typeof v === 'string' ? v : undefined;
}

/** Thrown when a record cites something the archive does not have. */
export class CitationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CitationError';
  }
}

/** Render one citation as a link with a hover preview. */
export function citationHtml(
  ctx: SiteContext,
  resolver: CitationResolver,
  from: string,
  rec: DecisionRecord,
  c: CitationToken,
): string {
  const to = (p: string): string => href(from, p);
  const fail = (why: string): never => {
    throw new CitationError(`${rec.file}: ${c.raw}: ${why}`);
  };
  if (c.kind === 'msg' || c.kind === 'claim') {
    const m = resolver.message(c.target) ?? fail(`no message ${c.target} in the archive`);
    const p = c.paragraph;
    if (p !== null && (p < 1 || p > m.paragraphs.length)) fail(`paragraph ${p} does not exist`);
    const link =
      (p !== null ? paragraphLink(ctx, m.messageId, p) : messageLink(ctx, m.messageId)) ??
      fail('message has no page');
    const label = `${surname(m.from)} ${fmtDate(m.date)}${p !== null ? ` ¶${p}` : ''}`;
    const text = p !== null ? m.paragraphs[p - 1]!.text : (m.paragraphs[0]?.text ?? '');
    return html`<span class="cite"><a href="${to(link)}" class="c-${c.kind}">${label}</a><span class="pv" role="tooltip"><b>${m.from}</b>, ${fmtDate(m.date)}${p !== null ? `, paragraph ${p}` : ''}: <i>${m.subject}</i><br>${clip(text)}</span></span>`
      .value;
  }
  if (c.kind === 'commit') {
    const r = resolver.commit(c.target);
    if (!r || r === 'ambiguous')
      fail(r === 'ambiguous' ? 'ambiguous commit' : `no commit ${c.target} in the archive`);
    const cm = r as Exclude<typeof r, null | 'ambiguous'>;
    return html`<span class="cite"><a href="#c-${cm.hash.slice(0, 12)}" class="c-commit"><code>${cm.hash.slice(0, 12)}</code></a><span class="pv" role="tooltip"><b>commit ${cm.hash.slice(0, 12)}</b> ${cm.subject}<br>${cm.author}, ${fmtDate(cm.date)}</span></span>`
      .value;
  }
  const sc = ctx.scenarios.find((s) => s.id === c.target);
  return html`<span class="cite"><a href="${to(urls.model(c.target))}" class="c-model">model ${c.target}</a><span class="pv" role="tooltip"><b>Reference model, scenario ${c.target}</b>${sc ? html`: ${sc.title}` : ''}<br>Open the model page to run it.</span></span>`
    .value;
}

function messageRef(ctx: SiteContext, from: string, m: ResolvedMessage | null, id: string): SafeHtml {
  if (!m) return html`<code>${id}</code>`;
  const link = messageLink(ctx, m.messageId);
  return html`<a href="${link ? href(from, link) : '#'}">${m.from}</a>, ${fmtDate(m.date)}`;
}

/** Parse "Michal Hocko, 2020-09-21 [msg:…]; Roman …" into its people. */
function raisers(o: Objection): { name: string; date: string | null; target: string | null }[] {
  if (!o.raisedBy) return [];
  return o.raisedBy.split(';').map((part) => {
    const cite = /\[msg:([^\]\s#]+)(?:#p\d+)?\]/.exec(part);
    const date = /\d{4}-\d{2}-\d{2}/.exec(part);
    const name = part
      .replace(/\[[^\]]*\]/g, '')
      .replace(/,?\s*\d{4}-\d{2}-\d{2}.*$/, '')
      .trim();
    return { name, date: date ? date[0] : null, target: cite ? cite[1]! : null };
  });
}

function statusClass(status: string | null): string {
  if (!status) return 'unknown';
  return status.startsWith('addressed') ? 'addressed' : status.replace(/[^a-z]+/g, '-');
}

/** Nodes and edges of a decision's argument map. */
export function decisionMap(
  ctx: SiteContext,
  resolver: CitationResolver,
  rec: DecisionRecord,
  from: string,
  onPage: boolean,
): { nodes: MapNode[]; edges: MapEdge[] } {
  const page = urls.decision(rec.slug);
  const anchor = (id: string): string => (onPage ? `#${id}` : href(from, `${page}#${id}`));
  const nodes: MapNode[] = [];
  const edges: MapEdge[] = [];
  const first = metaList(rec, 'messages')[0];
  const fm = first ? resolver.message(first) : null;
  nodes.push({
    id: 'proposal',
    kind: 'proposal',
    title: metaStr(rec, 'title') ?? rec.slug,
    sub: fm ? `proposed by ${fm.from}, ${fmtDate(fm.date)}` : metaStr(rec, 'proposed'),
    href: anchor('proposal'),
  });
  const responses = new Map<string, MapNode>();
  for (const o of rec.objections) {
    const id = `o${o.number}`;
    const who = raisers(o)
      .map((r) => r.name)
      .join(', ');
    nodes.push({
      id,
      kind: 'objection',
      title: `O${o.number}. ${o.title}`,
      sub: `${o.status ?? 'no status'}${who ? ` · raised by ${who}` : ''}`,
      status: statusClass(o.status),
      href: anchor(id),
    });
    edges.push({ from: 'proposal', to: id });
    for (const s of o.settledBy) {
      const m = resolver.message(s.target);
      const rid = `r-${s.target}`;
      if (!responses.has(rid)) {
        const link = m ? messageLink(ctx, m.messageId) : null;
        const node: MapNode = {
          id: rid,
          kind: 'response',
          title: m ? `${m.from}, ${fmtDate(m.date)}` : s.target,
          sub: m ? clip(gist(m, s.paragraph), 60) : undefined,
          href: link ? href(from, link) : undefined,
        };
        responses.set(rid, node);
        nodes.push(node);
      }
      edges.push({ from: id, to: rid });
    }
    edges.push({ from: id, to: 'outcome', minlen: 2 });
  }
  const version = metaStr(rec, 'version');
  nodes.push({
    id: 'outcome',
    kind: 'outcome',
    title: `${metaStr(rec, 'status') ?? 'undecided'}${version ? ` in Linux ${version}` : ''}`,
    sub: metaStr(rec, 'decided') ? `decided ${metaStr(rec, 'decided')}` : undefined,
    status: metaStr(rec, 'status'),
    href: anchor('decision'),
  });
  if (!rec.objections.length) edges.push({ from: 'proposal', to: 'outcome' });
  return { nodes, edges };
}

interface TimelineEvent {
  date: string;
  what: SafeHtml;
  kind: string;
}

function timeline(
  ctx: SiteContext,
  resolver: CitationResolver,
  rec: DecisionRecord,
  from: string,
): TimelineEvent[] {
  const ev: TimelineEvent[] = [];
  const seen = new Set<string>();
  const addMsg = (id: string, kind: string, what: (m: ResolvedMessage) => SafeHtml): void => {
    const m = resolver.message(id);
    if (!m?.date || seen.has(kind + id)) return;
    seen.add(kind + id);
    ev.push({ date: m.date, kind, what: what(m) });
  };
  for (const id of metaList(rec, 'messages'))
    addMsg(id, 'posting', (m) => html`${messageRef(ctx, from, m, id)}: <i>${m.subject}</i>`);
  for (const o of rec.objections) {
    for (const r of raisers(o))
      if (r.target)
        addMsg(
          r.target,
          `o${o.number}`,
          (m) =>
            html`<a href="#o${o.number}">O${o.number}</a> raised: ${o.title} (${messageRef(ctx, from, m, r.target!)})`,
        );
    const last = o.settledBy[o.settledBy.length - 1];
    if (last)
      addMsg(
        last.target,
        `s${o.number}`,
        (m) =>
          html`<a href="#o${o.number}">O${o.number}</a> ${raw(statusBadge(o.status ?? ''))} (${messageRef(ctx, from, m, last.target)})`,
      );
  }
  for (const h of metaList(rec, 'commits')) {
    const c = ctx.data.commit(h);
    const d = c?.commitDate ?? c?.authorDate;
    if (c && d)
      ev.push({
        date: d,
        kind: 'commit',
        what: html`commit <a href="#c-${c.hash.slice(0, 12)}"><code>${c.hash.slice(0, 12)}</code></a> ${c.subject}`,
      });
  }
  const decided = metaStr(rec, 'decided');
  if (decided)
    ev.push({
      date: decided + 'T23:59:59Z',
      kind: 'decided',
      what: html`<a href="#decision">decided</a>: ${raw(statusBadge(metaStr(rec, 'status') ?? ''))}`,
    });
  for (const slug of metaList(rec, 'related')) {
    const other = ctx.records.find((r) => r.slug === slug);
    const p = other && metaStr(other, 'proposed');
    if (other && p)
      ev.push({
        date: p + 'T00:00:00Z',
        kind: 'related',
        what: html`related: <a href="${href(from, urls.decision(slug))}">${metaStr(other, 'title') ?? slug}</a> proposed (${metaStr(other, 'status') ?? ''})`,
      });
  }
  ev.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return ev;
}

/** Commits of a record (front matter and cited), each with its diff or the posting it came from. */
function implementation(
  ctx: SiteContext,
  resolver: CitationResolver,
  rec: DecisionRecord,
  from: string,
): SafeHtml {
  const hashes = new Set(metaList(rec, 'commits'));
  for (const c of rec.citations) if (c.kind === 'commit') hashes.add(c.target);
  const to = (p: string): string => href(from, p);
  const commits = [...hashes]
    .map((h) => ctx.data.commit(h))
    .filter((c): c is NonNullable<typeof c> => Boolean(c));
  const versions = metaList(rec, 'messages').map((id) => ({ id, m: resolver.message(id) }));
  return html`
<h3>Patch versions</h3>
<ol class="versions">${versions.map(({ id, m }) => html`<li>${m ? html`<a href="${to(messageLink(ctx, id) ?? '#')}"><i>${m.subject}</i></a> — ${m.from}, ${fmtDate(m.date)}` : html`<code>${id}</code>`}</li>`)}</ol>
<h3>Commits</h3>
${commits.length ? '' : html`<p class="muted">No commit in the archive.</p>`}
${commits.map((c) => {
  const posted = c.postedAs ? ctx.data.message(c.postedAs) : undefined;
  let patch: SafeHtml = html``;
  let source = '';
  if (c.diff) {
    patch = renderPatch(c.diff.split('\n'), `c-${c.hash.slice(0, 12)}`);
    source = 'the commit';
  } else if (posted?.body) {
    const lines = classify(posted.body)
      .filter((l) => l.kind === 'patch')
      .map((l) => l.text);
    if (lines.length) {
      patch = renderPatch(lines, `c-${c.hash.slice(0, 12)}`);
      source = 'the posting it was applied from';
    }
  }
  const files = c.diff ? filesTouched(c.diff.split('\n')) : [];
  return html`<section class="commit" id="c-${c.hash.slice(0, 12)}">
  <h4><code>${c.hash.slice(0, 12)}</code> ${c.subject}</h4>
  <p class="meta">${c.authorName ?? ''}${c.authorDate ? `, authored ${fmtDate(c.authorDate)}` : ''}${c.commitDate ? `, committed ${fmtDate(c.commitDate)}` : ''}${c.complete ? '' : ' · commit text partial (see its source)'}
  ${posted ? html` · posted as <a href="${to(messageLink(ctx, posted.messageId) ?? '#')}">${posted.subject}</a>` : ''}</p>
  ${source ? html`<details class="diffbox"><summary>Diff, from ${source}${files.length ? ` (${files.length} files)` : ''}</summary>${patch}</details>` : html`<p class="muted">No diff in the archive for this commit.</p>`}
</section>`;
})}`;
}

/** The decision page and its JSON twin. */
export function decisionPages(ctx: SiteContext, resolver: CitationResolver, rec: DecisionRecord): Page[] {
  const path = urls.decision(rec.slug);
  const to = (p: string): string => href(path, p);
  const title = metaStr(rec, 'title') ?? rec.slug;
  const status = metaStr(rec, 'status') ?? '';
  const version = metaStr(rec, 'version');
  const body = renderMarkdown(rec.body, {
    cite: (c) => citationHtml(ctx, resolver, path, rec, c),
    relativeLink: (u) => {
      const m = /^([a-z0-9-]+)\.md(#[A-Za-z0-9_-]*)?$/.exec(u);
      if (m) return urls.decision(m[1]!).slice(2) + (m[2] ?? '');
      return /^[#]/.test(u) ? u : null;
    },
  });
  const first = metaList(rec, 'messages')[0];
  const fm = first ? resolver.message(first) : null;
  const map = decisionMap(ctx, resolver, rec, path, true);
  const events = timeline(ctx, resolver, rec, path);
  const people = metaList(rec, 'people').map((p) => {
    const i = p.indexOf(':');
    const name = i < 0 ? p : p.slice(0, i);
    const roles = i < 0 ? '' : p.slice(i + 1).trim();
    return { name: name.trim(), roles, person: personByName(ctx, name) };
  });
  const scenarios = metaList(rec, 'scenarios');
  const main = html`
<article class="decision">
<header class="dhead">
  <h1 id="proposal">${title}</h1>
  <p class="meta">${raw(statusBadge(status))}${version ? html` in Linux ${version}` : ''}
    ${metaStr(rec, 'proposed') ? html` · proposed ${metaStr(rec, 'proposed')}` : ''}
    ${metaStr(rec, 'decided') ? html` · decided ${metaStr(rec, 'decided')}` : ''}
    · <a href="${to(urls.map(rec.slug))}">argument map</a>
    · <a href="${to(urls.json(path))}">JSON</a></p>
  <p class="summary">${metaStr(rec, 'summary') ?? ''}</p>
</header>

<section class="glance">
<h2>At a glance</h2>
<dl class="facts">
  <dt>Proposal</dt><dd>${fm ? html`<a href="${to(messageLink(ctx, fm.messageId) ?? '#')}"><i>${fm.subject}</i></a> — ${fm.from}, ${fmtDate(fm.date)}` : 'not in the archive'}</dd>
  <dt>Objections</dt><dd>${rec.objections.length} raised; ${[...new Set(rec.objections.map((o) => statusClass(o.status)))].map((s, i) => html`${i ? ', ' : ''}${rec.objections.filter((o) => statusClass(o.status) === s).length} ${s}`)}</dd>
  <dt>Outcome</dt><dd><a href="#decision">${raw(statusBadge(status))}${version ? ` in Linux ${version}` : ''}</a></dd>
  ${scenarios.length ? html`<dt>Model</dt><dd>${scenarios.map((s) => html`<a href="${to(urls.model(s))}">${s}</a> `)}</dd>` : ''}
</dl>
<h3>Objections and how each ended</h3>
<ol class="objections">
${rec.objections.map(
  (o) => html`<li class="objection obj-${statusClass(o.status)}">
  <a href="#o${o.number}" class="otitle">O${o.number}. ${o.title}</a> ${raw(statusBadge(o.status ?? 'no status'))}
  <div class="raised">raised by ${raisers(o).map((r, i) => {
    const m = r.target ? resolver.message(r.target) : null;
    return html`${i ? '; ' : ''}${m ? messageRef(ctx, path, m, r.target!) : r.name}`;
  })}</div>
  ${
    o.settledBy.length
      ? html`<div class="settled">settled by: <ul>${o.settledBy.map((s) => {
          const m = resolver.message(s.target);
          return html`<li>${messageRef(ctx, path, m, s.target)}${m ? html` — <span class="muted">${clip(gist(m, s.paragraph), 140)}</span>` : ''}</li>`;
        })}</ul></div>`
      : ''
  }
</li>`,
)}
</ol>
</section>

<section class="mapsec">
<h2>Argument map</h2>
${renderMap(map.nodes, map.edges, `Argument map of ${title}`)}
</section>

<section class="implementation">
<h2 id="implementation-facts">Implementation</h2>
${implementation(ctx, resolver, rec, path)}
${
  metaList(rec, 'related').length
    ? html`<h3>Later and related changes</h3><ul>${metaList(rec, 'related').map((slug) => {
        const other = ctx.records.find((r) => r.slug === slug);
        return html`<li><a href="${to(urls.decision(slug))}">${other ? (metaStr(other, 'title') ?? slug) : slug}</a>${other ? html` — ${raw(statusBadge(metaStr(other, 'status') ?? ''))}${metaStr(other, 'version') ? ` ${metaStr(other, 'version')}` : ''}` : ''}</li>`;
      })}</ul>`
    : ''
}
</section>

<section class="timeline">
<h2>Timeline</h2>
<ol class="events">${events.map((e) => html`<li class="ev-${e.kind}"><time datetime="${e.date}">${fmtDate(e.date)}</time> ${e.what}</li>`)}</ol>
</section>

<section class="people">
<h2>People</h2>
<ul class="plain">${people.map((p) => html`<li>${p.person ? html`<a href="${to(urls.person(p.person.slug))}">${p.name}</a>` : p.name}${p.roles ? html` — <span class="muted">${p.roles}</span>` : ''}</li>`)}</ul>
</section>

<section class="record">
<h2>The record</h2>
<p class="muted">Written from the archive; every citation links to the paragraph it rests on (hover or focus a citation for the cited text). Source: <code>data/decisions/${rec.slug}.md</code>.</p>
<div class="md">${raw(body)}</div>
</section>
</article>`;
  const json = {
    kind: 'decision',
    slug: rec.slug,
    meta: rec.meta,
    url: path,
    objections: rec.objections.map((o) => ({
      number: o.number,
      title: o.title,
      status: o.status,
      raisedBy: raisers(o),
      settledBy: o.settledBy.map((s) => s.target),
      anchor: `${path}#o${o.number}`,
    })),
    timeline: events.map((e) => ({ date: e.date, kind: e.kind })),
    citations: rec.citations.map((c) => ({
      kind: c.kind,
      target: c.target,
      paragraph: c.paragraph,
      line: c.line,
    })),
    map: map,
  };
  const mapPath = urls.map(rec.slug);
  const mapFull = decisionMap(ctx, resolver, rec, mapPath, false);
  const mapMain = html`<h1>Argument map: ${title}</h1>
<p class="meta">Proposal → objections → the replies that settled them → outcome. Each box links to the objection in the <a href="${href(mapPath, path)}">decision page</a> or to the message.</p>
<p class="legend"><span class="status st-conceded">conceded</span> <span class="status st-addressed">addressed</span> <span class="status st-rebutted">rebutted</span> <span class="status st-withdrawn">withdrawn</span> <span class="status st-accepted">accepted</span> <span class="status st-open">open</span></p>
${renderMap(mapFull.nodes, mapFull.edges, `Argument map of ${title}`)}`;
  return [
    {
      path,
      content: layout(
        {
          path,
          title,
          description: metaStr(rec, 'summary'),
          json: true,
          bodyClass: 'decision-page',
          crumbs: [
            ['Decisions', urls.decisions()],
            [title, null],
          ],
        },
        main,
      ),
    },
    { path: urls.json(path), content: JSON.stringify(json, null, 1) },
    {
      path: mapPath,
      content: layout(
        {
          path: mapPath,
          title: `Argument map: ${title}`,
          json: true,
          bodyClass: 'map-page',
          crumbs: [
            ['Decisions', urls.decisions()],
            [title, path],
            ['map', null],
          ],
        },
        mapMain,
      ),
    },
    {
      path: urls.json(mapPath),
      content: JSON.stringify({ kind: 'argument-map', decision: rec.slug, ...mapFull }, null, 1),
    },
  ];
}
