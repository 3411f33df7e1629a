import { describe, expect, it } from 'vitest';
import { INSTRUMENTS, IncompleteMeasure, scoreMeasure, type InstrumentId } from './measures.js';

/** Answers that sum to `total`, filled from the first item (each item at most `max`). */
function answersSumming(instrument: InstrumentId, total: number): Record<string, number> {
  const def = INSTRUMENTS[instrument];
  const max = def.options.length - 1;
  let left = total;
  const answers: Record<string, number> = {};
  for (const item of def.items) {
    const v = Math.min(max, left);
    answers[item.id] = v;
    left -= v;
  }
  if (left !== 0) throw new Error('total out of range');
  return answers;
}

function all(instrument: InstrumentId, value: number): Record<string, number> {
  return Object.fromEntries(INSTRUMENTS[instrument].items.map((i) => [i.id, value]));
}

function refusal(instrument: InstrumentId, answers: unknown): IncompleteMeasure {
  try {
    scoreMeasure(instrument, answers);
  } catch (err) {
    if (err instanceof IncompleteMeasure) return err;
    throw err;
  }
  throw new Error('was scored');
}

describe('instrument definitions', () => {
  it('have the standard item counts, scales and LOINC panel and total codes', () => {
    expect(INSTRUMENTS.phq9.items).toHaveLength(9);
    expect(INSTRUMENTS.gad7.items).toHaveLength(7);
    expect(INSTRUMENTS.pcl5.items).toHaveLength(20);
    expect(INSTRUMENTS.phq9.options.map((o) => o.value)).toEqual([0, 1, 2, 3]);
    expect(INSTRUMENTS.pcl5.options.map((o) => o.value)).toEqual([0, 1, 2, 3, 4]);
    expect(INSTRUMENTS.phq9.loinc).toEqual({ panel: '44249-1', total: '44261-6' });
    expect(INSTRUMENTS.gad7.loinc).toEqual({ panel: '69737-5', total: '70274-6' });
    expect(INSTRUMENTS.pcl5.loinc).toEqual({ panel: '101697-1', total: '101698-9' });
    expect(INSTRUMENTS.phq9.items[8]?.loinc).toBe('44260-8');
    expect(INSTRUMENTS.phq9.difficulty?.loinc).toBe('69722-7');
    expect(INSTRUMENTS.phq9.copyright).toContain('Pfizer');
    expect(INSTRUMENTS.gad7.copyright).toContain('Pfizer');
  });

  it('have bands that cover 0..max without gaps or overlaps', () => {
    for (const def of Object.values(INSTRUMENTS)) {
      expect(def.bands[0]?.min).toBe(0);
      expect(def.bands.at(-1)?.max).toBe(def.maxTotal);
      for (let i = 1; i < def.bands.length; i++)
        expect(def.bands[i]?.min).toBe((def.bands[i - 1]?.max ?? -2) + 1);
    }
  });
});

describe('scoreMeasure: all zero and all maximum', () => {
  it.each([
    ['phq9', 0, 'none', 27, 'severe'],
    ['gad7', 0, 'minimal', 21, 'severe'],
    ['pcl5', 0, 'below_cut_point', 80, 'at_or_above_cut_point'],
  ] as const)('%s', (instrument, zero, zeroBand, max, maxBand) => {
    const low = scoreMeasure(instrument, all(instrument, 0));
    expect(low.total).toBe(zero);
    expect(low.band.key).toBe(zeroBand);
    const high = scoreMeasure(instrument, all(instrument, INSTRUMENTS[instrument].options.length - 1));
    expect(high.total).toBe(max);
    expect(high.band.key).toBe(maxBand);
  });
});

describe('scoreMeasure: both sides of every band boundary', () => {
  const cases: [InstrumentId, number, string][] = [
    ['phq9', 0, 'none'],
    ['phq9', 1, 'minimal'],
    ['phq9', 4, 'minimal'],
    ['phq9', 5, 'mild'],
    ['phq9', 9, 'mild'],
    ['phq9', 10, 'moderate'],
    ['phq9', 14, 'moderate'],
    ['phq9', 15, 'moderately_severe'],
    ['phq9', 19, 'moderately_severe'],
    ['phq9', 20, 'severe'],
    ['gad7', 4, 'minimal'],
    ['gad7', 5, 'mild'],
    ['gad7', 9, 'mild'],
    ['gad7', 10, 'moderate'],
    ['gad7', 14, 'moderate'],
    ['gad7', 15, 'severe'],
    ['pcl5', 32, 'below_cut_point'],
    ['pcl5', 33, 'at_or_above_cut_point'],
  ];
  it.each(cases)('%s total %i is %s', (instrument, total, band) => {
    const s = scoreMeasure(instrument, answersSumming(instrument, total));
    expect(s.total).toBe(total);
    expect(s.band.key).toBe(band);
  });

  it('says whether the PCL-5 total is at or above the cut-point 33', () => {
    expect(scoreMeasure('pcl5', answersSumming('pcl5', 32)).pcl5?.atOrAboveCutPoint).toBe(false);
    expect(scoreMeasure('pcl5', answersSumming('pcl5', 33)).pcl5?.atOrAboveCutPoint).toBe(true);
  });
});

describe('PCL-5 provisional DSM-5 criteria', () => {
  const endorsed = (items: number[]): Record<string, number> => {
    const a = all('pcl5', 1);
    for (const n of items) a[`q${n}`] = 2;
    return a;
  };
  it('is met with 1 B, 1 C, 2 D and 2 E items rated 2 or more', () => {
    const r = scoreMeasure('pcl5', endorsed([1, 6, 8, 9, 15, 16])).pcl5;
    expect(r?.provisionalDiagnosisCriteriaMet).toBe(true);
    expect(r?.clusters).toEqual({ b: 1, c: 1, d: 2, e: 2 });
  });
  it.each([
    ['no B', [6, 8, 9, 15, 16]],
    ['no C', [1, 8, 9, 15, 16]],
    ['one D', [1, 6, 8, 15, 16]],
    ['one E', [1, 6, 8, 9, 15]],
  ])('is not met with %s', (_label, items) => {
    expect(scoreMeasure('pcl5', endorsed(items)).pcl5?.provisionalDiagnosisCriteriaMet).toBe(false);
  });
  it('ratings of 1 do not count as endorsed', () => {
    expect(scoreMeasure('pcl5', all('pcl5', 1)).pcl5?.provisionalDiagnosisCriteriaMet).toBe(false);
  });
});

describe('PHQ-9 item 9', () => {
  it('is flagged for any answer above zero and not for zero', () => {
    for (const v of [1, 2, 3])
      expect(scoreMeasure('phq9', { ...all('phq9', 0), q9: v }).item9Positive).toBe(true);
    expect(scoreMeasure('phq9', { ...all('phq9', 3), q9: 0 }).item9Positive).toBe(false);
  });
  it('is never flagged on other instruments', () => {
    expect(scoreMeasure('gad7', all('gad7', 3)).item9Positive).toBe(false);
    expect(scoreMeasure('pcl5', all('pcl5', 4)).item9Positive).toBe(false);
  });
});

describe('incomplete or invalid forms are refused, never scored', () => {
  for (const instrument of ['phq9', 'gad7', 'pcl5'] as const) {
    it.each(INSTRUMENTS[instrument].items.map((i) => i.id))(`${instrument} without %s`, (id) => {
      const answers: Record<string, number> = all(instrument, 1);
      delete answers[id];
      const err = refusal(instrument, answers);
      expect(err.status).toBe(422);
      expect(err.problems).toEqual([
        { path: `answers.${id}`, message: expect.stringMatching(/Answer question/) as unknown },
      ]);
    });
  }

  it('names every missing item at once', () => {
    const err = refusal('gad7', { q1: 1, q4: 2 });
    expect(err.problems.map((p) => p.path)).toEqual([
      'answers.q2',
      'answers.q3',
      'answers.q5',
      'answers.q6',
      'answers.q7',
    ]);
  });

  it.each([
    ['phq9', 4],
    ['phq9', -1],
    ['phq9', 1.5],
    ['gad7', 4],
    ['pcl5', 5],
  ] as const)('%s refuses %s', (instrument, value) => {
    const err = refusal(instrument, { ...all(instrument, 0), q2: value });
    expect(err.problems).toEqual([
      { path: 'answers.q2', message: expect.stringMatching(/whole number/) as unknown },
    ]);
  });

  it('refuses strings, nulls, unknown keys and a non-object', () => {
    expect(refusal('phq9', { ...all('phq9', 0), q1: '2' }).problems[0]?.path).toBe('answers.q1');
    expect(refusal('phq9', { ...all('phq9', 0), q1: null }).problems[0]?.path).toBe('answers.q1');
    expect(refusal('phq9', { ...all('phq9', 0), q10: 1 }).problems[0]?.path).toBe('answers.q10');
    expect(refusal('phq9', [1, 2, 3]).problems[0]?.path).toBe('answers');
    expect(refusal('pcl5', { ...all('pcl5', 0), difficulty: 1 }).problems[0]?.path).toBe(
      'answers.difficulty',
    );
    expect(refusal('phq9', { ...all('phq9', 0), difficulty: 4 }).problems[0]?.path).toBe(
      'answers.difficulty',
    );
  });

  it('does not count the unscored difficulty answer', () => {
    expect(scoreMeasure('phq9', { ...all('phq9', 1), difficulty: 3 }).total).toBe(9);
  });
});
