import { describe, expect, it } from 'vitest';
import { Icd10Catalog, loadIcd10Catalog } from './icd10.js';

const TSV = [
  'code\tbillable\ttitle',
  'F32\t0\tMajor depressive disorder, single episode',
  'F32.0\t1\tMajor depressive disorder, single episode, mild',
  'F32.A\t1\tDepression, unspecified',
  'F41\t0\tOther anxiety disorders',
  'F41.0\t1\tPanic disorder [episodic paroxysmal anxiety]',
  'F41.1\t1\tGeneralized anxiety disorder',
  'F41.8\t1\tOther specified anxiety disorders',
  'F41.9\t1\tAnxiety disorder, unspecified',
  'F43.10\t1\tPost-traumatic stress disorder, unspecified',
  "G30.9\t1\tAlzheimer's disease, unspecified",
  "H81.01\t1\tMeniere's disease, right ear",
  'R45.0\t1\tNervousness',
  'R45.7\t1\tState of emotional shock and stress, unspecified',
  'Z13.31\t1\tEncounter for screening for depression',
  'Z13.3\t0\tEncounter for screening examination for mental health and behavioral disorders',
  '',
].join('\n');

const catalog = Icd10Catalog.fromTsv(TSV);
const codes = (query: string, limit?: number) => catalog.search(query, limit).map((c) => c.code);

describe('Icd10Catalog', () => {
  it('reads every row and keeps headers (billable 0) not billable', () => {
    expect(catalog.size).toBe(15);
    expect(catalog.get('F41')).toEqual({ code: 'F41', title: 'Other anxiety disorders', billable: false });
    expect(catalog.get('F41.1')?.billable).toBe(true);
  });

  it('finds a code in any case, with or without its dot', () => {
    for (const q of ['F41.1', 'f41.1', 'F411', ' f411 ']) expect(catalog.get(q)?.code).toBe('F41.1');
    expect(catalog.get('F32a')?.title).toBe('Depression, unspecified');
    expect(catalog.get('F41.2')).toBeUndefined();
    expect(catalog.get('')).toBeUndefined();
  });

  it('lists a code prefix in code order, the exact code first', () => {
    expect(codes('F41')).toEqual(['F41', 'F41.0', 'F41.1', 'F41.8', 'F41.9']);
    expect(codes('f41.')).toEqual(['F41', 'F41.0', 'F41.1', 'F41.8', 'F41.9']);
    expect(codes('F41.1')).toEqual(['F41.1']);
    expect(codes('f411')).toEqual(['F41.1']);
    expect(codes('F4')).toEqual(['F41', 'F41.0', 'F41.1', 'F41.8', 'F41.9', 'F43.10']);
    expect(codes('F41', 2)).toEqual(['F41', 'F41.0']);
  });

  it('matches every word of the query, in any order, as word prefixes', () => {
    expect(codes('generalized anxiety')).toEqual(['F41.1']);
    expect(codes('anxiety generalized')).toEqual(['F41.1']);
    expect(codes('GEN ANX')).toEqual(['F41.1']);
    expect(codes('post-traumatic')).toEqual(['F43.10']);
    expect(codes('depress single mild')).toEqual(['F32.0']);
    // "anxiety" must start a word: "anx" in the middle of a word does not count.
    expect(codes('nxiety')).toEqual([]);
  });

  it('ignores case, diacritics and apostrophes', () => {
    expect(codes('MÉNIÈRE')).toEqual(['H81.01']);
    expect(codes('alzheimers')).toEqual(['G30.9']);
    expect(codes("alzheimer's disease")).toEqual(['G30.9']);
  });

  it('ranks chapter F first, then billable, then shorter title', () => {
    // F41.1 (28 chars) and F41.9 (29) beat F41.8 (33) and F41.0 (44); the header F41 comes after billable F codes.
    expect(codes('anxiety')).toEqual(['F41.1', 'F41.9', 'F41.8', 'F41.0', 'F41']);
    // F codes before Z codes, however short the Z title.
    expect(codes('depression')).toEqual(['F32.A', 'Z13.31']);
    expect(codes('stress')).toEqual(['F43.10', 'R45.7']);
    expect(codes('disorder', 3)).toEqual(['F41.1', 'F41.9', 'F41.8']);
  });

  it('returns nothing for unknown words, unknown codes and empty queries', () => {
    expect(codes('xyzzy')).toEqual([]);
    expect(codes('anxiety xyzzy')).toEqual([]);
    expect(codes('Q99.9')).toEqual([]);
    expect(codes('   ')).toEqual([]);
    expect(codes('---')).toEqual([]);
    expect(codes('anxiety', 0)).toEqual([]);
  });

  it('refuses a malformed file', () => {
    expect(() => Icd10Catalog.fromTsv('F41\tmaybe\tOther anxiety disorders\n')).toThrow(/line 1/);
    expect(() => Icd10Catalog.fromTsv('F41\t0\n')).toThrow(/line 1/);
    expect(() => Icd10Catalog.fromTsv('F41\t0\tA\nF41\t0\tB\n')).toThrow(/twice/);
  });
});

describe('abbreviations', () => {
  const abbreviated = Icd10Catalog.fromTsv(
    [
      'F43.1\t0\tPost-traumatic stress disorder (PTSD)',
      'F43.10\t1\tPost-traumatic stress disorder, unspecified',
      'F43.12\t1\tPost-traumatic stress disorder, chronic',
      'F41.1\t1\tGeneralized anxiety disorder',
      'T56.82\t0\tToxic effect of gadolinium',
      'F32.0\t1\tMajor depressive disorder, single episode, mild',
      'F33.1\t1\tMajor depressive disorder, recurrent, moderate',
      'F90.2\t1\tAttention-deficit hyperactivity disorder, combined type',
      'F42.2\t1\tMixed obsessional thoughts and acts',
      'F42.9\t1\tObsessive-compulsive disorder, unspecified',
      '',
    ].join('\n'),
  );
  const found = (q: string, limit?: number) => abbreviated.search(q, limit).map((c) => c.code);

  it('spells out ptsd, gad, mdd, adhd and ocd, the billable codes first', () => {
    expect(found('ptsd')).toEqual(['F43.12', 'F43.10', 'F43.1']);
    expect(found('PTSD')).toEqual(['F43.12', 'F43.10', 'F43.1']);
    expect(found('mdd')).toEqual(['F33.1', 'F32.0']);
    expect(found('adhd')).toEqual(['F90.2']);
    expect(found('ocd')).toEqual(['F42.9']);
  });

  it('keeps what the typed word matches after the spelled-out codes, within the limit', () => {
    expect(found('gad')).toEqual(['F41.1', 'T56.82']);
    expect(found('gad', 1)).toEqual(['F41.1']);
  });

  it('combines an abbreviation with other words, and leaves longer words alone', () => {
    expect(found('ptsd chronic')).toEqual(['F43.12']);
    expect(found('mdd recurrent')).toEqual(['F33.1']);
    expect(found('gado')).toEqual(['T56.82']);
    expect(found('pts')).toEqual(['F43.1']);
  });
});

describe('the shipped ICD-10-CM file', () => {
  it('loads, marks headers not billable and finds generalized anxiety disorder first', async () => {
    const shipped = await loadIcd10Catalog();
    expect(shipped.size).toBe(98_186);
    expect(shipped.get('F41.1')).toEqual({
      code: 'F41.1',
      title: 'Generalized anxiety disorder',
      billable: true,
    });
    expect(shipped.get('F41')?.billable).toBe(false);
    expect(shipped.search('generalized anxiety')[0]?.code).toBe('F41.1');
    // The PTSD heading is not billable; the abbreviation still reaches the codes under it.
    expect(shipped.get('F43.1')?.billable).toBe(false);
    expect(shipped.search('ptsd').map((c) => c.code)).toEqual(
      expect.arrayContaining(['F43.10', 'F43.11', 'F43.12']),
    );
    expect(shipped.search('gad')[0]?.code).toBe('F41.1');
    expect(shipped.search('F43.2').map((c) => c.code)).toEqual([
      'F43.2',
      'F43.20',
      'F43.21',
      'F43.22',
      'F43.23',
      'F43.24',
      'F43.25',
      'F43.29',
    ]);
  });
});
