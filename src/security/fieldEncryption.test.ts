import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  KeyRing,
  decryptField,
  encryptField,
  newDataKey,
  unwrapDataKey,
  wrapDataKey,
} from './fieldEncryption.js';

describe('field encryption', () => {
  const ring = new KeyRing(randomBytes(32));
  const dataKey = newDataKey();

  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const blob = encryptField(dataKey, 'client_backgrounds', 'row-1', 'medications', text);
        return decryptField(dataKey, 'client_backgrounds', 'row-1', 'medications', blob) === text;
      }),
    );
  });
  it('refuses ciphertext moved to another row or field', () => {
    const blob = encryptField(dataKey, 'client_backgrounds', 'row-1', 'medications', 'sertraline 50 mg');
    expect(() => decryptField(dataKey, 'client_backgrounds', 'row-2', 'medications', blob)).toThrow();
    expect(() => decryptField(dataKey, 'client_backgrounds', 'row-1', 'allergies', blob)).toThrow();
  });
  it('refuses a flipped byte', () => {
    const blob = encryptField(dataKey, 't', 'r', 'f', 'hello there');
    blob[blob.length - 1] ^= 1;
    expect(() => decryptField(dataKey, 't', 'r', 'f', blob)).toThrow();
  });
  it('derives a different key per practice and unwraps only with the right one', () => {
    const a = ring.practiceKey('practice-a');
    const b = ring.practiceKey('practice-b');
    expect(a.equals(b)).toBe(false);
    const wrapped = wrapDataKey(a, 'client-1', dataKey);
    expect(unwrapDataKey(a, 'client-1', wrapped).equals(dataKey)).toBe(true);
    expect(() => unwrapDataKey(b, 'client-1', wrapped)).toThrow();
    expect(() => unwrapDataKey(a, 'client-2', wrapped)).toThrow();
  });
  it('refuses a master key of the wrong size', () => {
    expect(() => new KeyRing(randomBytes(16))).toThrow(/32 bytes/);
  });
});
