import { Invalid } from './errors.js';
import {
  INSTRUMENTS,
  PCL5_CUT_POINT,
  type InstrumentDefinition,
  type InstrumentId,
  type SeverityBand,
} from './measureInstruments.js';

export {
  INSTRUMENTS,
  INSTRUMENT_IDS,
  PCL5_CUT_POINT,
  isInstrumentId,
  type InstrumentDefinition,
  type InstrumentId,
  type MeasureItem,
  type ResponseOption,
  type SeverityBand,
} from './measureInstruments.js';

/** Item answers keyed by item id ('q1'…, plus the optional unscored 'difficulty'). */
export type MeasureAnswers = Record<string, number>;

export interface Pcl5Result {
  /** DSM-5 rule: items ≥ 2 endorsed; ≥1 of B (1–5), ≥1 of C (6–7), ≥2 of D (8–14), ≥2 of E (15–20). */
  provisionalDiagnosisCriteriaMet: boolean;
  atOrAboveCutPoint: boolean;
  cutPoint: number;
  clusters: { b: number; c: number; d: number; e: number };
}

export interface MeasureScore {
  total: number;
  band: SeverityBand;
  /** PHQ-9 only: item 9 answered above zero (risk alert); false for other instruments. */
  item9Positive: boolean;
  pcl5: Pcl5Result | null;
}

export interface MeasureItemProblem {
  path: string;
  message: string;
}

/** An incomplete or out-of-range form: never scored. Names every missing or invalid item. */
export class IncompleteMeasure extends Invalid {
  constructor(
    readonly instrument: InstrumentId,
    readonly problems: MeasureItemProblem[],
  ) {
    super(
      `The ${INSTRUMENTS[instrument].shortName} is incomplete or has invalid answers, so it was not scored`,
      problems,
    );
  }
}

/** Checks every item (none missing, each in range, no unknown keys); returns the problems. */
export function checkMeasureAnswers(
  instrument: InstrumentDefinition,
  answers: unknown,
): MeasureItemProblem[] {
  const problems: MeasureItemProblem[] = [];
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers))
    return [{ path: 'answers', message: 'Answer every question' }];
  const given = answers as Record<string, unknown>;
  const maxValue = Math.max(...instrument.options.map((o) => o.value));
  for (const item of instrument.items) {
    const value = given[item.id];
    if (value === undefined || value === null)
      problems.push({ path: `answers.${item.id}`, message: `Answer question ${item.number}` });
    else if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > maxValue)
      problems.push({
        path: `answers.${item.id}`,
        message: `Question ${item.number} must be a whole number from 0 to ${maxValue}`,
      });
  }
  const difficulty = given.difficulty;
  if (difficulty !== undefined && difficulty !== null) {
    if (!instrument.difficulty)
      problems.push({ path: 'answers.difficulty', message: 'This questionnaire has no difficulty question' });
    else if (!Number.isInteger(difficulty) || (difficulty as number) < 0 || (difficulty as number) > 3)
      problems.push({ path: 'answers.difficulty', message: 'The difficulty answer must be from 0 to 3' });
  }
  const known = new Set([...instrument.items.map((i) => i.id), 'difficulty']);
  for (const key of Object.keys(given))
    if (!known.has(key))
      problems.push({ path: `answers.${key}`, message: 'Not a question of this questionnaire' });
  return problems;
}

/** The band holding a total; totals are always within 0..maxTotal once answers are checked. */
export function bandFor(instrument: InstrumentDefinition, total: number): SeverityBand {
  const band = instrument.bands.find((b) => total >= b.min && total <= b.max);
  if (!band) throw new Error(`No ${instrument.id} band for total ${total}`);
  return band;
}

function pcl5Result(answers: MeasureAnswers, total: number): Pcl5Result {
  const endorsed = (from: number, to: number): number => {
    let n = 0;
    for (let i = from; i <= to; i++) if ((answers[`q${i}`] ?? 0) >= 2) n++;
    return n;
  };
  const clusters = { b: endorsed(1, 5), c: endorsed(6, 7), d: endorsed(8, 14), e: endorsed(15, 20) };
  return {
    provisionalDiagnosisCriteriaMet: clusters.b >= 1 && clusters.c >= 1 && clusters.d >= 2 && clusters.e >= 2,
    atOrAboveCutPoint: total >= PCL5_CUT_POINT,
    cutPoint: PCL5_CUT_POINT,
    clusters,
  };
}

/**
 * Scores one completed form: the total of the scored items, its severity band, the PHQ-9
 * item 9 flag and the PCL-5 extras. Throws IncompleteMeasure rather than scoring a partial form.
 */
export function scoreMeasure(
  instrument: InstrumentId | InstrumentDefinition,
  answers: unknown,
): MeasureScore {
  const def = typeof instrument === 'string' ? INSTRUMENTS[instrument] : instrument;
  const problems = checkMeasureAnswers(def, answers);
  if (problems.length > 0) throw new IncompleteMeasure(def.id, problems);
  const given = answers as MeasureAnswers;
  let total = 0;
  for (const item of def.items) total += given[item.id] ?? 0;
  return {
    total,
    band: bandFor(def, total),
    item9Positive: def.id === 'phq9' && (given.q9 ?? 0) > 0,
    pcl5: def.id === 'pcl5' ? pcl5Result(given, total) : null,
  };
}
