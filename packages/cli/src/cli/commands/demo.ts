/**
 * `warmpool demo`: the controller's real job on an embedded default. No AWS account: local stand-ins, an
 * embedded decision store, a bundled real trace replayed over a compressed day (see src/demo/).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ValidationError, WarmpoolError } from '@warmpool/core';
import { readTrace } from '@warmpool/lab';
import { DEMO_USAGE, type DemoFlags, parseDemoFlags } from '../../demo/flags.js';
import type { ProgressSink } from '../../demo/progress.js';
import { demoSummary, renderDemoReport, renderDemoText } from '../../demo/render.js';
import { runDemo } from '../../demo/run-demo.js';
import type { CliIo, Command } from '../main.js';

/** The demo command; `progress` (stderr by default) is injectable for tests. */
export function createDemoCommand(options: { progress?: ProgressSink } = {}): Command {
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(DEMO_USAGE);
      return 0;
    }
    let flags: DemoFlags;
    try {
      flags = parseDemoFlags(args);
    } catch (e) {
      if (e instanceof ValidationError) {
        io.err(`warmpool demo: ${e.message}\n\n${DEMO_USAGE}`);
        return 2;
      }
      throw e;
    }
    try {
      const trace = await readTrace(flags.trace);
      const result = await runDemo({
        trace,
        functions: flags.functions,
        hours: flags.hours,
        seed: flags.seed,
        speed: flags.speed,
        dir: flags.dir,
        progress: options.progress,
      });
      await mkdir(dirname(flags.report), { recursive: true });
      await writeFile(flags.report, renderDemoReport(result), 'utf8');
      io.out(
        flags.json
          ? JSON.stringify(demoSummary(result, flags.report), null, 2)
          : renderDemoText(result, { rows: flags.rows, report: flags.report }),
      );
      return 0;
    } catch (e) {
      if (e instanceof WarmpoolError) {
        io.err(`warmpool demo: ${e.message}`);
        return 2;
      }
      io.err(`warmpool demo: ${(e as Error).message}`);
      return 1;
    }
  };
}

export const run = createDemoCommand();
