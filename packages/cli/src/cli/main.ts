/**
 * Entry point of the `warmpool` CLI. Each command lives in its own module under `cli/commands/` and is
 * registered in `COMMANDS`; `main` returns the process exit code instead of calling `process.exit`, so tests
 * can run it in-process.
 */
import { terminalSafe } from './terminal-text.js';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {};

/** Register a command. Called from `cli/commands/index.ts`. */
export function registerCommand(name: string, summary: string, load: () => Promise<Command>): void {
  COMMANDS[name] = { summary, load };
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

function usage(): string {
  const rows = Object.entries(COMMANDS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'usage: warmpool <command> [flags]',
    '',
    'commands:',
    ...rows,
    '',
    'warmpool <command> --help for flags',
  ].join('\n');
}

export async function main(argv: readonly string[], rawIo: CliIo = defaultIo): Promise<number> {
  // Every line printed goes through this: names from flags, configs, traces and tables cannot drive the terminal.
  const io: CliIo = { out: (t) => rawIo.out(terminalSafe(t)), err: (t) => rawIo.err(terminalSafe(t)) };
  await import('./commands/index.js');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`warmpool: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const run = await command.load();
  return run(rest, io);
}
