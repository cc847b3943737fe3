/**
 * Own-text paragraphs as decision records cite them (`#pN`, excerpts). The single definition is
 * the argument graph's segmentation (`ownParagraphs` in src/graph/segment.ts; docs/decisions.md
 * §3.2), so a record, a claim and the site number paragraphs the same way.
 */
import { ownParagraphs as graphParagraphs } from '../graph/segment.ts';

export interface OwnParagraph {
  /** 1-based paragraph number. */
  n: number;
  text: string;
}

/** The own-text paragraphs of a decoded message body, numbered from 1. */
export function ownParagraphs(body: string): OwnParagraph[] {
  return graphParagraphs(body).map((p) => ({ n: p.n, text: p.text }));
}

/** Collapse whitespace runs to one space and trim: how excerpts are compared. */
export function normaliseSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
