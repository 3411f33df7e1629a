import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './keysetCursor.js';
import { Invalid } from './errors.js';

const shape = z.tuple([z.string(), z.number().int().nonnegative()]);

describe('keyset cursor', () => {
  it('round-trips any position of the expected shape', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (v, n) => {
        expect(decodeCursor(encodeCursor([v, n]), shape)).toEqual([v, n]);
      }),
    );
  });
  it('refuses garbage, other shapes and forged values with Invalid', () => {
    for (const c of [
      '',
      '!!!',
      encodeCursor(['a']),
      encodeCursor(['a', -1]),
      encodeCursor([1, 2]),
      'bnVsbA',
    ]) {
      expect(() => decodeCursor(c, shape)).toThrow(Invalid);
    }
  });
});
