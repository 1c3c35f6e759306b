import {
  ConfigError,
  DEFAULT_PRICES,
  DEFAULT_TARGET,
  MAX_HOLD_MS,
  parseConfig,
  parseConfigJson,
  resolveColdStartDimensions,
  ValidationError,
} from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TICK_INTERVAL_SECONDS } from '../src/config/defaults.js';

const target = (extra: Record<string, unknown> = {}) => ({
  functionName: 'orders',
  qualifier: 'live',
  ...extra,
});

/** Runs parseConfig, expects a ConfigError, returns its issues. */
function issuesOf(input: unknown): readonly ValidationError[] {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    for (const issue of issues) expect(issue).toBeInstanceOf(ValidationError);
    return issues;
  }
  throw new Error('expected parseConfig to throw');
}

function onlyIssue(input: unknown): ValidationError {
  const issues = issuesOf(input);
  expect(issues.map((i) => i.message)).toHaveLength(1);
  return issues[0] as ValidationError;
}

describe('parseConfig: defaults', () => {
  it('fills every default for a minimal target', () => {
    const config = parseConfig({ targets: [target()] });
    expect(config.tickIntervalSeconds).toBe(DEFAULT_TICK_INTERVAL_SECONDS);
    expect(config.prices).toEqual(DEFAULT_PRICES);
    expect(config.sharedSecret).toBeUndefined();
    expect(config.targets).toEqual([
      {
        id: 'orders:live',
        functionName: 'orders',
        qualifier: 'live',
        logGroupName: '/aws/lambda/orders',
        ...DEFAULT_TARGET,
      },
    ]);
  });

  it('takes a custom log group per target (never in defaults), and the ARN name part by default', () => {
    const config = parseConfig({
      targets: [
        target({ logGroupName: '/custom/orders' }),
        { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:jobs', qualifier: 'live' },
      ],
    });
    expect(config.targets.map((t) => t.logGroupName)).toEqual(['/custom/orders', '/aws/lambda/jobs']);
    expect(() => parseConfig({ defaults: { logGroupName: '/x' }, targets: [target()] })).toThrow(
      /defaults\.logGroupName: not allowed here \(logGroupName belongs in each target/,
    );
    expect(() => parseConfig({ targets: [target({ logGroupName: '' })] })).toThrow(/logGroupName/);
  });

  it('takes wakeAfterColdStarts as an integer ≥ 0 (0: never woken), 2 by default', () => {
    expect(parseConfig({ targets: [target()] }).targets[0]?.wakeAfterColdStarts).toBe(2);
    expect(
      parseConfig({ defaults: { wakeAfterColdStarts: 0 }, targets: [target()] }).targets[0]
        ?.wakeAfterColdStarts,
    ).toBe(0);
    for (const bad of [-1, 1.5, '2'])
      expect(() => parseConfig({ targets: [target({ wakeAfterColdStarts: bad })] })).toThrow(
        /targets\[0\]\.wakeAfterColdStarts: must be (≥ 0|an integer number of cold starts ≥ 0)/,
      );
  });

  it('documents the chosen defaults', () => {
    expect(DEFAULT_TARGET).toMatchObject({
      min: 0,
      max: 100,
      holdMs: 'auto',
      model: 'auto',
      decisionTtlDays: 14,
      dryRun: false,
      memoryMb: 1024,
      architecture: 'x86_64',
      initMs: 400,
      coldStartMetric: {
        namespace: 'Warmpool',
        name: 'UserColdStart',
        dimensions: { service: `\${functionName}`, function_name: `\${functionName}` },
      },
    });
    expect(DEFAULT_TICK_INTERVAL_SECONDS).toBe(300);
    expect(MAX_HOLD_MS).toBe(10_000);
  });

  it('merges defaults, then the target, over DEFAULT_TARGET, field by field in nested objects', () => {
    const config = parseConfig({
      defaults: { max: 40, budget: { share: 0.5 }, coldStartMetric: { namespace: 'Shop' }, dryRun: true },
      targets: [
        target({ budget: { source: 'unreserved' }, max: 10 }),
        { functionName: 'cart', qualifier: '7', coldStartMetric: { dimensions: { service: 'shop' } } },
      ],
    });
    const [orders, cart] = config.targets;
    expect(orders).toMatchObject({ max: 10, dryRun: true, budget: { source: 'unreserved', share: 0.5 } });
    expect(orders?.coldStartMetric).toEqual({
      namespace: 'Shop',
      name: 'UserColdStart',
      dimensions: DEFAULT_TARGET.coldStartMetric.dimensions,
    });
    expect(cart).toMatchObject({ id: 'cart:7', max: 40, budget: { source: 'reserved', share: 0.5 } });
    // Dimensions replace the default set whole.
    expect(cart?.coldStartMetric.dimensions).toEqual({ service: 'shop' });
  });

  it('overrides prices key by key and keeps the rest', () => {
    const config = parseConfig({ targets: [target()], prices: { gbSecond: 0.00002, requestPerMillion: 0 } });
    expect(config.prices).toEqual({ ...DEFAULT_PRICES, gbSecond: 0.00002, requestPerMillion: 0 });
  });

  it('keeps a valid shared secret and tick interval', () => {
    const config = parseConfig({
      targets: [target()],
      sharedSecret: 'x'.repeat(16),
      tickIntervalSeconds: 120,
    });
    expect(config.sharedSecret).toBe('x'.repeat(16));
    expect(config.tickIntervalSeconds).toBe(120);
  });

  it('does not share nested objects between parsed configs and the defaults', () => {
    const a = parseConfig({ targets: [target()] });
    expect(a.targets[0]?.coldStartMetric.dimensions).not.toBe(DEFAULT_TARGET.coldStartMetric.dimensions);
    expect(a.targets[0]?.budget).not.toBe(DEFAULT_TARGET.budget);
  });

  it('re-parses its own output to the same config', () => {
    const once = parseConfig({ targets: [target({ holdMs: 250 })], sharedSecret: 's'.repeat(20) });
    expect(parseConfig(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});

describe('parseConfig: function names, ARNs and qualifiers', () => {
  const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:orders';

  it('accepts an unqualified ARN and ids the target by the function name', () => {
    const [t] = parseConfig({ targets: [{ functionName: arn, qualifier: 'live' }] }).targets;
    expect(t).toMatchObject({ id: 'orders:live', functionName: arn, qualifier: 'live' });
  });

  it('accepts a partial ARN', () => {
    const [t] = parseConfig({
      targets: [{ functionName: '123456789012:function:orders', qualifier: '3' }],
    }).targets;
    expect(t).toMatchObject({ id: 'orders:3', functionName: '123456789012:function:orders' });
  });

  it('accepts a qualified ARN whose qualifier agrees, and stores it unqualified', () => {
    const [t] = parseConfig({ targets: [{ functionName: `${arn}:live`, qualifier: 'live' }] }).targets;
    expect(t).toMatchObject({ id: 'orders:live', functionName: arn, qualifier: 'live' });
  });

  it('rejects a qualified ARN whose qualifier disagrees', () => {
    const issue = onlyIssue({ targets: [{ functionName: `${arn}:beta`, qualifier: 'live' }] });
    expect(issue).toMatchObject({
      field: 'targets[0].qualifier',
      rule: 'must agree with the qualifier in functionName',
      target: 'orders:live',
    });
  });

  it('handles name:qualifier the same way', () => {
    expect(
      parseConfig({ targets: [{ functionName: 'orders:live', qualifier: 'live' }] }).targets[0],
    ).toMatchObject({
      functionName: 'orders',
      id: 'orders:live',
    });
    expect(onlyIssue({ targets: [{ functionName: 'orders:live', qualifier: 'beta' }] }).field).toBe(
      'targets[0].qualifier',
    );
  });

  it('requires the qualifier even when the ARN carries one, and says which to write', () => {
    const issue = onlyIssue({ targets: [{ functionName: `${arn}:live` }] });
    expect(issue).toMatchObject({
      field: 'targets[0].qualifier',
      rule: 'is required',
      target: `${arn}:live`,
    });
    expect(issue.message).toContain('write qualifier: "live"');
  });

  it('allows $LATEST only when written explicitly', () => {
    expect(parseConfig({ targets: [target({ qualifier: '$LATEST' })] }).targets[0]?.id).toBe(
      'orders:$LATEST',
    );
    const issue = onlyIssue({ targets: [{ functionName: 'orders' }] });
    expect(issue.rule).toBe('is required');
    expect(issue.message).toContain('$LATEST');
  });

  it.each([
    ['', 'must not be empty (name the alias or version that traffic uses)'],
    ['live alias', "must be an alias, a version number or '$LATEST'"],
    [7, 'must be a string'],
  ])('rejects qualifier %j', (qualifier, rule) => {
    expect(onlyIssue({ targets: [target({ qualifier })] })).toMatchObject({
      field: 'targets[0].qualifier',
      rule,
    });
  });

  it.each([
    [''],
    ['has space'],
    ['arn:aws:lambda:us-east-1:123:function:orders'],
    ['arn:aws:s3:::bucket'],
    ['x'.repeat(65)],
  ])('rejects functionName %j', (functionName) => {
    expect(onlyIssue({ targets: [{ functionName, qualifier: 'live' }] })).toMatchObject({
      field: 'targets[0].functionName',
      rule: 'must be a function name (1 to 64 letters, digits, - or _) or ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)',
    });
  });

  it('rejects duplicate target ids, also across name and ARN spellings', () => {
    const issue = onlyIssue({ targets: [target(), { functionName: `${arn}`, qualifier: 'live' }] });
    expect(issue).toMatchObject({ field: 'targets[1]', rule: 'duplicate target id', target: 'orders:live' });
    expect(issue.message).toContain('targets[0]');
  });

  it('rejects an id that does not match', () => {
    expect(onlyIssue({ targets: [target({ id: 'orders:beta' })] })).toMatchObject({
      field: 'targets[0].id',
      rule: 'must equal name:qualifier (or be left out)',
    });
  });

  it('substitutes placeholders in cold-start dimensions with the function name, not the ARN', () => {
    const [t] = parseConfig({
      targets: [
        {
          functionName: arn,
          qualifier: 'live',
          coldStartMetric: {
            dimensions: { function_name: `\${functionName}`, alias: `\${qualifier}`, fixed: 'x' },
          },
        },
      ],
    }).targets;
    expect(resolveColdStartDimensions(t as NonNullable<typeof t>)).toEqual({
      function_name: 'orders',
      alias: 'live',
      fixed: 'x',
    });
  });
});

/** One bad field per row: [description, per-target fields, field, rule]. */
const TARGET_RULES: [string, Record<string, unknown>, string, string][] = [
  ['negative min', { min: -1 }, 'min', 'must be ≥ 0'],
  ['fractional min', { min: 1.5 }, 'min', 'must be a non-negative integer'],
  ['string max', { max: '5' }, 'max', 'must be a non-negative integer'],
  ['max over the sanity cap', { max: 10_001 }, 'max', 'must be ≤ 10000'],
  ['min > max', { min: 5, max: 3 }, 'min', 'must be ≤ max'],
  ['hold over the cap', { holdMs: 10_001 }, 'holdMs', 'must be ≤ MAX_HOLD_MS (10000 ms)'],
  ['hold of 0', { holdMs: 0 }, 'holdMs', 'must be ≥ 1'],
  ['hold as text', { holdMs: 'long' }, 'holdMs', "must be 'auto' or an integer number of ms in [1, 10000]"],
  ['budget share 0', { budget: { share: 0 } }, 'budget.share', 'must be in (0, 1]'],
  ['budget share > 1', { budget: { share: 1.5 } }, 'budget.share', 'must be in (0, 1]'],
  ['budget share as text', { budget: { share: '0.2' } }, 'budget.share', 'must be a number in (0, 1]'],
  [
    'budget source',
    { budget: { source: 'account' } },
    'budget.source',
    "must be one of 'reserved', 'unreserved'",
  ],
  ['budget not an object', { budget: 0.2 }, 'budget', 'must be an object'],
  ['model', { model: 'arima' }, 'model', "must be one of 'auto', 'peak-quantile', 'holt', 'seasonal-naive'"],
  ['ttl 0', { decisionTtlDays: 0 }, 'decisionTtlDays', 'must be ≥ 1'],
  ['ttl fraction', { decisionTtlDays: 1.5 }, 'decisionTtlDays', 'must be an integer ≥ 1'],
  ['dryRun as text', { dryRun: 'yes' }, 'dryRun', 'must be a boolean'],
  ['memory too small', { memoryMb: 64 }, 'memoryMb', 'must be ≥ 128'],
  ['memory too large', { memoryMb: 10_241 }, 'memoryMb', 'must be ≤ 10240'],
  ['architecture', { architecture: 'arm' }, 'architecture', "must be one of 'x86_64', 'arm64'"],
  ['negative init', { initMs: -1 }, 'initMs', 'must be ≥ 0'],
  ['init as text', { initMs: 'fast' }, 'initMs', 'must be a number of ms ≥ 0'],
  [
    'empty namespace',
    { coldStartMetric: { namespace: '' } },
    'coldStartMetric.namespace',
    'must not be empty',
  ],
  ['name not a string', { coldStartMetric: { name: 1 } }, 'coldStartMetric.name', 'must be a string'],
  [
    "Powertools' metric",
    { coldStartMetric: { name: 'ColdStart' } },
    'coldStartMetric.name',
    "must not be 'ColdStart'",
  ],
  [
    'dimension value not a string',
    { coldStartMetric: { dimensions: { service: 1 } } },
    'coldStartMetric.dimensions.service',
    'must be a string',
  ],
  [
    'unknown placeholder',
    { coldStartMetric: { dimensions: { service: `\${fn}` } } },
    'coldStartMetric.dimensions.service',
    `may only use the placeholders \${functionName} and \${qualifier}`,
  ],
  [
    'too many dimensions',
    {
      coldStartMetric: {
        dimensions: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 'v'])),
      },
    },
    'coldStartMetric.dimensions',
    'must have at most 30 dimensions',
  ],
  ['unknown target key', { holdMS: 100 }, 'holdMS', 'unknown key "holdMS"'],
  ['unknown nested key', { budget: { shares: 0.2 } }, 'budget.shares', 'unknown key "shares"'],
];

describe('parseConfig: per-target rules', () => {
  it.each(TARGET_RULES)('%s: names the target, the field and the rule', (_, fields, field, rule) => {
    expect(
      onlyIssue({ targets: [target(), { functionName: 'cart', qualifier: 'live', ...fields }] }),
    ).toMatchObject({
      field: `targets[1].${field}`,
      rule,
      target: 'cart:live',
    });
  });

  it.each(TARGET_RULES.filter(([, fields]) => !('min' in fields && 'max' in fields)))(
    '%s in defaults: names the defaults field',
    (_, fields, field, rule) => {
      expect(onlyIssue({ defaults: fields, targets: [target()] })).toMatchObject({
        field: `defaults.${field}`,
        rule,
      });
    },
  );

  it('reports min > max from defaults against each target that inherits it', () => {
    const issues = issuesOf({
      defaults: { min: 5 },
      targets: [target({ max: 3 }), { functionName: 'b', qualifier: 'q' }],
    });
    expect(issues.map((i) => [i.field, i.rule, i.target])).toEqual([
      ['targets[0].min', 'must be ≤ max', 'orders:live'],
    ]);
    expect(issues[0]?.message).toContain('min 5 (from defaults) > max 3');
  });

  it('suggests the right spelling of a mistyped key', () => {
    expect(onlyIssue({ targets: [target({ holdMS: 100 })] }).message).toContain('did you mean "holdMs"?');
  });

  it('rejects functionName and qualifier in defaults', () => {
    const issues = issuesOf({ defaults: { functionName: 'x', qualifier: 'y' }, targets: [target()] });
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ['defaults.functionName', 'not allowed here'],
      ['defaults.qualifier', 'not allowed here'],
    ]);
  });
});

describe('parseConfig: global rules', () => {
  it.each([
    ['tick below a minute', { tickIntervalSeconds: 30 }, 'tickIntervalSeconds', 'must be ≥ 60'],
    ['tick over an hour', { tickIntervalSeconds: 3660 }, 'tickIntervalSeconds', 'must be ≤ 3600'],
    [
      'tick not whole minutes',
      { tickIntervalSeconds: 90 },
      'tickIntervalSeconds',
      'must be a multiple of 60 seconds',
    ],
    [
      'tick as text',
      { tickIntervalSeconds: '300' },
      'tickIntervalSeconds',
      'must be an integer in [60, 3600]',
    ],
    ['negative price', { prices: { gbSecond: -1 } }, 'prices.gbSecond', 'must be ≥ 0'],
    [
      'price as text',
      { prices: { gbSecond: '1' } },
      'prices.gbSecond',
      'must be a non-negative number (USD)',
    ],
    ['unknown price', { prices: { egress: 1 } }, 'prices.egress', 'unknown key "egress"'],
    ['short secret', { sharedSecret: 'short' }, 'sharedSecret', 'must be at least 16 characters'],
    ['secret not a string', { sharedSecret: 12 }, 'sharedSecret', 'must be a string'],
    ['unknown top-level key', { target: [] }, 'target', 'unknown key "target"'],
    ['defaults not an object', { defaults: [] }, 'defaults', 'must be an object'],
  ])('%s', (_, extra, field, rule) => {
    expect(onlyIssue({ targets: [target()], ...extra })).toMatchObject({ field, rule, target: undefined });
  });

  it('never echoes a short secret', () => {
    expect(onlyIssue({ targets: [target()], sharedSecret: 'hunter2' }).message).not.toContain('hunter2');
  });

  it('never echoes a secret given as a number either', () => {
    const issue = onlyIssue({ targets: [target()], sharedSecret: 1234567890123456 });
    expect(issue.message).toContain('must be a string');
    expect(issue.message).not.toContain('1234567890123456');
  });

  it.each([
    ['missing', {}, 'is required'],
    ['not an array', { targets: {} }, 'must be an array of targets'],
    ['empty', { targets: [] }, 'must list at least one target'],
  ])('targets %s', (_, input, rule) => {
    expect(onlyIssue(input)).toMatchObject({ field: 'targets', rule });
  });

  it('names a target that is not an object by its index', () => {
    expect(onlyIssue({ targets: ['orders'] })).toMatchObject({
      field: 'targets[0]',
      rule: 'must be an object',
    });
  });

  it.each([[null], [[]], ['{}'], [42], [undefined]])(
    'rejects a config that is not an object: %j',
    (input) => {
      expect(onlyIssue(input)).toMatchObject({ field: 'config', rule: 'must be an object' });
    },
  );

  it('collects every problem in one ConfigError', () => {
    const issues = issuesOf({
      tickIntervalSeconds: 1,
      bogus: true,
      targets: [target({ min: -1, holdMs: 60_000 }), { qualifier: 'live' }, target({ max: 1.5 })],
    });
    expect(issues.map((i) => `${i.target ?? '-'} ${i.field}: ${i.rule}`)).toEqual([
      '- tickIntervalSeconds: must be ≥ 60',
      '- bogus: unknown key "bogus"',
      'orders:live targets[0].min: must be ≥ 0',
      'orders:live targets[0].holdMs: must be ≤ MAX_HOLD_MS (10000 ms)',
      'targets[1] targets[1].functionName: is required',
      'orders:live targets[2].max: must be a non-negative integer',
      'orders:live targets[2]: duplicate target id',
    ]);
  });

  it('puts the source and every issue in the message', () => {
    try {
      parseConfig({ targets: [target({ min: 2, max: 1 })] }, 'warmpool.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).source).toBe('warmpool.json');
      expect((error as Error).message).toBe(
        'invalid config in warmpool.json:\n  - target orders:live: targets[0].min: must be ≤ max (min 2 > max 1)',
      );
    }
  });
});

describe('parseConfigJson', () => {
  it('parses JSON text', () => {
    expect(
      parseConfigJson('\uFEFF{"targets":[{"functionName":"a","qualifier":"b"}]}', 'x.json').targets[0]?.id,
    ).toBe('a:b');
  });

  it('reports a syntax error with the source, line and column', () => {
    try {
      parseConfigJson('{\n  "targets": [],,\n}', 'warmpool.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const [issue] = (error as ConfigError).issues;
      expect(issue).toMatchObject({ field: 'warmpool.json', rule: 'must be valid JSON' });
      expect(issue?.message).toContain('line 2, column 17');
      expect((error as Error).message).toContain('invalid config in warmpool.json');
    }
  });

  it('passes the source on to validation errors', () => {
    expect(() => parseConfigJson('{"targets":[]}', 'cfg.json')).toThrow(/invalid config in cfg\.json/);
  });
});
