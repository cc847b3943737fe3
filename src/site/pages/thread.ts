/**
 * The thread page (the whole thread on one page, across months, nested) and the message page
 * (headers, raw download, replies). Both render bodies through ../body.ts, so a paragraph has
 * the same anchor and the same "replies" count everywhere.
 */
import type { SiteContext } from '../context.ts';
import { authorOf, threadRootOf } from '../context.ts';
import { renderBlocks, type BodyLinks } from '../body.ts';
import type { MessageRow, ThreadRow } from '../../store/site-data.ts';
import { html, type SafeHtml } from '../html.ts';
import { fmtDate, layout } from '../layout.ts';
import { displayName, paraKey, type ThreadMessage, type ThreadView } from '../thread.ts';
import { href, messageAnchor, urls } from '../urls.ts';
import { leadingStances, STANCE_CAVEAT } from '../../graph/stance-summary.ts';
import type { Page } from '../page.ts';
import { LOW_CONFIDENCE, MISSING_PREFIX } from '../../store/placement.ts';

/**
 * The mark of a parent link that no header vouches for: how it was inferred and how sure, with the
 * evidence on hover; below LOW_CONFIDENCE it says "guessed" so a reader does not take it as fact.
 */
function placedMark(row: MessageRow, long = false): SafeHtml | '' {
  const p = row.placement;
  if (!p) return '';
  const guess = p.confidence < LOW_CONFIDENCE;
  const label = `${guess ? 'parent guessed' : 'parent inferred'} from ${p.method}, confidence ${p.confidence.toFixed(2)}`;
  return long
    ? html`<span class="placed${guess ? ' guess' : ''}">${label}: ${p.evidence}</span>`
    : html`<span class="placed${guess ? ' guess' : ''}" title="${p.evidence}">${label}</span>`;
}

/** Subject without reply markers, for comparing a reply's subject with the thread's. */
function bareSubject(s: string | null): string {
  return (s ?? '').replace(/^\s*((re|fwd?|aw|sv)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
}

function bodyLinks(
  ctx: SiteContext,
  view: ThreadView,
  m: ThreadMessage,
  from: string,
  onThreadPage: boolean,
): BodyLinks {
  const anchor = messageAnchor(m.row.messageId);
  return {
    anchor,
    source: (mid, para) => {
      const a = para > 0 ? `${messageAnchor(mid)}-p${para}` : messageAnchor(mid);
      if (view.byMessageId.has(mid))
        return onThreadPage ? `#${a}` : href(from, `${urls.thread(view.rootMessageId)}#${a}`);
      // A quote traced into another thread (an earlier version of a series).
      const other = ctx.data.message(mid);
      const root = other ? threadRootOf(ctx, other) : null;
      return href(from, root ? `${urls.thread(root)}#${a}` : urls.message(mid));
    },
    author: (mid) => {
      const t = view.byMessageId.get(mid)?.row ?? ctx.data.message(mid);
      return t ? displayName(t) : mid;
    },
    claim: (n) => view.claims.get(paraKey(m.row.messageId, n)),
    quotedBy: (n) =>
      (view.quotedBy.get(paraKey(m.row.messageId, n)) ?? []).map((id) => {
        const q = view.byId.get(id)!;
        const link = onThreadPage
          ? `#${messageAnchor(q.row.messageId)}`
          : href(from, urls.inThread(view.rootMessageId, q.row.messageId));
        return [link, `${displayName(q.row)}, ${fmtDate(q.row.date)}`] as [string, string];
      }),
  };
}

/** Badges for what a message is: a patch posting, its version, trailers it carries. */
function badges(ctx: SiteContext, m: ThreadMessage, path: string): SafeHtml {
  const s = ctx.data.subject(m.row.id);
  const out: SafeHtml[] = [];
  if (s?.isPatch && !s.isReply) {
    const v = s.revision > 1 ? ` v${s.revision}` : '';
    const n = s.expected > 0 ? ` ${s.counter}/${s.expected}` : '';
    out.push(html`<span class="badge patch">${s.isRfc ? 'RFC ' : ''}PATCH${v}${n}</span>`);
  }
  const seen = new Set<string>();
  for (const t of ctx.data.trailers(m.row.id)) {
    const name = t.name.toLowerCase();
    if (!['acked-by', 'reviewed-by', 'tested-by', 'nacked-by'].includes(name)) continue;
    // Only the author's own trailers are their stance; the rest were collected from others.
    if (t.personId === null || t.personId !== m.row.authorId || seen.has(name)) continue;
    seen.add(name);
    out.push(html`<span class="badge t-${name}">${t.name}</span>`);
  }
  // Claims in this message that a model scenario puts to the test.
  for (const s of ctx.scenarios)
    if (s.messageIds.includes(m.row.messageId))
      out.push(
        html`<a class="badge model" href="${href(path, urls.model(s.id))}" title="${s.title}: ${s.expected}">tested by model ${s.id}</a>`,
      );
  return html`${out}`;
}

function messageArticle(
  ctx: SiteContext,
  view: ThreadView,
  m: ThreadMessage,
  path: string,
  threadSubject: string,
): SafeHtml {
  const anchor = messageAnchor(m.row.messageId);
  const to = (p: string): string => href(path, p);
  if (m.row.isGhost) {
    return html`<article class="msg ghost d${Math.min(m.depth, 12)}" id="${anchor}" data-depth="${m.depth}">
      ${
        m.row.messageId.startsWith(MISSING_PREFIX)
          ? html`<p class="muted">A message not in the archive, known only from the attribution line of the reply below${m.row.fromName ? html` (by ${m.row.fromName})` : ''}; it has no Message-ID here.</p>`
          : html`<p class="muted">A message referenced by replies but not in the archive: <code>&lt;${m.row.messageId}&gt;</code></p>`
      }
    </article>`;
  }
  const a = authorOf(ctx, m.row);
  const parent = m.ancestors[0] !== undefined ? view.byId.get(m.ancestors[0]) : undefined;
  const subj = bareSubject(m.row.subject);
  return html`<article class="msg d${Math.min(m.depth, 12)}" id="${anchor}" data-depth="${m.depth}">
  <header class="mh">
    ${a.path ? html`<a class="who" href="${to(a.path)}">${a.name}</a>` : html`<span class="who">${a.name}</span>`}
    <time datetime="${m.row.date ?? ''}">${fmtDate(m.row.date, true)}${m.row.dateApprox ? ' (approx.)' : ''}</time>
    ${badges(ctx, m, path)}${placedMark(m.row)}
    <span class="links">
      <a href="#${anchor}" class="self" title="link to this message here">#</a>
      <a href="${to(urls.message(m.row.messageId))}">message</a>
      <a href="${to(urls.raw(m.row.messageId))}" download>raw</a>
      ${parent ? html`<a href="#${messageAnchor(parent.row.messageId)}" title="in reply to ${displayName(parent.row)}">↑ parent</a>` : ''}
    </span>
    ${subj && subj !== threadSubject ? html`<div class="subj">${m.row.subject}</div>` : ''}
  </header>
  <div class="body">${renderBlocks(m.parsed.blocks, bodyLinks(ctx, view, m, path, true))}</div>
</article>`;
}

/** JSON twin of a thread page. */
function threadJson(ctx: SiteContext, t: ThreadRow, view: ThreadView): unknown {
  return {
    kind: 'thread',
    subject: t.subject,
    root: view.rootMessageId,
    url: urls.thread(view.rootMessageId),
    messageCount: t.messageCount,
    firstDate: t.firstDate,
    lastDate: t.lastDate,
    participants: view.participants.map((p) => ({
      name: p.name,
      messages: p.count,
      url:
        p.authorId !== null && ctx.people.get(p.authorId)
          ? urls.person(ctx.people.get(p.authorId)!.slug)
          : null,
    })),
    messages: view.order.map((m) => ({
      messageId: m.row.messageId,
      ghost: m.row.isGhost,
      parent: m.ancestors[0] !== undefined ? view.byId.get(m.ancestors[0])!.row.messageId : null,
      parentReason: m.row.parentReason,
      placement: m.row.placement,
      depth: m.depth,
      from: m.row.isGhost ? null : displayName(m.row),
      date: m.row.date,
      subject: m.row.subject,
      url: urls.inThread(view.rootMessageId, m.row.messageId),
      paragraphs: m.parsed.blocks.flatMap((b) =>
        b.kind === 'para'
          ? [
              {
                n: b.n,
                text: b.lines.join('\n'),
                quotedBy: (view.quotedBy.get(paraKey(m.row.messageId, b.n)) ?? []).map(
                  (id) => view.byId.get(id)!.row.messageId,
                ),
              },
            ]
          : [],
      ),
      quotes: m.parsed.blocks.flatMap((b) =>
        b.kind === 'quote'
          ? b.fragments
              .filter((f) => !f.attribution)
              .map((f) => ({
                depth: f.depth,
                text: f.text,
                source: f.source ? { messageId: f.source.messageId, paragraph: f.source.para } : null,
              }))
          : [],
      ),
    })),
  };
}

const OUTLINE_LABEL: Record<string, string> = {
  'objects-to': 'objects',
  nacks: 'nacks',
  'proposes-alternative': 'alternative',
  concedes: 'concedes',
  acks: 'acks',
  supports: 'supports',
  asks: 'asks',
  answers: 'answers',
  proposes: 'proposes',
};
/** Characters of a message's first own paragraph shown in the outline. */
const GIST_CHARS = 110;
/** A greeting paragraph ("Hi Johannes,", "Hello,"): the outline shows the paragraph after it. */
const SALUTATION = /^(hi|hello|hey|dear|hallo)\b[^.!?]{0,40}[,!.]?$/i;

/**
 * The thread at a glance (lore's "Thread overview", HyperKitty's table of contents): one line per
 * message, nested as the thread is, with author, date, what the message does in the argument (its
 * two leading stances) and the start of its own text, each linking to the message below.
 */
function outline(ctx: SiteContext, view: ThreadView): SafeHtml {
  const items = view.order.map((m) => {
    const cls = `o d${Math.min(m.depth, 12)}`;
    const anchor = messageAnchor(m.row.messageId);
    if (m.row.isGhost)
      return html`<li class="${cls} ghost"><a href="#${anchor}">(a message not in the archive)</a></li>`;
    const stances: string[] = [];
    // stances that at least one paragraph carries with confidence; the others are shown as unsure
    const sure = new Set<string>();
    let gist = '';
    for (const b of m.parsed.blocks) {
      if (b.kind !== 'para') continue;
      const text = b.lines.join(' ').replace(/\s+/g, ' ').trim();
      if (!gist && !SALUTATION.test(text)) gist = text;
      const c = view.claims.get(paraKey(m.row.messageId, b.n));
      if (c) {
        stances.push(c.stance);
        if (!c.unsureOf) sure.add(c.stance);
      }
    }
    if (gist.length > GIST_CHARS) gist = gist.slice(0, GIST_CHARS - 1).trimEnd() + '…';
    // Only as good as the paragraph stances: on the blind label sets 58-70 % of the stances shown
    // are among the message's hand labels (docs/stance-evaluation.md, "Message level").
    const shown = leadingStances(stances);
    const guessed = m.row.placement !== null && m.row.placement.confidence < LOW_CONFIDENCE;
    return html`<li class="${cls}"><a href="#${anchor}"><span class="who">${authorOf(ctx, m.row).name}</span> <time datetime="${m.row.date ?? ''}">${fmtDate(m.row.date)}</time></a>${guessed ? html` <span class="placed guess" title="parent guessed: ${m.row.placement!.evidence}">parent?</span>` : ''}${shown.map((st) => (sure.has(st) ? html` <span class="stance s-${st}">${OUTLINE_LABEL[st]}</span>` : html` <span class="stance s-${st} unsure" title="unsure: the model gives this stance less than even odds">${OUTLINE_LABEL[st]}?</span>`))} <span class="gist">${gist}</span></li>`;
  });
  const anyStance = view.claims.size > 0;
  return html`<details class="outline"><summary>Outline: ${view.order.length} ${view.order.length === 1 ? 'message' : 'messages'}</summary>
<ol>${items}</ol>
${anyStance ? html`<p class="muted note">${STANCE_CAVEAT}</p>` : ''}</details>`;
}

/** A neighbouring thread (by start date) for the older/newer links. */
export interface ThreadLink {
  subject: string;
  path: string;
}

/** The thread page and its JSON twin. */
export function threadPages(
  ctx: SiteContext,
  t: ThreadRow,
  view: ThreadView,
  extra: {
    seriesPath?: string | null;
    decisionLinks?: [string, string][];
    mapPath?: string | null;
    /** The thread's raw messages as one gzipped mboxrd, when the build wrote it. */
    mboxPath?: string | null;
    /** The threads that started just before and just after this one. */
    older?: ThreadLink | null;
    newer?: ThreadLink | null;
  } = {},
  /** Only the HTML page or only its JSON twin (the server renders one page per request). */
  only?: 'html' | 'json',
): Page[] {
  const path = urls.thread(view.rootMessageId);
  const twin = (): Page => ({
    path: urls.json(path),
    content: JSON.stringify(
      {
        ...(threadJson(ctx, t, view) as object),
        mbox: extra.mboxPath ?? null,
        older: extra.older?.path ?? null,
        newer: extra.newer?.path ?? null,
      },
      null,
      1,
    ),
  });
  if (only === 'json') return [twin()];
  const to = (p: string): string => href(path, p);
  const subject = bareSubject(t.subject);
  const months = new Set(view.order.filter((m) => m.row.date).map((m) => m.row.date!.slice(0, 7)));
  const main = html`
<h1>${t.subject || '(no subject)'}</h1>
<p class="meta">${t.messageCount} messages · ${fmtDate(t.firstDate)} to ${fmtDate(t.lastDate)}${months.size > 1 ? ` · spans ${months.size} months` : ''}
  ${extra.seriesPath ? html` · <a href="${to(extra.seriesPath)}">all versions of this series</a>` : ''}
  ${extra.mapPath ? html` · <a href="${to(extra.mapPath)}">argument map</a>` : ''}
  ${extra.mboxPath ? html` · <a href="${to(extra.mboxPath)}" download title="every message of the thread, raw, as mboxrd (like lore's t.mbox.gz)">mbox.gz</a>` : ''}
  ${(extra.decisionLinks ?? []).map(([label, p]) => html` · <a href="${to(p)}">decision: ${label}</a>`)}
</p>
<details class="participants"><summary>${view.participants.length} ${view.participants.length === 1 ? 'person' : 'people'}</summary>
<ul>${view.participants.map((p) => {
    const person = p.authorId !== null ? ctx.people.get(p.authorId) : undefined;
    return html`<li>${person ? html`<a href="${to(urls.person(person.slug))}">${p.name}</a>` : p.name} (${p.count})</li>`;
  })}</ul></details>
${outline(ctx, view)}
<p class="tools"><button type="button" class="unfold-all">Unfold all quotes</button></p>
<div class="thread">
${view.order.map((m) => messageArticle(ctx, view, m, path, subject))}
</div>
${
  extra.older || extra.newer
    ? html`<nav class="threadnav" aria-label="Neighbouring threads">
  ${extra.older ? html`<a rel="prev" href="${to(extra.older.path)}">← older thread: ${extra.older.subject || '(no subject)'}</a>` : ''}
  ${extra.newer ? html`<a rel="next" href="${to(extra.newer.path)}">newer thread: ${extra.newer.subject || '(no subject)'} →</a>` : ''}
</nav>`
    : ''
}`;
  const page: Page = {
    path,
    content: layout(
      {
        path,
        title: t.subject || '(no subject)',
        json: true,
        bodyClass: 'thread-page',
        crumbs: [
          ['Threads', urls.threads()],
          [t.subject || '(no subject)', null],
        ],
      },
      main,
    ),
  };
  return only === 'html' ? [page] : [page, twin()];
}

/** The message page and its JSON twin. */
export function messagePages(ctx: SiteContext, view: ThreadView, m: ThreadMessage): Page[] {
  const path = urls.message(m.row.messageId);
  const to = (p: string): string => href(path, p);
  const a = authorOf(ctx, m.row);
  const refs = ctx.data.refs(m.row.id);
  const trailers = ctx.data.trailers(m.row.id);
  const attachments = ctx.data.attachments(m.row.id);
  const parent = m.ancestors[0] !== undefined ? view.byId.get(m.ancestors[0]) : undefined;
  const children = m.children.map((id) => view.byId.get(id)!).filter(Boolean);
  const root = threadRootOf(ctx, m.row) ?? view.rootMessageId;
  const links = bodyLinks(ctx, view, m, path, false);
  const main = html`
<h1>${m.row.subject || '(no subject)'}</h1>
<table class="headers">
<tr><th>From</th><td>${a.path ? html`<a href="${to(a.path)}">${a.name}</a>` : a.name}${m.row.fromAddr ? html` <span class="addr">&lt;${m.row.fromAddr}&gt;</span>` : ''}</td></tr>
<tr><th>Date</th><td><time datetime="${m.row.date ?? ''}">${fmtDate(m.row.date, true)}</time>${m.row.dateApprox ? ' (approximate)' : ''}</td></tr>
<tr><th>Message-ID</th><td><code>&lt;${m.row.messageId}&gt;</code>${m.row.idKind !== 'header' ? html` <span class="muted">(${m.row.idKind})</span>` : ''}</td></tr>
${refs.filter((r) => r.kind === 'in-reply-to').map((r) => html`<tr><th>In-Reply-To</th><td><code>&lt;${r.messageId}&gt;</code></td></tr>`)}
${refs.some((r) => r.kind === 'references') ? html`<tr><th>References</th><td>${refs.filter((r) => r.kind === 'references').map((r) => html`<code>&lt;${r.messageId}&gt;</code> `)}</td></tr>` : ''}
${m.row.listId ? html`<tr><th>List-Id</th><td>${m.row.listId}</td></tr>` : ''}
${attachments.length ? html`<tr><th>Attachments</th><td><ul class="plain">${attachments.map((at) => html`<li><code>${at.filename ?? '(no name)'}</code> ${at.contentType}, ${at.size} bytes</li>`)}</ul></td></tr>` : ''}
</table>
<p class="tools">
  <a href="${to(urls.inThread(root, m.row.messageId))}">in the thread</a> ·
  <a href="${to(urls.raw(m.row.messageId))}" download>raw message</a>
  ${parent ? html` · in reply to <a href="${to(parent.row.isGhost ? urls.inThread(root, parent.row.messageId) : urls.message(parent.row.messageId))}">${displayName(parent.row)}</a>` : ''}
  ${m.row.placement ? html` · ${placedMark(m.row, true)}` : m.row.parentReason && m.row.parentReason !== 'in-reply-to' && m.row.parentReason !== 'references' ? html` <span class="muted">(placed by ${m.row.parentReason})</span>` : ''}
</p>
<article class="msg single" id="${messageAnchor(m.row.messageId)}"><div class="body">${renderBlocks(m.parsed.blocks, links)}</div></article>
${trailers.length ? html`<h2>Trailers</h2><ul class="plain trailers">${trailers.map((t) => html`<li><b>${t.name}:</b> ${t.value}</li>`)}</ul>` : ''}
<h2>Replies</h2>
${
  children.length
    ? html`<ul class="plain">${children.map((c) => html`<li><a href="${to(c.row.isGhost ? urls.inThread(root, c.row.messageId) : urls.message(c.row.messageId))}">${displayName(c.row)}</a>, ${fmtDate(c.row.date)}</li>`)}</ul>`
    : html`<p class="muted">No replies in the archive.</p>`
}`;
  const json = {
    kind: 'message',
    messageId: m.row.messageId,
    thread: urls.thread(root),
    from: { name: m.row.fromName, addr: m.row.fromAddr, person: a.path },
    date: m.row.date,
    subject: m.row.subject,
    inReplyTo: parent?.row.messageId ?? null,
    references: refs.filter((r) => r.kind === 'references').map((r) => r.messageId),
    replies: children.map((c) => c.row.messageId),
    trailers: trailers.map((t) => ({ name: t.name, value: t.value })),
    attachments: attachments.map((at) => ({
      filename: at.filename,
      contentType: at.contentType,
      size: at.size,
    })),
    paragraphs: m.parsed.blocks.flatMap((b) =>
      b.kind === 'para' ? [{ n: b.n, text: b.lines.join('\n') }] : [],
    ),
    raw: urls.raw(m.row.messageId),
  };
  return [
    {
      path,
      content: layout(
        {
          path,
          title: m.row.subject || '(no subject)',
          json: true,
          crumbs: [
            ['Threads', urls.threads()],
            [view.order[0]?.row.subject ?? 'thread', urls.thread(root)],
            [displayName(m.row), null],
          ],
        },
        main,
      ),
    },
    { path: urls.json(path), content: JSON.stringify(json, null, 1) },
  ];
}
