import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Warmpool } from '@warmpool/infra';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { apiFunction } from './stacks.js';

/** Imports the bundle in a fresh Node process (no workspace on the path) and calls its handler once. */
function runBundle(file: string, env: Record<string, string>): { name: string; message: string } {
  const script = `
    const { handler } = await import(${JSON.stringify(file)});
    try { await handler({}, { getRemainingTimeInMillis: () => 5000 }); console.log(JSON.stringify({ name: 'none', message: '' })); }
    catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

describe('the controller bundle', () => {
  it('bundles the real handler with esbuild as a self-contained ESM file that loads and validates its config', () => {
    const app = new App();
    const stack = new Stack(app, 'Bundle');
    new Warmpool(stack, 'Warmpool', { targets: [{ function: apiFunction(stack).addAlias('live') }] });
    const assembly = app.synth();
    const assetDirs = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
    expect(assetDirs).toHaveLength(1);
    const dir = join(assembly.directory, assetDirs[0] as string);
    const bundle = join(dir, 'index.mjs');
    expect(existsSync(`${bundle}.map`)).toBe(true);

    // A bad config is refused before any AWS call, with the field and rule named.
    const bad = runBundle(bundle, {
      WARMPOOL_CONFIG: JSON.stringify({
        targets: [{ functionName: 'api', qualifier: 'live', min: 9, max: 1 }],
      }),
      WARMPOOL_TABLE: 'decisions',
    });
    expect(bad.name).toBe('ConfigError');
    expect(bad.message).toContain('targets[0].min: must be ≤ max');
  });
});
