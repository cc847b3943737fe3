/**
 * The page chrome shared by every page: head (charset, viewport, Content-Security-Policy, the
 * stylesheet, the JSON twin and the Atom feed), the navigation with the search box, and the
 * footer. Scripts are external files only (the CSP forbids inline scripts and event handlers),
 * loaded with `defer` as classic scripts so pages work from file://.
 */
import { html, type SafeHtml } from './html.ts';
import { href, urls } from './urls.ts';

/**
 * The policy every page carries. Scripts, styles, images and fonts come only from the site's own
 * files; nothing may be fetched or posted anywhere; workers only from Blob URLs (the model runs
 * its simulation in one). `'self'` matches the site's files both from file:// and from a server.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "worker-src 'self' blob:",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * The search page's policy: as {@link CSP}, but it may fetch from its own origin, which is how it
 * asks `argmap serve --db` (`api/search`). Only that page gets it; from file:// it allows nothing
 * more than the files the page could load anyway.
 */
export const SEARCH_CSP = CSP.replace("connect-src 'none'", "connect-src 'self'");

export interface PageOptions {
  /** Site path of the page (decides relative links). */
  path: string;
  title: string;
  description?: string;
  /** Extra scripts (site paths) after the common one. */
  scripts?: string[];
  /** Extra stylesheets (site paths). */
  styles?: string[];
  /** Whether the page has a JSON twin to advertise. */
  json?: boolean;
  bodyClass?: string;
  /** Breadcrumb trail: [label, site path] pairs, the last one is the current page (no link). */
  crumbs?: [string, string | null][];
  /** The page may fetch from its own origin (the search page, which asks `argmap serve --db`). */
  connectSelf?: boolean;
}

/** A page's HTML document. */
export function layout(o: PageOptions, main: SafeHtml): string {
  const to = (p: string): string => href(o.path, p);
  const crumbs = o.crumbs?.length
    ? html`<nav class="crumbs" aria-label="Breadcrumb"
        >${o.crumbs.map(
          ([label, p], i) =>
            html`${i ? html`<span class="sep">/</span>` : ''}${p ? html`<a href="${to(p)}">${label}</a>` : html`<span aria-current="page">${label}</span>`}`,
        )}</nav
      >`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${o.connectSelf ? SEARCH_CSP : CSP}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>${o.title} · argmap</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
<link rel="icon" type="image/svg+xml" href="${to(urls.asset('favicon.svg'))}">
<link rel="stylesheet" href="${to(urls.asset('site.css'))}">
${(o.styles ?? []).map((s) => html`<link rel="stylesheet" href="${to(s)}">`)}
<link rel="alternate" type="application/atom+xml" title="New threads" href="${to(urls.feed())}">
${o.json ? html`<link rel="alternate" type="application/json" href="${to(urls.json(o.path))}">` : ''}
<script defer src="${to(urls.asset('site.js'))}"></script>
${(o.scripts ?? []).map((s) => html`<script defer src="${to(s)}"></script>`)}
</head>
<body class="${o.bodyClass ?? ''}" data-root="${href(o.path, '')}">
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="${to(urls.index())}">argmap</a>
  <nav class="sections" aria-label="Sections">
    <a href="${to(urls.decisions())}">Decisions</a>
    <a href="${to(urls.threads())}">Threads</a>
    <a href="${to(urls.people())}">People</a>
    <a href="${to(urls.topics())}">Topics</a>
    <a href="${to(urls.seriesList())}">Series</a>
    <a href="${to(urls.model())}">Model</a>
  </nav>
  <form class="searchbox" role="search" action="${to(urls.search())}" method="get">
    <input type="search" name="q" id="q" placeholder="Search  (press /)" aria-label="Search the archive" autocomplete="off">
  </form>
</header>
${crumbs}
<main id="main">
${main}
</main>
<footer>
  <p>Messages are public mailing-list posts; their words belong to their authors.
  Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous message, <kbd>/</kbd> search, <kbd>o</kbd> unfold quotes.
  ${o.json ? html`<a href="${to(urls.json(o.path))}">This page as JSON</a> ·` : ''}
  <a href="${to(urls.feed())}">Atom feed</a></p>
</footer>
</body>
</html>
`.value;
}

/** `2022-04-25T19:00:40Z` → `2022-04-25 19:00 UTC` (or just the day). */
export function fmtDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return 'undated';
  const day = iso.slice(0, 10);
  if (!withTime || iso.length < 16) return day;
  return `${day} ${iso.slice(11, 16)} UTC`;
}
