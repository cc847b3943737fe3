/**
 * The home page, the list pages (decisions, threads, people) and the person pages.
 */
import { STANCE_CAVEAT } from '../../graph/stance-summary.ts';
import type { DecisionRecord } from '../../decisions/record.ts';
import { personByName, type PersonRow, type SiteContext } from '../context.ts';
import type { ThreadRow } from '../../store/site-data.ts';
import { html, raw } from '../html.ts';
import { fmtDate, layout } from '../layout.ts';
import { statusBadge } from '../markdown.ts';
import type { Page } from '../page.ts';
import { href, urls } from '../urls.ts';

function meta(rec: DecisionRecord, k: string): string {
  const v = rec.meta[k];
  return typeof v === 'string' ? v : '';
}

/** The home page. */
export function indexPage(
  ctx: SiteContext,
  stats: { messages: number; threads: number; people: number },
): Page[] {
  const path = urls.index();
  const to = (p: string): string => href(path, p);
  // the renderer sorts the main decision (BuildOptions.mainDecision) first
  const main_ = ctx.records[0];
  const recent = [...ctx.data.threads()]
    .sort((a, b) => ((a.lastDate ?? '') < (b.lastDate ?? '') ? 1 : -1))
    .slice(0, 15);
  const main = html`
<section class="hero">
<h1>Why is there a <code>memory.reclaim</code> file and not a better <code>memory.high</code>?</h1>
<p>In 2020 Shakeel Butt proposed a cgroup v2 file that reclaims a requested amount of memory and leaves no limit behind; Michal Hocko argued <code>memory.high</code> could do the job. After a long debate and five revisions in 2022 it was merged for Linux 5.19. This site shows that decision — the proposal, every objection and how it ended, the implementation — and every thread and message behind it, with search across the archive.</p>
${main_ ? html`<p class="cta"><a class="button" href="${to(urls.decision(main_.slug))}">Read the decision: ${meta(main_, 'title')}</a></p>` : ''}
<form class="bigsearch" role="search" action="${to(urls.search())}" method="get">
  <input type="search" name="q" placeholder="Search ${stats.messages.toLocaleString('en-US')} messages, e.g. zswap f:hocko d:2020" aria-label="Search the archive">
  <button type="submit">Search</button>
</form>
</section>
<section>
<h2>Decisions</h2>
${ctx.records.length ? html`<ul class="cards">${ctx.records.map((r) => html`<li><a href="${to(urls.decision(r.slug))}"><b>${meta(r, 'title')}</b></a> ${raw(statusBadge(meta(r, 'status')))}${meta(r, 'version') ? ` ${meta(r, 'version')}` : ''}<br><span class="muted">${meta(r, 'summary')}</span></li>`)}</ul>` : html`<p class="muted">No decision records yet (data/decisions/).</p>`}
</section>
<section>
<h2>Recently active threads</h2>
<ul class="plain">${recent.map((t) => threadItem(path, t))}</ul>
<p><a href="${to(urls.threads())}">All ${stats.threads.toLocaleString('en-US')} threads</a> · <a href="${to(urls.people())}">${stats.people.toLocaleString('en-US')} people</a> · <a href="${to(urls.topics())}">topics</a> · <a href="${to(urls.seriesList())}">patch series</a> · <a href="${to(urls.model())}">the reclaim model</a></p>
</section>`;
  return [
    {
      path,
      content: layout(
        { path, title: 'memory.reclaim and memory.high, argued and decided', json: true, bodyClass: 'home' },
        main,
      ),
    },
    {
      path: urls.json(path),
      content: JSON.stringify(
        {
          kind: 'index',
          ...stats,
          decisions: ctx.records.map((r) => ({
            slug: r.slug,
            title: meta(r, 'title'),
            status: meta(r, 'status'),
            url: urls.decision(r.slug),
          })),
        },
        null,
        1,
      ),
    },
  ];
}

function threadItem(from: string, t: ThreadRow) {
  return html`<li><a href="${href(from, urls.thread(t.rootMessageId))}">${t.subject || '(no subject)'}</a> <span class="muted">${t.messageCount} msgs, ${fmtDate(t.firstDate)}${t.lastDate && t.lastDate.slice(0, 10) !== (t.firstDate ?? '').slice(0, 10) ? ` – ${fmtDate(t.lastDate)}` : ''}</span></li>`;
}

/** List of decision records. */
export function decisionsPage(ctx: SiteContext): Page[] {
  const path = urls.decisions();
  const to = (p: string): string => href(path, p);
  const main = html`<h1>Decisions</h1>
<p class="muted">Each record tells how one kernel design decision was argued and made, with every statement cited to the message it rests on.</p>
<ul class="cards">${ctx.records.map((r) => html`<li><a href="${to(urls.decision(r.slug))}"><b>${meta(r, 'title')}</b></a> ${raw(statusBadge(meta(r, 'status')))}${meta(r, 'version') ? ` ${meta(r, 'version')}` : ''} · ${r.objections.length} objections · <a href="${to(urls.map(r.slug))}">map</a><br><span class="muted">${meta(r, 'summary')}</span></li>`)}</ul>`;
  return [
    { path, content: layout({ path, title: 'Decisions', json: true, crumbs: [['Decisions', null]] }, main) },
    {
      path: urls.json(path),
      content: JSON.stringify(
        {
          kind: 'decisions',
          decisions: ctx.records.map((r) => ({ slug: r.slug, meta: r.meta, url: urls.decision(r.slug) })),
        },
        null,
        1,
      ),
    },
  ];
}

/** All threads, grouped by the month they started in. */
export function threadsPage(ctx: SiteContext): Page[] {
  const path = urls.threads();
  const threads = ctx.data.threads();
  const byMonth = new Map<string, ThreadRow[]>();
  for (const t of [...threads].reverse()) {
    const k = (t.firstDate ?? 'undated').slice(0, 7);
    const l = byMonth.get(k);
    if (l) l.push(t);
    else byMonth.set(k, [t]);
  }
  const main = html`<h1>Threads</h1>
<p class="muted">${threads.length.toLocaleString('en-US')} threads, newest first, by the month they started. A thread page shows the whole thread, however many months it spans.</p>
${[...byMonth].map(([month, ts]) => html`<h2 id="m-${month}">${month}</h2><ul class="plain">${ts.map((t) => threadItem(path, t))}</ul>`)}`;
  return [
    { path, content: layout({ path, title: 'Threads', json: true, crumbs: [['Threads', null]] }, main) },
    {
      path: urls.json(path),
      content: JSON.stringify({
        kind: 'threads',
        threads: threads.map((t) => ({
          subject: t.subject,
          root: t.rootMessageId,
          messages: t.messageCount,
          firstDate: t.firstDate,
          lastDate: t.lastDate,
          url: urls.thread(t.rootMessageId),
        })),
      }),
    },
  ];
}

/** All people, most messages first. */
export function peoplePage(ctx: SiteContext): Page[] {
  const path = urls.people();
  const people = [...ctx.people.values()].sort(
    (a, b) => b.messageCount - a.messageCount || (a.name ?? '').localeCompare(b.name ?? ''),
  );
  const main = html`<h1>People</h1>
<p class="muted">${people.length.toLocaleString('en-US')} people who wrote to the list, by number of messages.</p>
<ol class="people">${people.map((p) => html`<li><a href="${href(path, urls.person(p.slug))}">${p.name || p.primaryAddr || p.slug}</a> <span class="muted">${p.messageCount}</span></li>`)}</ol>`;
  return [
    { path, content: layout({ path, title: 'People', json: true, crumbs: [['People', null]] }, main) },
    {
      path: urls.json(path),
      content: JSON.stringify({
        kind: 'people',
        people: people.map((p) => ({ name: p.name, messages: p.messageCount, url: urls.person(p.slug) })),
      }),
    },
  ];
}

/** What one person proposed, objected to, acked and conceded, and where they wrote. */
export function personPages(ctx: SiteContext, p: PersonRow, graph: PersonGraph): Page[] {
  const path = urls.person(p.slug);
  const to = (x: string): string => href(path, x);
  const unsureCount = graph.objections.filter((c) => c.unsureOf).length;
  const names = ctx.data.personNames(p.id);
  const threads = ctx.data.personThreads(p.id);
  const trailers = ctx.data.personTrailers(p.id);
  const started = threads.filter((t) => {
    const th = ctx.data.thread(t.threadId);
    const root = th ? ctx.data.messageByRow(th.rootId) : undefined;
    return root?.authorId === p.id;
  });
  // Decision records: objections this person raised (matched by name) and how they ended.
  const objections: { rec: DecisionRecord; n: number; title: string; status: string }[] = [];
  const roles: { rec: DecisionRecord; roles: string }[] = [];
  for (const rec of ctx.records) {
    for (const o of rec.objections) {
      const raisers = (o.raisedBy ?? '').split(';').map((s) => s.replace(/,.*$/, '').trim());
      if (raisers.some((n) => personByName(ctx, n)?.id === p.id))
        objections.push({ rec, n: o.number, title: o.title, status: o.status ?? '' });
    }
    const people = rec.meta.people;
    for (const item of Array.isArray(people) ? people : []) {
      const i = item.indexOf(':');
      if (i > 0 && personByName(ctx, item.slice(0, i))?.id === p.id)
        roles.push({ rec, roles: item.slice(i + 1).trim() });
    }
  }
  const threadLink = (id: number) => {
    const t = ctx.data.thread(id);
    return t
      ? html`<a href="${to(urls.thread(t.rootMessageId))}">${t.subject || '(no subject)'}</a>`
      : html`thread ${id}`;
  };
  const main = html`<h1>${p.name || p.primaryAddr || p.slug}</h1>
<p class="meta">${p.messageCount} messages in ${threads.length} threads${names.length > 1 ? html` · also written as ${names.filter((n) => n !== p.name).join(', ')}` : ''}</p>
${roles.length ? html`<h2>In decisions</h2><ul class="plain">${roles.map((r) => html`<li><a href="${to(urls.decision(r.rec.slug))}">${meta(r.rec, 'title')}</a> — ${r.roles}</li>`)}</ul>` : ''}
<h2>Proposed</h2>
${started.length ? html`<ul class="plain">${started.map((t) => html`<li>${threadLink(t.threadId)} <span class="muted">${fmtDate(t.first)}</span></li>`)}</ul>` : html`<p class="muted">Started no thread in the archive.</p>`}
<h2>Objected to</h2>
${
  objections.length || graph.objections.length
    ? html`<ul class="plain">${objections.map((o) => html`<li><a href="${to(urls.decision(o.rec.slug))}#o${o.n}">O${o.n}. ${o.title}</a> (${meta(o.rec, 'title')}) ${raw(statusBadge(o.status))}</li>`)}${graph.objections.slice(0, 200).map((c) => html`<li${c.unsureOf ? html` class="unsure"` : ''}><a href="${to(c.link)}">${c.text}</a> <span class="muted">${fmtDate(c.date)}</span>${c.status ? html` ${raw(statusBadge(c.status))}` : ''}${c.unsureOf ? html` <span class="stance unsure" title="the model gives this less than even odds">unsure: objects or ${c.unsureOf}?</span>` : ''}</li>`)}</ul>${unsureCount ? html`<p class="muted note">${unsureCount} of the ${graph.objections.length} objections from the argument graph are unsure (the model gives them less than even odds); <label><input type="checkbox" class="hide-unsure"> hide them</label></p>` : ''}`
    : html`<p class="muted">No recorded objections.</p>`
}
${graph.objections.length || graph.concessions.length ? html`<p class="muted note">Objections with an O-number are from the decision records, checked by hand; the others, and the concessions below, come from the argument graph. ${STANCE_CAVEAT}</p>` : ''}
<h2>Acked, reviewed, tested</h2>
${
  trailers.length
    ? html`<ul class="plain">${trailers.map((t) => {
        const th = t.threadId !== null ? ctx.data.thread(t.threadId) : undefined;
        return html`<li><b>${t.name}</b> on <a href="${to(th ? urls.inThread(th.rootMessageId, t.msg) : urls.message(t.msg))}">${t.subject ?? t.msg}</a> <span class="muted">${fmtDate(t.date)}</span></li>`;
      })}</ul>`
    : html`<p class="muted">No review trailers given in their own messages.</p>`
}
<h2>Conceded</h2>
${graph.concessions.length ? html`<ul class="plain">${graph.concessions.slice(0, 200).map((c) => html`<li><a href="${to(c.link)}">${c.text}</a> <span class="muted">${fmtDate(c.date)}</span></li>`)}</ul>` : html`<p class="muted">No concessions found.</p>`}
<h2>Threads</h2>
<ul class="plain">${threads.map((t) => html`<li>${threadLink(t.threadId)} <span class="muted">${t.count} msgs, ${fmtDate(t.first)}${t.last && t.last.slice(0, 10) !== (t.first ?? '').slice(0, 10) ? ` – ${fmtDate(t.last)}` : ''}</span></li>`)}</ul>`;
  const json = {
    kind: 'person',
    name: p.name,
    names,
    messages: p.messageCount,
    threads: threads.map((t) => ({
      url: ctx.data.thread(t.threadId) ? urls.thread(ctx.data.thread(t.threadId)!.rootMessageId) : null,
      messages: t.count,
      first: t.first,
      last: t.last,
    })),
    proposed: started.map((t) =>
      ctx.data.thread(t.threadId) ? urls.thread(ctx.data.thread(t.threadId)!.rootMessageId) : null,
    ),
    objections: objections.map((o) => ({
      decision: o.rec.slug,
      objection: o.n,
      title: o.title,
      status: o.status,
    })),
    reviews: trailers.map((t) => ({ trailer: t.name, messageId: t.msg, date: t.date })),
    graph,
  };
  return [
    {
      path,
      content: layout(
        {
          path,
          title: p.name || p.slug,
          json: true,
          crumbs: [
            ['People', urls.people()],
            [p.name || p.slug, null],
          ],
        },
        main,
      ),
    },
    { path: urls.json(path), content: JSON.stringify(json, null, 1) },
  ];
}

/** A person's claims in the argument graph. */
export interface PersonGraph {
  /** `unsureOf`: the runner-up stance when the model is unsure this is an objection. */
  objections: {
    text: string;
    link: string;
    date: string | null;
    status: string | null;
    unsureOf: string | null;
  }[];
  concessions: { text: string; link: string; date: string | null }[];
  proposals: { text: string; link: string; date: string | null }[];
}
