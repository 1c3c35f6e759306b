// Sweeps warmpool's knobs on the shared traces, per function (as the bench's issue-13 figures are computed):
// Azure dev top 32 and Huawei dev (200 ms), idle 5, 10 and 15 min, seed 1. Baselines are run once and cached in
// .sweep-cache/ (gitignored). Usage: node scripts/sweep/knobs.mjs VARIANTS.json [--only azure|huawei] [--seed N]
// VARIANTS.json: [{ "name": "...", "policy": { ...WarmpoolPolicyOptions } }, ...]. Prints one line per variant
// and setting: warmpool's cold starts, share of none's avoided, whole bill, × oracle, × fixed-max, functions worse
// than none, functions dominated, who dominates it on the totals, metrics per target per tick, the controller's $ per target a month.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lab = await import(new URL('../../packages/lab/dist/index.js', import.meta.url).href);

import { accountability, totals, totalsDominators } from '../bench/per-function.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const variants = JSON.parse(readFileSync(args[0], 'utf8'));
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const seed = args.includes('--seed') ? Number(args[args.indexOf('--seed') + 1]) : 1;
const shared = [join(root, '..', 'shared'), join(root, '..', '..', 'shared')].find((d) => existsSync(d));
const sets = [
  {
    label: 'azure',
    path: join(root, 'packages/cli/data/traces/azure2019-dev'),
    select: { top: 32 },
    options: {},
  },
  {
    label: 'huawei',
    path: join(shared, 'traces/huawei-dev/datacentre_4.csv'),
    select: 'all',
    options: { durationMs: 200 },
  },
].filter((s) => !only || s.label === only);
const BASE = ['none', 'ping-one', 'fixed-1', 'fixed-p50', 'fixed-max', 'reactive', 'oracle', 'oracle-unheld'];
const cacheDir = join(root, '.sweep-cache');
mkdirSync(cacheDir, { recursive: true });

for (const set of sets) {
  const trace = await lab.readTrace(set.path);
  const ids = lab.selectFunctions(trace, set.select, 0).map((s) => s.fn.id);
  for (const idle of [5, 10, 15]) {
    const opts = { ...set.options, idleS: idle * 60, seed };
    const cacheFile = join(cacheDir, `${set.label}-${idle}${seed === 1 ? '' : `-seed${seed}`}.json`);
    let base;
    if (existsSync(cacheFile)) base = JSON.parse(readFileSync(cacheFile, 'utf8'));
    else {
      const policies = lab.defaultPolicies().filter((p) => BASE.includes(p.name));
      base = ids.map((id) => {
        const doc = lab.runBacktest({ ...opts, trace, functions: [id], policies }).document;
        return { id, policies: Object.fromEntries(doc.policies.map((p) => [p.name, p])) };
      });
      writeFileSync(cacheFile, JSON.stringify(base));
    }
    for (const v of variants) {
      const t0 = performance.now();
      const rows = ids.map((id, i) => {
        const doc = lab.runBacktest({
          ...opts,
          trace,
          functions: [id],
          policies: [lab.warmpoolPolicy({ ...v.policy, name: 'warmpool' })],
        }).document;
        return { id, policies: { ...base[i].policies, warmpool: doc.policies[0] } };
      });
      const t = totals(rows);
      const wp = t.warmpool;
      const { worse, dominated } = accountability(rows);
      // Who dominates warmpool on the trace's totals (the issue's figure), as the bench computes it.
      const onTotals = totalsDominators(t).map((p) => p.name);
      const metrics =
        rows.reduce((a, r) => a + (r.policies.warmpool.metrics_per_target_tick ?? 0), 0) / rows.length;
      // The controller's own share per target a month (its metric reads, DynamoDB, its invocations).
      const controller =
        rows.reduce((a, r) => a + (r.policies.warmpool.running_usd_month ?? 0), 0) / rows.length;
      const avoided = (t.none.cold_starts - wp.cold_starts) / t.none.cold_starts;
      console.log(
        [
          v.name.padEnd(28),
          `${set.label}-${idle}${seed === 1 ? '' : `/s${seed}`}`.padEnd(10),
          `cs ${wp.cold_starts}`.padEnd(9),
          `int ${wp.interference_cold_starts}`.padEnd(10),
          `avoided ${(100 * avoided).toFixed(1)}%`,
          `$${wp.usd.toFixed(2)}`,
          `xOracle ${(wp.usd / t.oracle.usd).toFixed(2)}`,
          `xMax ${(wp.usd / t['fixed-max'].usd).toFixed(2)}`,
          `worse ${worse.length}`,
          `dominated ${dominated.length}`,
          `totals-dominated-by ${onTotals.length ? onTotals.join(',') : 'none'}`,
          `m/t/t ${metrics.toFixed(2)}`,
          `ctl $${controller.toFixed(4)}/target/mo`,
          `(oracle ${t.oracle.cold_starts}, none ${t.none.cold_starts}) ${((performance.now() - t0) / 1000).toFixed(0)}s`,
        ].join(' '),
      );
    }
  }
}
