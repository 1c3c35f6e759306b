import { MAX_HOLD_MS } from '@warmpool/core';
import {
  createMarker,
  DEFAULT_MAX_HOLD_MS,
  encodeClientContext,
  readAnswer,
  readMarker,
  signMarker,
  verifyMarker,
  WARM_PING_PROTOCOL_VERSION,
} from '@warmpool/warmup/protocol';
import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_CONTEXT_BYTES } from '../src/protocol/warm-ping.js';

const SECRET = 'a-shared-secret-of-32-characters';
const T0 = 1_764_000_000_000;

describe('warm-ping marker', () => {
  it('round-trips through the base64 ClientContext the Invoke API carries', () => {
    const marker = createMarker({ tick: 'tick-1', i: 7, holdMs: 250, ts: T0, secret: SECRET });
    const decoded = JSON.parse(Buffer.from(encodeClientContext(marker), 'base64').toString('utf8'));
    expect(decoded).toEqual({ custom: { warmpool: marker } });
    expect(readMarker(decoded)).toEqual(marker);
    expect(marker.v).toBe(WARM_PING_PROTOCOL_VERSION);
  });

  it('fits in Lambda’s ClientContext limit even with a long tick id and a signature', () => {
    const marker = createMarker({ tick: 'x'.repeat(256), i: 99_999, holdMs: 10_000, ts: T0, secret: SECRET });
    const bytes = Buffer.byteLength(JSON.stringify({ custom: { warmpool: marker } }));
    expect(bytes).toBeLessThanOrEqual(MAX_CLIENT_CONTEXT_BYTES);
  });

  it.each([
    ['no custom', { client: {} }],
    ['another version', { custom: { warmpool: { v: 2, tick: 't', i: 0, holdMs: 1, ts: T0 } } }],
    ['negative hold', { custom: { warmpool: { v: 1, tick: 't', i: 0, holdMs: -1, ts: T0 } } }],
    ['fractional index', { custom: { warmpool: { v: 1, tick: 't', i: 0.5, holdMs: 1, ts: T0 } } }],
    ['empty tick', { custom: { warmpool: { v: 1, tick: '', i: 0, holdMs: 1, ts: T0 } } }],
    [
      'bad signature format',
      { custom: { warmpool: { v: 1, tick: 't', i: 0, holdMs: 1, ts: T0, sig: 'zz' } } },
    ],
    ['a string', 'warmpool'],
    ['null', null],
  ])('is not read from a malformed ClientContext (%s)', (_name, cc) => {
    expect(readMarker(cc)).toBeUndefined();
  });
});

describe('HMAC', () => {
  const signed = createMarker({ tick: 'tick-1', i: 0, holdMs: 250, ts: T0, secret: SECRET });

  it('accepts a correctly signed marker within the skew', () => {
    expect(verifyMarker(signed, SECRET, T0 + 30_000, 60_000)).toBe('ok');
    expect(verifyMarker(signed, SECRET, T0 - 30_000, 60_000)).toBe('ok');
  });

  it('rejects a wrong secret, a tampered hold, a missing signature', () => {
    expect(verifyMarker(signed, 'another-secret-of-enough-length', T0)).toBe('bad-signature');
    expect(verifyMarker({ ...signed, holdMs: 9_999 }, SECRET, T0)).toBe('bad-signature');
    expect(verifyMarker({ ...signed, tick: 'tick-2' }, SECRET, T0)).toBe('bad-signature');
    const { sig: _sig, ...unsigned } = signed;
    expect(verifyMarker(unsigned, SECRET, T0)).toBe('missing-signature');
  });

  it('rejects a marker outside the clock skew (bounded replay)', () => {
    expect(verifyMarker(signed, SECRET, T0 + 60_001, 60_000)).toBe('clock-skew');
    expect(verifyMarker(signed, SECRET, T0 - 60_001, 60_000)).toBe('clock-skew');
  });

  it('accepts any well-formed marker when no secret is configured', () => {
    expect(verifyMarker({ ...signed, sig: undefined }, undefined, T0 + 10 ** 9)).toBe('ok');
  });

  it('signs once per round: the index is not covered', () => {
    const a = createMarker({ tick: 't', i: 0, holdMs: 5, ts: T0, secret: SECRET });
    const b = createMarker({ tick: 't', i: 1, holdMs: 5, ts: T0, secret: SECRET });
    expect(a.sig).toBe(b.sig);
    expect(a.sig).toBe(signMarker(SECRET, 't', T0, 5));
  });
});

describe('answer', () => {
  it('reads a protocol answer and refuses payloads without it', () => {
    const answer = { v: 1, containerId: 'c-1', started: true, ageMs: 3, heldMs: 20, tick: 't', i: 4 };
    expect(readAnswer({ warmpool: answer })).toEqual(answer);
    expect(readAnswer({ statusCode: 200, body: 'hello' })).toBeUndefined();
    expect(readAnswer({ warmpool: { ...answer, v: 2 } })).toBeUndefined();
    expect(readAnswer({ warmpool: { ...answer, containerId: '' } })).toBeUndefined();
    expect(readAnswer('warmpool')).toBeUndefined();
  });

  it('keeps the helper’s default hold cap equal to the config’s MAX_HOLD_MS', () => {
    expect(DEFAULT_MAX_HOLD_MS).toBe(MAX_HOLD_MS);
  });
});
