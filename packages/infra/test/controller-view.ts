import { join } from 'node:path';
import { HANDLER_ENV } from '@warmpool/core';
import { CONFIG_FILE_IN_LAMBDA, CONFIG_LAYER_FILE } from '@warmpool/infra';
import type { App, Stack } from 'aws-cdk-lib';
import { expect } from 'vitest';
import { onlyResource, resolveJoin } from './template-helpers.js';

/** What CloudFormation would put where a test's template has a Ref or GetAtt: logical id and attribute in. */
export type Lookup = (logicalId: string, attribute: string) => string;

/** Pseudo parameters as a deployment in eu-west-1 of account 123456789012 resolves them. */
export const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '123456789012',
};

/**
 * The controller's environment as Lambda would see it once deployed (every Ref and GetAtt through `lookup`),
 * with `WARMPOOL_CONFIG_FILE` pointed at the config layer's file in the synthesized assembly instead of /opt,
 * where Lambda would extract it. Checks on the way that the function uses that layer and reads from /opt.
 * `prefix` picks the shard: `Warmpool` for the first, `WarmpoolShard2` for the second, and so on.
 */
export function controllerEnv(stack: Stack, lookup: Lookup, prefix = 'Warmpool'): Record<string, string> {
  const app = stack.node.root as App;
  const assembly = app.synth();
  const fn = onlyResource(stack, 'AWS::Lambda::Function', `${prefix}Controller`);
  const layer = onlyResource(stack, 'AWS::Lambda::LayerVersion', `${prefix}Config`);
  expect(fn.props.Layers).toEqual([{ Ref: layer.id }]);
  // The default synthesizer stages an asset as `asset.<hash>` and uploads it as `<hash>.zip`.
  const key = (layer.props.Content as { S3Key?: unknown }).S3Key;
  if (typeof key !== 'string' || !key.endsWith('.zip')) throw new Error(`unexpected layer content ${key}`);
  const assetPath = `asset.${key.slice(0, -'.zip'.length)}`;
  const vars = (fn.props.Environment as { Variables: Record<string, unknown> }).Variables;
  const resolve: Lookup = (id, attribute) => PSEUDO[id] ?? lookup(id, attribute);
  const env = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, resolveJoin(v, resolve)]));
  expect(env[HANDLER_ENV.configFile]).toBe(CONFIG_FILE_IN_LAMBDA);
  expect(env[HANDLER_ENV.config]).toBeUndefined();
  return { ...env, [HANDLER_ENV.configFile]: join(assembly.directory, assetPath, CONFIG_LAYER_FILE) };
}
