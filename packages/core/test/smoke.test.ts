import { VERSION } from '@warmpool/core';
import { describe, expect, it } from 'vitest';

describe('core', () => {
  it('exports its version', () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
