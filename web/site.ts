/**
 * Behaviour shared by every page: keyboard navigation (j/k between messages, / to search, o to
 * unfold quotes), opening the folded quote that holds a linked fragment, and the "unfold all"
 * button. Loaded as a classic deferred script (the pages work from file://); the page is fully
 * readable without it.
 */

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

function messages(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('article.msg'));
}

let current = -1;

function currentIndex(list: HTMLElement[]): number {
  if (current >= 0 && current < list.length) return current;
  // Start from the message at the top of the viewport (or the one the URL points at).
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash) {
    const el = document.getElementById(hash);
    const art = el?.closest('article.msg');
    if (art) return list.indexOf(art as HTMLElement);
  }
  for (let i = 0; i < list.length; i++) if (list[i]!.getBoundingClientRect().top >= -5) return i - 1;
  return -1;
}

function go(delta: number): void {
  const list = messages();
  if (!list.length) return;
  const i = Math.min(list.length - 1, Math.max(0, currentIndex(list) + delta));
  list[current]?.classList.remove('current');
  current = i;
  const el = list[i]!;
  el.classList.add('current');
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'start' });
  if (el.id) history.replaceState(null, '', '#' + el.id);
}

function setQuotes(open: boolean): void {
  for (const d of Array.from(document.querySelectorAll<HTMLDetailsElement>('details.quote'))) d.open = open;
}

/** Open every <details> around the element the URL fragment names, so a linked fragment shows. */
function revealTarget(): void {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id) return;
  const el = document.getElementById(id);
  let d = el?.parentElement?.closest('details');
  while (d) {
    (d as HTMLDetailsElement).open = true;
    d = d.parentElement?.closest('details');
  }
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '/' && !isTyping(e)) {
    const q = document.getElementById('search-q') ?? document.getElementById('q');
    if (q) {
      e.preventDefault();
      (q as HTMLInputElement).focus();
      (q as HTMLInputElement).select();
    }
    return;
  }
  if (isTyping(e)) {
    if (e.key === 'Escape') (e.target as HTMLElement).blur();
    return;
  }
  if (e.key === 'j') go(1);
  else if (e.key === 'k') go(-1);
  else if (e.key === 'o') {
    const anyClosed = Array.from(document.querySelectorAll<HTMLDetailsElement>('details.quote')).some(
      (d) => !d.open,
    );
    setQuotes(anyClosed);
  }
});

document.addEventListener('click', (e) => {
  const t = e.target as HTMLElement | null;
  if (t?.closest('.unfold-all')) {
    const btn = t.closest('.unfold-all') as HTMLButtonElement;
    const open = btn.dataset.state !== 'open';
    setQuotes(open);
    btn.dataset.state = open ? 'open' : 'closed';
    btn.textContent = open ? 'Fold all quotes' : 'Unfold all quotes';
  }
});

window.addEventListener('hashchange', revealTarget);
revealTarget();
