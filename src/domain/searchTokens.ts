import { createHmac } from 'node:crypto';

export const MAX_SEARCH_WORDS = 2000;
export const MIN_SEARCH_KEY_BYTES = 16;

// Function words only. Negations ("no", "not", "never") are kept: in a clinical note they carry meaning.
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'an and are as at be been but by did do does for from had has have he her hers him his if in into is it ' +
    'its me my of on or our she so than that the their them then there these they this those to us was we ' +
    'were what when which who will with you your'
  ).split(' '),
);

/**
 * The distinct words of a text as the search index sees them: NFKC, case-folded, without
 * diacritics, split on anything but letters and digits, without one-letter words and stop words,
 * in first-seen order and at most 2,000.
 */
export function searchWords(text: string): string[] {
  const folded = text
    .normalize('NFKC')
    // Upper then lower folds what lower-casing alone leaves apart ("ß" and "SS", final sigma).
    .toUpperCase()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC');
  const words = new Set<string>();
  for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
    // Length in code points, so a single astral-plane letter is still one letter.
    if ([...word].length < 2 || STOP_WORDS.has(word)) continue;
    words.add(word);
    if (words.size >= MAX_SEARCH_WORDS) break;
  }
  return [...words];
}

/**
 * Blind-index tokens, one per word in order: the first 8 bytes of HMAC-SHA256(key, word) read
 * as a signed 64-bit integer, in decimal, so they fit a PostgreSQL bigint[] column.
 */
export function blindTokens(key: Buffer, words: readonly string[]): string[] {
  // A short key would let anyone holding the index test guessed words offline.
  if (key.length < MIN_SEARCH_KEY_BYTES) {
    throw new Error(`The search key must be at least ${MIN_SEARCH_KEY_BYTES} bytes`);
  }
  return words.map((w) => createHmac('sha256', key).update(w, 'utf8').digest().readBigInt64BE(0).toString());
}

/** The tokens of a search query, folded exactly as a note's text is, so equal words meet. */
export function queryTokens(key: Buffer, query: string): string[] {
  return blindTokens(key, searchWords(query));
}
