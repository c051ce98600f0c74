import type { Command } from '../io';

/** Builds `help` over the command table (passed in to avoid an import cycle). */
export function helpCommand(table: () => readonly Command[]): Command {
  return {
    name: 'help',
    summary: 'print this help',
    usage: 'boardmap help',
    run(_args, io) {
      const cmds = table();
      const width = Math.max(...cmds.map((c) => c.name.length));
      io.stdout(
        `usage: boardmap <command> [args]\n\ncommands:\n${cmds.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n\n${cmds.map((c) => `  ${c.usage}`).join('\n')}\n`,
      );
      return 0;
    },
  };
}
