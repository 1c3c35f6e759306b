import { LambdaStandIn, LocalWorld, sampleFunction } from '@warmpool/local';
import { afterEach, describe, expect, it } from 'vitest';
import { io } from '../../controller/test/fixtures.js';
import { parseProbeArgs } from '../src/cli/commands/probe.js';
import { main } from '../src/cli/main.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const started: LambdaStandIn[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function standIn(spec: Parameters<LocalWorld['addFunction']>[0]) {
  const s = new LambdaStandIn(new LocalWorld().addFunction(spec));
  started.push(s);
  return s.start();
}

describe('warmpool probe', () => {
  it('prints the JSON summary against an endpoint', async () => {
    const endpoint = await standIn(sampleFunction({ sim: { initMs: 0 } }));
    const c = io();
    const code = await main(
      [
        'probe',
        '--function',
        'sample:live',
        '--n',
        '8',
        '--hold-ms',
        '60',
        '--endpoint-url',
        endpoint,
        '--json',
      ],
      c.io,
    );
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    const json = JSON.parse(c.out.join(''));
    expect(json).toMatchObject({
      requested: 8,
      distinct_containers: 8,
      new_containers: 8,
      throttled: 0,
      hold_ms: 60,
    });
    expect(typeof json.wall_ms).toBe('number');
  });

  it('warns clearly when the target answers without the protocol', async () => {
    const endpoint = await standIn(sampleFunction({ warmup: false, sim: { initMs: 0 } }));
    const c = io();
    const code = await main(
      ['probe', '--function', 'sample:live', '--n', '3', '--hold-ms', '20', '--endpoint-url', endpoint],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.err.join('\n')).toMatch(
      /WARNING: 3 of 3 answers lacked the Warmpool protocol: the helper .* is not installed in sample:live/,
    );
  });

  it('warms the sample function in a separate stand-in process with --local', async () => {
    const c = io();
    const code = await main(
      ['probe', '--function', 'sample:live', '--n', '20', '--hold-ms', '300', '--local', '--json'],
      c.io,
    );
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    expect(JSON.parse(c.out.join(''))).toMatchObject({
      requested: 20,
      distinct_containers: 20,
      hold_ms: 300,
    });
  }, 20_000);

  it('picks the hold from N when --hold-ms is not given, and says how', async () => {
    const endpoint = await standIn(sampleFunction({ sim: { initMs: 0 } }));
    const c = io();
    await main(['probe', '--function', 'sample:live', '--n', '2', '--endpoint-url', endpoint], c.io);
    expect(c.out.join('\n')).toMatch(/hold +\d+ ms \(2 pings at 500\/s \(assumed\)/);
    expect(c.out.join('\n')).toMatch(/capacity +reserved concurrency none, account unreserved 1000/);
  });

  it.each([
    [['--n', '5'], /--function: is required/],
    [['--function', 'sample:live'], /--n: is required/],
    [['--function', 'sample:live', '--n', '0'], /--n: must be a whole number from 1 to 10000/],
    [['--function', 'sample:live', '--n', '2.5'], /--n: must be a whole number/],
    [
      ['--function', 'sample:live', '--n', '5', '--hold-ms', '60000'],
      /--hold-ms: must be a whole number of ms from 1 to 10000/,
    ],
    // A negative value is the flag's value, judged by the flag's own rule (not an ambiguous or unknown flag).
    [['--function', 'api:live', '--n', '-3'], /--n: must be a whole number from 1 to 10000 \(got '-3'\)/],
    [
      ['--function', 'api:live', '--n', '5', '--hold-ms', '-5'],
      /--hold-ms: must be a whole number of ms from 1 to 10000 .*\(got '-5'\)/,
    ],
    [
      ['--function', 'api:live', '--n', '5', '--timeout-ms', '-1'],
      /--timeout-ms: must be a whole number from 1/,
    ],
    // The config's holdMs rule: at least 1 ms.
    [
      ['--function', 'api:live', '--n', '5', '--hold-ms', '0'],
      /--hold-ms: must be a whole number of ms from 1/,
    ],
    [['--function', '', '--n', '5'], /--function: must not be empty/],
    [['--function=', '--n', '5'], /--function: must not be empty/],
    [['--function', 'api:live', '--n'], /--n: needs a value/],
    [['--function', 'api:live', '--n', '5', '--region', 'mars'], /--region: must be an AWS region/],
    [['--function', 'api:live', '--n', '5', 'extra'], /extra: is not a flag of warmpool probe/],
    [['--function', 'not a name!', '--n', '5'], /--function: must be a function name or ARN/],
    [
      ['--function', 'sample:live', '--n', '5', '--local', '--endpoint-url', 'http://127.0.0.1:1'],
      /--local: cannot be combined with --endpoint-url/,
    ],
    [
      ['--function', 'sample:live', '--n', '5', '--endpoint-url', 'ftp://x'],
      /--endpoint-url: must be an http\(s\) URL/,
    ],
    // Only the Lambda endpoint applies: probe makes no CloudWatch or DynamoDB call.
    [
      ['--function', 'sample:live', '--n', '5', '--endpoint-url', 'dynamodb=http://127.0.0.1:1'],
      /--endpoint-url: must be an http\(s\) URL, or lambda=URL \(probe calls Lambda only\)/,
    ],
    [['--function', 'sample:live', '--n', '5', '--bogus'], /--bogus: is not a flag of warmpool probe/],
    [
      ['--function', 'sample:live', '--n', '5', '--hold-ms', '100', '--timeout-ms', '50'],
      /--timeout-ms: must be longer than --hold-ms/,
    ],
  ])('rejects bad flags naming the flag and the rule (%j)', async (args, message) => {
    expect(() => parseProbeArgs(args)).toThrow(message);
    const c = io();
    expect(await main(['probe', ...args], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(message);
  });

  it('reads -h and --help as help, after checking the other flags', async () => {
    expect(parseProbeArgs(['-h'])).toBe('help');
    expect(parseProbeArgs(['--function', 'api:live', '--help'])).toBe('help');
    for (const flag of ['-h', '--help']) {
      const c = io();
      expect(await main(['probe', flag], c.io)).toBe(0);
      expect(c.out.join('')).toContain('usage: warmpool probe --function');
    }
  });

  it('probes $LATEST with a warning when no qualifier is given', () => {
    expect(parseProbeArgs(['--function', 'sample', '--n', '1'])).toMatchObject({
      qualifier: '$LATEST',
      unqualified: true,
    });
  });

  it('takes --endpoint-url lambda=URL as tick does (what `warmpool local` prints)', () => {
    expect(
      parseProbeArgs([
        '--function',
        'sample:live',
        '--n',
        '1',
        '--endpoint-url',
        'lambda=http://127.0.0.1:9',
      ]),
    ).toMatchObject({ endpoint: 'http://127.0.0.1:9' });
  });
});
