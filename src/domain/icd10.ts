import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/** One ICD-10-CM entry; only billable codes may be put on a note, headers (F41) may not. */
export interface Icd10Code {
  code: string;
  title: string;
  billable: boolean;
}

// A letter, a digit, then up to five more code characters with an optional dot after the third: F4, F41, f41.1, F4311.
const CODE_QUERY = /^[a-z][0-9][0-9a-z]?(\.?[0-9a-z]{0,4})?\.?$/i;

/** The code as a lookup key: upper case, without the dot ("f41.1" → "F411"). */
function codeKey(code: string): string {
  return code.trim().toUpperCase().replace('.', '');
}

/** Lower-case words without diacritics; apostrophes join ("Alzheimer's" → "alzheimers"). */
function words(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- the titles are ASCII: skip the Unicode work for them
  const folded = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFD').replace(/\p{M}/gu, '');
  return folded
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

// Abbreviations clinicians type for common diagnoses, spelled out in the catalog's own title
// words. The catalog's titles spell them out (only a heading or two carries "PTSD"), so without
// this "ptsd" would find the non-billable heading and none of the codes a note can use.
const ABBREVIATIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['ptsd', ['post', 'traumatic', 'stress', 'disorder']],
  ['gad', ['generalized', 'anxiety', 'disorder']],
  ['mdd', ['major', 'depressive', 'disorder']],
  ['adhd', ['attention', 'deficit', 'hyperactivity']],
  ['ocd', ['obsessive', 'compulsive']],
]);

/** The query words with each known abbreviation spelled out, or null when none was used. */
function expandAbbreviations(queryWords: readonly string[]): string[] | null {
  if (!queryWords.some((w) => ABBREVIATIONS.has(w))) return null;
  return queryWords.flatMap((w) => ABBREVIATIONS.get(w) ?? [w]);
}

/** First index in the sorted array whose value is >= target. */
function lowerBound(sorted: readonly string[], target: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [start, end) of the entries of a sorted array that start with prefix. */
function prefixRange(sorted: readonly string[], prefix: string): [number, number] {
  // Values that start with prefix sort at or after it and before prefix + U+FFFF (words and keys are ASCII-range).
  return [lowerBound(sorted, prefix), lowerBound(sorted, prefix + '\uffff')];
}

/** Searchable ICD-10-CM code set, built once from the shipped TSV; look-ups and searches do not allocate much. */
export class Icd10Catalog {
  private readonly codes: string[] = [];
  private readonly titles: string[] = [];
  private readonly billable: boolean[] = [];
  /** Code keys without dots, sorted, and the code index of each. */
  private readonly sortedKeys: string[];
  private readonly sortedKeyIndex: Int32Array;
  private readonly byKey = new Map<string, number>();
  /** Sorted distinct title words; a word's id is its position here, so a prefix is a range of ids. */
  private readonly vocabulary: string[];
  /** Code indices of the titles holding word w: postings[postingStart[w] .. postingStart[w + 1]). */
  private readonly postingStart: Int32Array;
  private readonly postings: Int32Array;
  /** Word ids of the title of code i: titleWords[titleWordStart[i] .. titleWordStart[i + 1]). */
  private readonly titleWordStart: Int32Array;
  private readonly titleWords: Int32Array;
  /** Position of each code in ranking order (chapter F, then billable, then shorter title, then code). */
  private readonly rankOf: Int32Array;
  private readonly byRank: Int32Array;

  private constructor(rows: Icd10Code[]) {
    for (const row of rows) {
      if (this.byKey.has(codeKey(row.code))) throw new Error(`ICD-10-CM code ${row.code} is listed twice`);
      this.byKey.set(codeKey(row.code), this.codes.length);
      this.codes.push(row.code);
      this.titles.push(row.title);
      this.billable.push(row.billable);
    }
    const n = this.codes.length;

    const keyed = this.codes.map((code, i) => ({ key: codeKey(code), i }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.sortedKeys = keyed.map((k) => k.key);
    this.sortedKeyIndex = Int32Array.from(keyed, (k) => k.i);

    const wordsOfTitle = this.titles.map((t) => [...new Set(words(t))]);
    this.vocabulary = [...new Set(wordsOfTitle.flat())].sort();
    const wordId = new Map(this.vocabulary.map((w, id) => [w, id]));

    this.titleWordStart = new Int32Array(n + 1);
    const titleWordIds: number[] = [];
    const postingCount = new Int32Array(this.vocabulary.length);
    wordsOfTitle.forEach((ws, i) => {
      this.titleWordStart[i] = titleWordIds.length;
      for (const w of ws) {
        const id = wordId.get(w) ?? -1;
        titleWordIds.push(id);
        postingCount[id] = (postingCount[id] ?? 0) + 1;
      }
    });
    this.titleWordStart[n] = titleWordIds.length;
    this.titleWords = Int32Array.from(titleWordIds);

    this.postingStart = new Int32Array(this.vocabulary.length + 1);
    for (let w = 0; w < this.vocabulary.length; w++) {
      this.postingStart[w + 1] = (this.postingStart[w] ?? 0) + (postingCount[w] ?? 0);
    }
    this.postings = new Int32Array(titleWordIds.length);
    const fill = this.postingStart.slice(0, this.vocabulary.length);
    for (let i = 0; i < n; i++) {
      for (let p = this.titleWordStart[i] ?? 0; p < (this.titleWordStart[i + 1] ?? 0); p++) {
        const w = this.titleWords[p] ?? 0;
        this.postings[fill[w] ?? 0] = i;
        fill[w] = (fill[w] ?? 0) + 1;
      }
    }

    const codeOrder = new Int32Array(n);
    this.sortedKeyIndex.forEach((i, k) => (codeOrder[i] = k));
    const group = (i: number) => (this.codes[i]?.startsWith('F') ? 0 : 2) + (this.billable[i] ? 0 : 1);
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort(
      (a, b) =>
        group(a) - group(b) ||
        (this.titles[a]?.length ?? 0) - (this.titles[b]?.length ?? 0) ||
        (codeOrder[a] ?? 0) - (codeOrder[b] ?? 0),
    );
    this.byRank = Int32Array.from(order);
    this.rankOf = new Int32Array(n);
    order.forEach((i, rank) => (this.rankOf[i] = rank));
  }

  /** Parses `code<TAB>billable<TAB>title` lines (header line optional); billable is 1 or 0. */
  static fromTsv(text: string): Icd10Catalog {
    const rows: Icd10Code[] = [];
    const lines = text.split('\n');
    lines.forEach((raw, lineIndex) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '' || (lineIndex === 0 && line.startsWith('code\t'))) return;
      const [code, flag, title, extra] = line.split('\t');
      if (
        code === undefined ||
        title === undefined ||
        extra !== undefined ||
        (flag !== '0' && flag !== '1')
      ) {
        throw new Error(`ICD-10-CM TSV line ${lineIndex + 1} is not "code<TAB>0|1<TAB>title"`);
      }
      rows.push({ code: code.trim().toUpperCase(), title, billable: flag === '1' });
    });
    return new Icd10Catalog(rows);
  }

  get size(): number {
    return this.codes.length;
  }

  /** The entry for a code, in any case, with or without its dot ("f411" finds F41.1). */
  get(code: string): Icd10Code | undefined {
    const i = this.byKey.get(codeKey(code));
    return i === undefined ? undefined : this.entry(i);
  }

  /**
   * Codes for a search box. A code-like query ("F41", "f41.1") lists that code and the codes under it in code
   * order; otherwise every word of the query must start a word of the title, ranked chapter F first, then
   * billable, then shorter title. Common abbreviations ("ptsd", "gad", "mdd", "adhd", "ocd") are spelled out.
   */
  search(query: string, limit = 20): Icd10Code[] {
    if (limit <= 0) return [];
    const trimmed = query.trim();
    if (CODE_QUERY.test(trimmed)) {
      const byCode = this.searchByCode(codeKey(trimmed), limit);
      if (byCode.length > 0) return byCode;
    }
    const queryWords = words(trimmed);
    const expanded = expandAbbreviations(queryWords);
    if (!expanded) return this.searchByWords(queryWords, limit);
    // The spelled-out matches first, then whatever the words match as typed (a title may use the abbreviation).
    const found = this.searchByWords(expanded, limit);
    const seen = new Set(found.map((c) => c.code));
    for (const c of this.searchByWords(queryWords, limit)) {
      if (found.length >= limit) break;
      if (!seen.has(c.code)) found.push(c);
    }
    return found;
  }

  private searchByCode(prefix: string, limit: number): Icd10Code[] {
    const [start, end] = prefixRange(this.sortedKeys, prefix);
    const found: Icd10Code[] = [];
    for (let k = start; k < end && found.length < limit; k++)
      found.push(this.entry(this.sortedKeyIndex[k] ?? 0));
    return found;
  }

  private searchByWords(queryWords: string[], limit: number): Icd10Code[] {
    if (queryWords.length === 0) return [];
    const ranges = [...new Set(queryWords)].map((w) => prefixRange(this.vocabulary, w));
    if (ranges.some(([start, end]) => start === end)) return [];
    // Candidates come from the word with the fewest postings; the other words are checked as id ranges.
    const postingsOf = ([start, end]: [number, number]) =>
      (this.postingStart[end] ?? 0) - (this.postingStart[start] ?? 0);
    ranges.sort((a, b) => postingsOf(a) - postingsOf(b));
    const [first, ...rest] = ranges;
    if (first === undefined) return [];

    const matchedRanks: number[] = [];
    const seen = new Uint8Array(this.codes.length);
    for (let p = this.postingStart[first[0]] ?? 0; p < (this.postingStart[first[1]] ?? 0); p++) {
      const i = this.postings[p] ?? 0;
      if (seen[i] === 1) continue;
      seen[i] = 1;
      if (rest.every((range) => this.titleHasWordIn(i, range))) matchedRanks.push(this.rankOf[i] ?? 0);
    }
    let best: number[];
    if (matchedRanks.length <= 4096) {
      best = Array.from(Int32Array.from(matchedRanks).sort().subarray(0, limit));
    } else {
      // Many matches (a one-letter query): walk the ranking and stop at the limit instead of sorting them all.
      const matched = new Uint8Array(this.codes.length);
      for (const rank of matchedRanks) matched[rank] = 1;
      best = [];
      for (let rank = 0; rank < matched.length && best.length < limit; rank++)
        if (matched[rank] === 1) best.push(rank);
    }
    return best.map((rank) => this.entry(this.byRank[rank] ?? 0));
  }

  private titleHasWordIn(i: number, [start, end]: [number, number]): boolean {
    for (let p = this.titleWordStart[i] ?? 0; p < (this.titleWordStart[i + 1] ?? 0); p++) {
      const w = this.titleWords[p] ?? -1;
      if (w >= start && w < end) return true;
    }
    return false;
  }

  private entry(i: number): Icd10Code {
    return { code: this.codes[i] ?? '', title: this.titles[i] ?? '', billable: this.billable[i] ?? false };
  }
}

/** Reads and indexes the shipped ICD-10-CM file (gzipped TSV); the caller keeps the catalog, nothing is cached here. */
export async function loadIcd10Catalog(path?: string): Promise<Icd10Catalog> {
  const bytes = await readFile(path ?? new URL('../../data/icd10cm.tsv.gz', import.meta.url));
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (isGzip ? await gunzipAsync(bytes) : bytes).toString('utf8');
  return Icd10Catalog.fromTsv(text);
}
