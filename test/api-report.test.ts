import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types
import { apiReport } from '../scripts/api-report.mjs';

/**
 * The committed API reports (api/*.api.md) list exactly what each package exports today, so a change to any
 * public API shows up in review. On a deliberate change: `pnpm api:update`.
 */
describe('public API reports', () => {
  it.each(['warmup', 'core', 'lab', 'controller', 'local', 'cli', 'infra'])(
    'api/%s.api.md is current',
    async (pkg) => {
      const committed = readFileSync(new URL(`../api/${pkg}.api.md`, import.meta.url), 'utf8');
      const { text } = (await apiReport(pkg)) as { text: string };
      expect(text, `run pnpm api:update and review api/${pkg}.api.md`).toBe(committed);
    },
  );
});
