import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONFIG_LAYER_FILE, Warmpool } from '@warmpool/infra';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { apiFunction } from './stacks.js';

interface BundleOutcome {
  readonly name: string;
  readonly message: string;
  readonly targets?: string[];
}

/** Runs `body` (with `bundle`, the imported module, in scope) in a fresh Node process, no workspace on the path. */
function inFreshNode(file: string, body: string, env: Record<string, string>): unknown {
  const script = `const bundle = await import(${JSON.stringify(file)});\n${body}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

/** Imports the bundle in a fresh Node process and calls its handler (the tick) once. */
function runBundle(file: string, env: Record<string, string>): BundleOutcome {
  return inFreshNode(
    file,
    `try {
      const r = await bundle.handler({}, { getRemainingTimeInMillis: () => 5000 });
      console.log(JSON.stringify({ name: 'none', message: '', targets: r.targets.map((t) => t.target) }));
    } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }`,
    env,
  ) as BundleOutcome;
}

/** A CloudWatch Logs subscription delivery, as Lambda hands it to the wake function. */
function logsDelivery(logGroup: string): { awslogs: { data: string } } {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup,
    logStream: '2026/01/01/[$LATEST]0123456789abcdef',
    subscriptionFilters: ['warmpool-wake-Test'],
    logEvents: [{ id: '1', timestamp: 1_767_268_800_000, message: '{"UserColdStart":1}' }],
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

describe('the controller bundle', () => {
  it('bundles the real handler and wakeHandler as a self-contained ESM file that loads the config file of its layer and validates it', () => {
    const app = new App();
    const stack = new Stack(app, 'Bundle');
    new Warmpool(stack, 'Warmpool', { targets: [{ function: apiFunction(stack).addAlias('live') }] });
    const assembly = app.synth();
    const assetDirs = readdirSync(assembly.directory)
      .filter((d) => d.startsWith('asset.'))
      .map((d) => join(assembly.directory, d));
    // Two assets: the prebundled controller, and the layer that carries its config.
    expect(assetDirs).toHaveLength(2);
    const code = assetDirs.find((d) => existsSync(join(d, 'index.mjs'))) as string;
    const layer = assetDirs.find((d) => existsSync(join(d, CONFIG_LAYER_FILE))) as string;
    const bundle = join(code, 'index.mjs');
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const configFile = join(layer, CONFIG_LAYER_FILE);

    // The file names the function by a placeholder that deployment fills: without the value, the bundle
    // refuses the config before any AWS call, naming the field.
    const missing = runBundle(bundle, { WARMPOOL_CONFIG_FILE: configFile, WARMPOOL_TABLE: 'decisions' });
    expect(missing.name).toBe('ConfigError');
    expect(missing.message).toContain(
      'targets[0].functionName: refers to a deploy-time value that WARMPOOL_CONFIG_VALUES lacks',
    );

    // With its value, the config is read and a tick runs for the target. Every AWS endpoint is a closed
    // loopback port, so each call fails fast and the tick reports it rather than throwing.
    const tick = runBundle(bundle, {
      WARMPOOL_CONFIG_FILE: configFile,
      WARMPOOL_CONFIG_VALUES: JSON.stringify(['api-function']),
      WARMPOOL_TABLE: 'decisions',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    expect(tick).toEqual({ name: 'none', message: '', targets: ['api-function:live'] });

    // The wake function's entry point (`index.wakeHandler`) is in the same file, and reads the same config: a
    // delivery from a log group no target writes to is counted for nobody, before any AWS call.
    const wake = inFreshNode(
      bundle,
      `const r = await bundle.wakeHandler(${JSON.stringify(logsDelivery('/aws/lambda/elsewhere'))});
      console.log(JSON.stringify({ exports: Object.keys(bundle).sort(), result: r }));`,
      {
        WARMPOOL_CONFIG_FILE: configFile,
        WARMPOOL_CONFIG_VALUES: JSON.stringify(['api-function']),
        WARMPOOL_TABLE: 'decisions',
        AWS_REGION: 'eu-west-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    );
    expect(wake).toEqual({
      exports: ['handler', 'wakeHandler'],
      result: {
        kind: 'wake',
        logGroup: '/aws/lambda/elsewhere',
        woken: [],
        ignored: 'no target with wakeAfterColdStarts > 0 writes to this log group',
      },
    });
  });
});
