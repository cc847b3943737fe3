/** Every `argmap` subcommand, in the order `argmap --help` lists them. One import per command module. */
import type { Command } from './command.ts';

export const commands: Command[] = [];
