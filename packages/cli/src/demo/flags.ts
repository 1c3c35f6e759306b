import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@warmpool/core';
import type { FunctionSelection } from '@warmpool/lab';
import { parseSeed, scanFlags } from '../cli/commands/controller-flags.js';
import { DEMO_DIR } from './demo-store.js';

/** The bundled Azure Functions 2019 dev trace (CC-BY 4.0), found from this module in src/ or dist/. */
export const BUNDLED_TRACE = fileURLToPath(new URL('../../data/traces/azure2019-dev', import.meta.url));

export const DEMO_USAGE = `usage: warmpool demo [flags]

Replays a bundled real trace through the real controller against local stand-ins (no AWS account), prints
its decisions and the comparison with the simulator's policies, and writes an HTML report.

  --hours N            simulated hours to replay, whole hours 1-24 (default 24: a tick every simulated 5 min)
  --functions SEL      auto | top:N | all | ID,ID,... (default auto: 3 busy functions with a daily pattern)
  --seed N             seed for arrivals, durations and the container pools (default 1)
  --speed X            at most X simulated seconds per real second, or max (default max)
  --rows N             decisions shown per target, spread over the day (default 12)
  --report FILE.html   where the HTML report goes (default ${DEMO_DIR}/report.html)
  --dir DIR            where the embedded decision store lives (default ${DEMO_DIR})
  --trace PATH         another trace file or folder (default: the bundled azure2019-dev)
  --json               print a machine-readable summary instead of the tables`;

export interface DemoFlags {
  readonly hours: number;
  readonly functions: FunctionSelection | 'auto';
  readonly seed: number;
  readonly speed: number | null;
  readonly rows: number;
  readonly report: string;
  readonly dir: string;
  readonly trace: string;
  readonly json: boolean;
}

const VALUE_FLAGS = new Set([
  '--hours',
  '--functions',
  '--seed',
  '--speed',
  '--rows',
  '--report',
  '--dir',
  '--trace',
]);
const BOOLEAN_FLAGS = new Set(['--json']);

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!(/^\d+$/.test(text) && n >= min && n <= max)) {
    throw new ValidationError(flag, `must be a whole number from ${min} to ${max}`, {
      detail: `got '${text}'`,
    });
  }
  return n;
}

function parseFunctions(text: string): FunctionSelection | 'auto' {
  if (text === 'auto' || text === 'all') return text;
  if (text.startsWith('top:')) {
    const n = Number(text.slice(4));
    if (!(Number.isInteger(n) && n >= 1))
      throw new ValidationError('--functions', 'top:N needs a whole number N >= 1', {
        detail: `got '${text}'`,
      });
    return { top: n };
  }
  const ids = text.split(',').map((s) => s.trim());
  if (ids.some((id) => id === ''))
    throw new ValidationError('--functions', 'must be auto, top:N, all or a comma-separated list of ids');
  return ids;
}

/** Parses `warmpool demo` flags (`--flag value` or `--flag=value`); errors name the flag and the rule. */
export function parseDemoFlags(args: readonly string[]): DemoFlags {
  const { values, booleans } = scanFlags(args, VALUE_FLAGS, BOOLEAN_FLAGS);
  const speedText = values.get('--speed') ?? 'max';
  let speed: number | null = null;
  if (speedText !== 'max') {
    speed = Number(speedText);
    if (!(speedText.trim() !== '' && Number.isFinite(speed) && speed > 0))
      throw new ValidationError('--speed', 'must be a positive number (simulated per real seconds) or max', {
        detail: `got '${speedText}'`,
      });
  }
  const seed = parseSeed(values.get('--seed'), '1');
  const dir = values.get('--dir') ?? DEMO_DIR;
  const report = values.get('--report') ?? join(dir, 'report.html');
  if (!/\.html?$/i.test(report))
    throw new ValidationError('--report', 'must name an .html file', { detail: `got '${report}'` });
  const trace = values.get('--trace') ?? BUNDLED_TRACE;
  if (!existsSync(trace))
    throw new ValidationError('--trace', 'must be an existing trace file or folder', { detail: trace });
  return {
    hours: wholeNumber('--hours', values.get('--hours') ?? '24', 1, 24),
    functions: parseFunctions(values.get('--functions') ?? 'auto'),
    seed,
    speed,
    rows: wholeNumber('--rows', values.get('--rows') ?? '12', 1, 288),
    report,
    dir,
    trace,
    json: booleans.has('--json'),
  };
}
