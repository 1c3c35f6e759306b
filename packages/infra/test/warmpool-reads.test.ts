import { configFromEnv } from '@warmpool/controller';
import { ConfigError } from '@warmpool/core';
import type { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { controllerEnv as deployedEnv } from './controller-view.js';
import { build } from './stacks.js';

const API_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:api';

function controllerEnv(stack: Stack): Record<string, string> {
  return deployedEnv(stack, (id, attribute) =>
    id.startsWith('Api') ? (attribute === 'Ref' ? 'api' : API_ARN) : `resolved-${id}`,
  );
}

describe('the construct takes maxTicksBetweenReads', () => {
  it('backs off to every 12 ticks unless told otherwise, and passes the prop to the controller', () => {
    const plain = build({}, (api) => ({ function: api.addAlias('live') }));
    expect(configFromEnv(controllerEnv(plain.stack)).targets[0]?.maxTicksBetweenReads).toBe(12);
    const set = build({}, (api) => ({ function: api.addAlias('live'), maxTicksBetweenReads: 4 }));
    expect(configFromEnv(controllerEnv(set.stack)).targets[0]?.maxTicksBetweenReads).toBe(4);
  });

  it('fails at synth naming the field and the rule', () => {
    let error: unknown;
    try {
      build({}, (api) => ({ function: api.addAlias('live'), maxTicksBetweenReads: 13 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => `${i.field}: ${i.rule}`)).toEqual([
      'targets[0].maxTicksBetweenReads: must be ≤ MAX_TICKS_BETWEEN_READS (12)',
    ]);
  });
});

describe('the construct takes stabilization', () => {
  it('keeps the default unless told otherwise, and passes the prop key by key', () => {
    const plain = build({}, (api) => ({ function: api.addAlias('live') }));
    expect(configFromEnv(controllerEnv(plain.stack)).targets[0]?.stabilization).toEqual({
      windowMinutes: 120,
      maxCount: 10,
    });
    const set = build({}, (api) => ({ function: api.addAlias('live'), stabilization: { windowMinutes: 0 } }));
    expect(configFromEnv(controllerEnv(set.stack)).targets[0]?.stabilization).toEqual({
      windowMinutes: 0,
      maxCount: 10,
    });
  });

  it('fails at synth naming the field and the rule', () => {
    let error: unknown;
    try {
      build({}, (api) => ({ function: api.addAlias('live'), stabilization: { windowMinutes: 400 } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.field)).toEqual([
      'targets[0].stabilization.windowMinutes',
    ]);
    expect((error as ConfigError).issues[0]?.rule).toMatch(/360/);
  });
});
