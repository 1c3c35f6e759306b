import { ConfigError, MAX_HOLD_MS, parseConfig, ValidationError } from '@warmpool/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARCHITECTURES, BUDGET_SOURCES, FORECAST_MODELS } from '../src/config/types.js';

const name = fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/);
const qualifier = fc.oneof(fc.constant('$LATEST'), fc.stringMatching(/^[a-zA-Z0-9_-]{1,12}$/));

/** A random target that satisfies every rule (min ≤ max enforced by construction). */
const validTarget = fc
  .record(
    {
      functionName: name,
      qualifier,
      bounds: fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 })),
      holdMs: fc.oneof(fc.constant('auto' as const), fc.integer({ min: 1, max: MAX_HOLD_MS })),
      budget: fc.record(
        {
          source: fc.constantFrom(...Object.values(BUDGET_SOURCES)),
          share: fc.double({ min: 0.001, max: 1, noNaN: true }),
        },
        { requiredKeys: [] },
      ),
      model: fc.constantFrom(...Object.values(FORECAST_MODELS)),
      decisionTtlDays: fc.integer({ min: 1, max: 365 }),
      dryRun: fc.boolean(),
      memoryMb: fc.integer({ min: 128, max: 10_240 }),
      architecture: fc.constantFrom(...Object.values(ARCHITECTURES)),
      initMs: fc.double({ min: 0, max: 10_000, noNaN: true }),
    },
    { requiredKeys: ['functionName', 'qualifier', 'bounds'] },
  )
  .map(({ bounds: [a, b], ...rest }) => ({ ...rest, min: Math.min(a, b), max: Math.max(a, b) }));

const validConfig = fc.record(
  {
    tickIntervalSeconds: fc.integer({ min: 1, max: 60 }).map((m) => m * 60),
    targets: fc.uniqueArray(validTarget, {
      minLength: 1,
      maxLength: 5,
      selector: (t) => `${t.functionName}:${t.qualifier}`,
    }),
    sharedSecret: fc.string({ minLength: 16, maxLength: 40 }),
  },
  { requiredKeys: ['targets'] },
);

describe('parseConfig properties', () => {
  it('throws nothing but a ConfigError of ValidationErrors, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.jsonValue(), fc.record({ targets: fc.array(fc.anything()) })),
        (input) => {
          try {
            parseConfig(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            expect((error as ConfigError).issues.length).toBeGreaterThan(0);
            for (const issue of (error as ConfigError).issues) expect(issue).toBeInstanceOf(ValidationError);
          }
        },
      ),
    );
  });

  it('accepts every valid config, keeps what it was given and re-parses to itself', () => {
    fc.assert(
      fc.property(validConfig, (input) => {
        const config = parseConfig(input);
        expect(config.targets).toHaveLength(input.targets.length);
        input.targets.forEach((t, i) => {
          const parsed = config.targets[i];
          expect(parsed?.id).toBe(`${t.functionName}:${t.qualifier}`);
          expect(parsed?.min).toBe(t.min);
          expect(parsed?.max).toBe(t.max);
          expect(parsed && parsed.min <= parsed.max).toBe(true);
          if (t.holdMs !== undefined) expect(parsed?.holdMs).toBe(t.holdMs);
        });
        expect(parseConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
      }),
    );
  });

  it('rejects any target with min > max and names its field', () => {
    fc.assert(
      fc.property(
        name,
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100 }),
        (fn, min, gap) => {
          const max = min - gap;
          fc.pre(max >= 0);
          try {
            parseConfig({ targets: [{ functionName: fn, qualifier: 'live', min, max }] });
            expect.unreachable();
          } catch (error) {
            expect((error as ConfigError).issues.map((i) => [i.field, i.rule, i.target])).toEqual([
              ['targets[0].min', 'must be ≤ max', `${fn}:live`],
            ]);
          }
        },
      ),
    );
  });
});
