import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blindTokens, queryTokens, searchWords } from './searchTokens.js';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe('searchWords', () => {
  it('folds case, compatibility forms and diacritics', () => {
    expect(searchWords('Café CAFE cafe\u0301 ｃａｆｅ')).toEqual(['cafe']);
    expect(searchWords('Straße STRASSE')).toEqual(['strasse']);
    expect(searchWords('Zoë Ångström İstanbul')).toEqual(['zoe', 'angstrom', 'istanbul']);
  });

  it('splits on anything but letters and digits, keeping other scripts and numbers', () => {
    expect(searchWords("client's PHQ-9 score: 14/27; sleep—poor")).toEqual([
      'client',
      'phq',
      'score',
      '14',
      '27',
      'sleep',
      'poor',
    ]);
    expect(searchWords('тревога Ελληνικά')).toEqual(['тревога', 'ελληνικα']);
  });

  it('drops one-letter words and stop words but keeps negations', () => {
    expect(searchWords('The client and I did not report a panic attack, no SI')).toEqual([
      'client',
      'not',
      'report',
      'panic',
      'attack',
      'no',
      'si',
    ]);
  });

  it('gives each word once, in first-seen order, and at most 2,000', () => {
    expect(searchWords('sleep Sleep SLEEP work sleep')).toEqual(['sleep', 'work']);
    const many = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
    const words = searchWords(many);
    expect(words).toHaveLength(2000);
    expect(words[1999]).toBe('w1999');
  });

  it('is idempotent: searching the words again gives the same words', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const words = searchWords(text);
        expect(searchWords(words.join(' '))).toEqual(words);
      }),
    );
  });
});

describe('blindTokens', () => {
  it('gives the same token for the same word whatever its case or accents', () => {
    expect(queryTokens(key, 'CAFÉ')).toEqual(queryTokens(key, 'cafe'));
    expect(queryTokens(key, 'the')).toEqual([]);
  });

  it('gives different tokens under different keys and for different words', () => {
    const [a] = blindTokens(key, ['anxiety']);
    expect(blindTokens(otherKey, ['anxiety'])[0]).not.toBe(a);
    expect(blindTokens(key, ['anxious'])[0]).not.toBe(a);
  });

  it('pins the encoding: first 8 bytes of HMAC-SHA256 as a signed big-endian integer', () => {
    // Computed independently (Python hmac): "anxiety" starts 0x5b61a7f5…, "insomnia" 0xdda3bd3d… (negative).
    expect(blindTokens(key, ['anxiety', 'insomnia'])).toEqual([
      '6584728802444852624',
      '-2475927299636290430',
    ]);
  });

  it('always gives decimal integers within PostgreSQL bigint range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.array(fc.string()), (k, words) => {
        const tokens = blindTokens(Buffer.from(k), words);
        expect(tokens).toHaveLength(words.length);
        for (const t of tokens) {
          expect(t).toMatch(/^-?(0|[1-9]\d*)$/);
          const n = BigInt(t);
          expect(n >= INT64_MIN && n <= INT64_MAX).toBe(true);
        }
      }),
    );
  });

  it('refuses a key too short to keep the index blind', () => {
    expect(() => blindTokens(Buffer.alloc(8), ['x'])).toThrow();
  });
});
