import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CLIENT_CODE_PATTERN, clientCodeFromBytes } from './clientCode.js';

describe('clientCodeFromBytes', () => {
  it('always gives a code of the documented shape', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (b) =>
        CLIENT_CODE_PATTERN.test(clientCodeFromBytes(b)),
      ),
    );
  });
  it('refuses too few bytes', () => {
    expect(() => clientCodeFromBytes(new Uint8Array(3))).toThrow();
  });
});
