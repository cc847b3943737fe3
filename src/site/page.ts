/** A file of the built site: a path relative to the site root and its content. */
export interface Page {
  path: string;
  content: string | Buffer;
}
