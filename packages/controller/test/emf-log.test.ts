import { describe, expect, it } from 'vitest';
import { emfEmitter, emfLine } from '../src/emf/emf.js';
import { createLogger } from '../src/log/logger.js';

describe('EMF', () => {
  it('writes one Embedded Metric Format object: metadata, dimensions and values as members', () => {
    const line = emfLine(
      { Target: 'api:live' },
      { forecast: 4.5, decided: 6, reached: 5, throttled: 0 },
      1_700_000_000_123,
    );
    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_123,
        CloudWatchMetrics: [
          {
            Namespace: 'Warmpool',
            Dimensions: [['Target']],
            Metrics: [
              { Name: 'Forecast', Unit: 'Count' },
              { Name: 'Decided', Unit: 'Count' },
              { Name: 'Reached', Unit: 'Count' },
              { Name: 'Throttled', Unit: 'Count' },
            ],
          },
        ],
      },
      Target: 'api:live',
      Forecast: 4.5,
      Decided: 6,
      Reached: 5,
      Throttled: 0,
    });
  });

  it('leaves out non-finite values rather than writing an invalid metric', () => {
    const doc = JSON.parse(emfLine({ Target: 't' }, { forecast: Number.NaN, decided: 2 }, 0));
    expect(doc._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'Decided', Unit: 'Count' }]);
    expect(doc).not.toHaveProperty('Forecast');
  });

  it('emits to a line sink with the injected clock', () => {
    const lines: string[] = [];
    emfEmitter(
      (l) => lines.push(l),
      () => 42,
    ).emit({ Target: 't' }, { decided: 1 });
    expect(JSON.parse(lines[0] as string)._aws.Timestamp).toBe(42);
  });
});

describe('logger', () => {
  it('writes JSON lines with level, time, message, base and child fields, and readable errors', () => {
    const lines: string[] = [];
    const log = createLogger(
      (l) => lines.push(l),
      { service: 'warmpool' },
      () => 0,
    ).child({ tickId: 't1' });
    const err = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottleError',
      reason: 'ConcurrentInvocationLimitExceeded',
    });
    log.child({ target: 'api:live' }).error('warm round failed', { error: err, count: 3 });
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: 'error',
      time: '1970-01-01T00:00:00.000Z',
      msg: 'warm round failed',
      service: 'warmpool',
      tickId: 't1',
      target: 'api:live',
      error: { name: 'ThrottleError', message: 'Rate exceeded', reason: 'ConcurrentInvocationLimitExceeded' },
      count: 3,
    });
  });
});
