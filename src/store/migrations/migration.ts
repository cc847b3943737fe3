/** The shape of one schema migration (see ../schema.ts for the list and the rules). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
