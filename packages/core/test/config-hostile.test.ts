import { describe, expect, it } from 'vitest';
import { findJsonSyntaxProblem } from '../src/config/json-syntax.js';
import { ConfigError, MAX_TARGETS, parseConfig, parseConfigJson } from '../src/index.js';

const SECRET = 'Zq8vLm2KxR4tNw7bYc1dHs9f';

/** Every issue of a ConfigError, as `field: rule (detail)` text. */
function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => i.message);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('a JSON syntax error never echoes the config text (issue 11: a secret in an error)', () => {
  const broken = [
    `{"sharedSecret": "${SECRET}" "targets": []}`, // missing comma right after the secret
    `{"sharedSecret": "${SECRET}, "targets": []}`, // unterminated string holding the secret
    `{"targets": [], "sharedSecret": ${SECRET}}`, // the secret unquoted
    `{"sharedSecret": "${SECRET}"}}`, // text after the value
    `{"sharedSecret": "${SECRET.slice(0, 10)}\u0001${SECRET.slice(10)}"}`, // a raw control character
  ];
  it.each(broken.map((t, i) => [i, t]))('case %i: line/column and a rule, no secret', (_i, text) => {
    let error: unknown;
    try {
      parseConfigJson(text as string, 'WARMPOOL_CONFIG');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    const everything = `${e.message}\n${e.issues.map((i) => `${i.message} ${String(i.cause ?? '')}`).join('\n')}\n${JSON.stringify(e)}`;
    for (let k = 0; k + 4 <= SECRET.length; k++) expect(everything).not.toContain(SECRET.slice(k, k + 4));
    expect(e.issues[0]?.message).toMatch(/line 1, column \d+: /);
    expect(e.issues[0]?.cause).toBeUndefined();
  });

  it('names the position and the rule of the first problem, as JSON.parse would find it', () => {
    expect(findJsonSyntaxProblem('{\n  "targets": [],,\n}')).toMatchObject({
      line: 2,
      column: 17,
      rule: 'expected a double-quoted property name',
    });
    expect(findJsonSyntaxProblem('{"a": [1, 2')).toMatchObject({ rule: 'unexpected end of input' });
    expect(findJsonSyntaxProblem('{"a": 01}')).toMatchObject({ column: 8 });
    expect(findJsonSyntaxProblem('[1] x')).toMatchObject({ rule: 'unexpected text after the JSON value' });
    expect(findJsonSyntaxProblem('"\\q"')).toMatchObject({ rule: 'bad escape in a string' });
    expect(findJsonSyntaxProblem('['.repeat(10_000))).toMatchObject({
      rule: expect.stringMatching(/deeper/),
    });
  });

  it('finds nothing in text JSON.parse accepts', () => {
    for (const ok of ['{}', '[]', ' {"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]} ', '0', '"x"']) {
      expect(() => JSON.parse(ok)).not.toThrow();
      expect(findJsonSyntaxProblem(ok)).toBeUndefined();
    }
  });
});

describe('odd input (issue 11)', () => {
  it(`refuses more than ${MAX_TARGETS} targets, naming the limit`, () => {
    const targets = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ functionName: `f${i}`, qualifier: 'live' }));
    expect(parseConfig({ targets: targets(MAX_TARGETS) }).targets).toHaveLength(MAX_TARGETS);
    expect(issuesOf(() => parseConfig({ targets: targets(MAX_TARGETS + 1) }))).toEqual([
      `targets: must list at most 1000 targets (got ${MAX_TARGETS + 1})`,
    ]);
  });

  it('refuses a __proto__ dimension instead of dropping it later', () => {
    const config = JSON.parse(
      '{"targets":[{"functionName":"api","qualifier":"live","coldStartMetric":{"dimensions":{"__proto__":"x","service":"api"}}}]}',
    );
    expect(issuesOf(() => parseConfig(config))).toEqual([
      expect.stringMatching(
        /targets\[0\]\.coldStartMetric\.dimensions\.__proto__: dimension name must not be "__proto__"/,
      ),
    ]);
  });

  it('refuses control characters in a function name, and escapes them in the error', () => {
    const [issue] = issuesOf(() =>
      parseConfig({ targets: [{ functionName: 'api\u001b[2J\u0007', qualifier: 'live' }] }),
    );
    expect(issue).toMatch(/targets\[0\]\.functionName: must be a function name/);
    expect([...(issue ?? '')].some((c) => (c.codePointAt(0) ?? 0) < 0x20)).toBe(false);
  });
});
