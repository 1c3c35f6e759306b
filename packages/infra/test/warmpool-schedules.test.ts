import { configFromEnv } from '@warmpool/controller';
import { ConfigError } from '@warmpool/core';
import { Duration, type Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { controllerEnv as deployedEnv } from './controller-view.js';
import { build } from './stacks.js';

const API_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:api';

/** The controller's environment as Lambda would see it (its config file read from the layer asset). */
function controllerEnv(stack: Stack): Record<string, string> {
  return deployedEnv(stack, (id, attribute) =>
    id.startsWith('Api') ? (attribute === 'Ref' ? 'api' : API_ARN) : `resolved-${id}`,
  );
}

describe('the construct takes schedules', () => {
  it('passes them to the controller in the config, the duration as whole minutes', () => {
    const { stack } = build({}, (api) => ({
      function: api.addAlias('live'),
      schedules: [
        {
          expression: 'cron(0 9 ? * MON-FRI *)',
          timezone: 'Europe/Paris',
          duration: Duration.minutes(30),
          min: 20,
        },
        {
          expression: 'rate(1 day)',
          duration: Duration.hours(2),
          min: 5,
          max: 150,
          start: '2026-03-01T09:00:00Z',
        },
      ],
    }));
    expect(configFromEnv(controllerEnv(stack)).targets[0]?.schedules).toEqual([
      { expression: 'cron(0 9 ? * MON-FRI *)', timezone: 'Europe/Paris', duration: '30m', min: 20 },
      {
        expression: 'rate(1 day)',
        timezone: 'UTC',
        duration: '120m',
        min: 5,
        max: 150,
        start: '2026-03-01T09:00:00Z',
      },
    ]);
  });

  it('fails at synth with the prop field and the rule for a bad schedule', () => {
    let error: unknown;
    try {
      build({}, (api) => ({
        function: api.addAlias('live'),
        schedules: [
          {
            expression: 'cron(0 9 * * * *)',
            timezone: 'Nowhere/Land',
            duration: Duration.seconds(90),
            min: 2,
          },
        ],
      }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => `${i.field}: ${i.rule}`)).toEqual([
      'targets[0].schedules[0].expression: exactly one of day-of-month and day-of-week must be ?',
      'targets[0].schedules[0].timezone: must be an IANA time zone such as Europe/Paris or UTC',
      'targets[0].schedules[0].duration: must match ^(\\d+)(m|h|d)$: 30m, 2h, 1d',
    ]);
  });
});
