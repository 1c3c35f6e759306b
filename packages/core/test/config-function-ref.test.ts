import { parseFunctionRef, targetId } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { isQualifier } from '../src/config/function-ref.js';

describe('parseFunctionRef', () => {
  it.each([
    ['orders', { name: 'orders', unqualified: 'orders', qualifier: undefined }],
    ['orders:live', { name: 'orders', unqualified: 'orders', qualifier: 'live' }],
    ['orders:$LATEST', { name: 'orders', unqualified: 'orders', qualifier: '$LATEST' }],
    [
      '123456789012:function:orders:7',
      { name: 'orders', unqualified: '123456789012:function:orders', qualifier: '7' },
    ],
    [
      'arn:aws:lambda:us-east-1:123456789012:function:orders',
      {
        name: 'orders',
        unqualified: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
        qualifier: undefined,
      },
    ],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders:live',
      {
        name: 'orders',
        unqualified: 'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders',
        qualifier: 'live',
      },
    ],
  ])('splits %s', (text, expected) => {
    expect(parseFunctionRef(text)).toEqual(expected);
  });

  it.each([
    [''],
    ['a b'],
    ['orders:'],
    ['orders:live:extra'],
    ['arn:aws:lambda:us-east-1:12:function:orders'],
  ])('rejects %j', (text) => {
    expect(parseFunctionRef(text)).toBeUndefined();
  });

  it('forms ids from the name part', () => {
    expect(targetId('arn:aws:lambda:us-east-1:123456789012:function:orders', 'live')).toBe('orders:live');
    expect(targetId('orders', '3')).toBe('orders:3');
  });

  it('recognises qualifiers', () => {
    expect(['live', '12', '$LATEST', 'blue_green-2'].map(isQualifier)).toEqual([true, true, true, true]);
    expect(['', 'a b', '$latest', 'x'.repeat(129)].map(isQualifier)).toEqual([false, false, false, false]);
  });
});
