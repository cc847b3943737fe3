/**
 * Reading the project's own TSV data files (labels, judgements, query lists under data/): a header
 * line, then one record a line. These files are written by us and reviewed, not user input, so
 * there is no quoting and no size limit here.
 */
import { readFileSync } from 'node:fs';

/** The records of a TSV file below its header line, each split at tabs; blank lines are skipped. */
export function tsvRows(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));
}
