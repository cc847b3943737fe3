/**
 * The error type every layer throws for problems the user can fix (a missing file, a bad
 * query, an unknown Message-ID), and the exit codes of the `argmap` process. It lives below
 * every room so that the store, the graph and the ingest pipeline can say "what to do" without
 * importing the CLI; the CLI prints it without a stack.
 */

/** Exit codes of every `argmap` command. */
export const ExitCode = {
  /** Done, nothing to report. */
  ok: 0,
  /** The command ran but found nothing, or found problems (no search match, failed citations). */
  failed: 1,
  /** The user asked for something that cannot be done as asked (bad option, missing file). */
  usage: 2,
} as const;

/** An error the user can fix; printed without a stack, with a hint of what to do. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
