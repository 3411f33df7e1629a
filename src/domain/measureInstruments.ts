/**
 * The standardised questionnaires Casebook scores (standards.md §6): item wording of the public
 * English forms, response options, bands and LOINC codes. Codes the reference could not confirm
 * are left null rather than guessed.
 */

export type InstrumentId = 'phq9' | 'gad7' | 'pcl5';
export const INSTRUMENT_IDS: readonly InstrumentId[] = ['phq9', 'gad7', 'pcl5'];

export interface ResponseOption {
  value: number;
  label: string;
  loinc: string | null;
}

export interface MeasureItem {
  /** Key in the answers object, e.g. 'q1'. */
  id: string;
  number: number;
  text: string;
  loinc: string | null;
}

export interface SeverityBand {
  key: string;
  label: string;
  min: number;
  max: number;
}

export interface InstrumentDefinition {
  id: InstrumentId;
  name: string;
  shortName: string;
  /** Our version of the stored wording; stored with every administration. */
  version: string;
  timeframe: string;
  instructions: string;
  items: MeasureItem[];
  options: ResponseOption[];
  /** The unscored functional-difficulty question (PHQ-9 and GAD-7 only). */
  difficulty: { id: 'difficulty'; text: string; loinc: string | null; options: ResponseOption[] } | null;
  maxTotal: number;
  bands: SeverityBand[];
  /** Shown under the chart and the result: what the bands are and are not. */
  bandNote: string;
  loinc: { panel: string; total: string };
  copyright: string;
}

const PFIZER =
  'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. ' +
  'No permission required to reproduce, translate, display or distribute. © Pfizer Inc.';

const FREQUENCY: ResponseOption[] = [
  { value: 0, label: 'Not at all', loinc: null },
  { value: 1, label: 'Several days', loinc: null },
  { value: 2, label: 'More than half the days', loinc: 'LA6570-1' },
  { value: 3, label: 'Nearly every day', loinc: null },
];

const DIFFICULTY_OPTIONS: ResponseOption[] = [
  { value: 0, label: 'Not difficult at all', loinc: null },
  { value: 1, label: 'Somewhat difficult', loinc: null },
  { value: 2, label: 'Very difficult', loinc: null },
  { value: 3, label: 'Extremely difficult', loinc: null },
];

const DIFFICULTY_TEXT =
  'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?';

function items(texts: string[], codes: Record<number, string> = {}): MeasureItem[] {
  return texts.map((text, i) => ({ id: `q${i + 1}`, number: i + 1, text, loinc: codes[i + 1] ?? null }));
}

const PHQ9: InstrumentDefinition = {
  id: 'phq9',
  name: 'Patient Health Questionnaire (PHQ-9)',
  shortName: 'PHQ-9',
  version: 'en-1',
  timeframe: 'Last 2 weeks',
  instructions: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  items: items(
    [
      'Little interest or pleasure in doing things',
      'Feeling down, depressed, or hopeless',
      'Trouble falling or staying asleep, or sleeping too much',
      'Feeling tired or having little energy',
      'Poor appetite or overeating',
      'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
      'Trouble concentrating on things, such as reading the newspaper or watching television',
      'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
      'Thoughts that you would be better off dead or of hurting yourself in some way',
    ],
    { 1: '44250-9', 9: '44260-8' },
  ),
  options: FREQUENCY,
  difficulty: { id: 'difficulty', text: DIFFICULTY_TEXT, loinc: '69722-7', options: DIFFICULTY_OPTIONS },
  maxTotal: 27,
  bands: [
    { key: 'none', label: 'None', min: 0, max: 0 },
    { key: 'minimal', label: 'Minimal', min: 1, max: 4 },
    { key: 'mild', label: 'Mild', min: 5, max: 9 },
    { key: 'moderate', label: 'Moderate', min: 10, max: 14 },
    { key: 'moderately_severe', label: 'Moderately severe', min: 15, max: 19 },
    { key: 'severe', label: 'Severe', min: 20, max: 27 },
  ],
  bandNote:
    'Depression severity bands from the PHQ-9 scoring guide. A screening and monitoring tool, not a diagnosis. Any answer above zero to item 9 raises a risk alert.',
  loinc: { panel: '44249-1', total: '44261-6' },
  copyright: `PHQ-9. ${PFIZER}`,
};

const GAD7: InstrumentDefinition = {
  id: 'gad7',
  name: 'Generalized Anxiety Disorder scale (GAD-7)',
  shortName: 'GAD-7',
  version: 'en-1',
  timeframe: 'Last 2 weeks',
  instructions: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  items: items([
    'Feeling nervous, anxious, or on edge',
    'Not being able to stop or control worrying',
    'Worrying too much about different things',
    'Trouble relaxing',
    'Being so restless that it is hard to sit still',
    'Becoming easily annoyed or irritable',
    'Feeling afraid, as if something awful might happen',
  ]),
  options: FREQUENCY,
  difficulty: { id: 'difficulty', text: DIFFICULTY_TEXT, loinc: null, options: DIFFICULTY_OPTIONS },
  maxTotal: 21,
  bands: [
    { key: 'minimal', label: 'Minimal', min: 0, max: 4 },
    { key: 'mild', label: 'Mild', min: 5, max: 9 },
    { key: 'moderate', label: 'Moderate', min: 10, max: 14 },
    { key: 'severe', label: 'Severe', min: 15, max: 21 },
  ],
  bandNote:
    'Anxiety severity bands (cut points 5, 10, 15). A score of 10 or more calls for further evaluation. Not a diagnosis.',
  loinc: { panel: '69737-5', total: '70274-6' },
  copyright: `GAD-7. ${PFIZER}`,
};

const PCL5_OPTIONS: ResponseOption[] = [
  { value: 0, label: 'Not at all', loinc: null },
  { value: 1, label: 'A little bit', loinc: null },
  { value: 2, label: 'Moderately', loinc: null },
  { value: 3, label: 'Quite a bit', loinc: null },
  { value: 4, label: 'Extremely', loinc: null },
];

export const PCL5_CUT_POINT = 33;

const PCL5: InstrumentDefinition = {
  id: 'pcl5',
  name: 'PTSD Checklist for DSM-5 (PCL-5)',
  shortName: 'PCL-5',
  version: 'en-1',
  timeframe: 'Past month',
  instructions:
    'Below is a list of problems that people sometimes have in response to a very stressful experience. Please read each problem carefully and then choose how much you have been bothered by that problem in the past month.',
  items: items([
    'Repeated, disturbing, and unwanted memories of the stressful experience?',
    'Repeated, disturbing dreams of the stressful experience?',
    'Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?',
    'Feeling very upset when something reminded you of the stressful experience?',
    'Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?',
    'Avoiding memories, thoughts, or feelings related to the stressful experience?',
    'Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?',
    'Trouble remembering important parts of the stressful experience?',
    'Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?',
    'Blaming yourself or someone else for the stressful experience or what happened after it?',
    'Having strong negative feelings such as fear, horror, anger, guilt, or shame?',
    'Loss of interest in activities that you used to enjoy?',
    'Feeling distant or cut off from other people?',
    'Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?',
    'Irritable behavior, angry outbursts, or acting aggressively?',
    'Taking too many risks or doing things that could cause you harm?',
    'Being “superalert” or watchful or on guard?',
    'Feeling jumpy or easily startled?',
    'Having difficulty concentrating?',
    'Trouble falling or staying asleep?',
  ]),
  options: PCL5_OPTIONS,
  difficulty: null,
  maxTotal: 80,
  bands: [
    { key: 'below_cut_point', label: 'Below provisional cut-point', min: 0, max: PCL5_CUT_POINT - 1 },
    {
      key: 'at_or_above_cut_point',
      label: 'At or above provisional cut-point (33)',
      min: PCL5_CUT_POINT,
      max: 80,
    },
  ],
  bandNote:
    'The PCL-5 has no official severity bands. Scores are shown against the provisional cut-point of 33 (published cut-points range 31–33 by population); a change of 5–10 points is reliable change. Not a diagnosis.',
  loinc: { panel: '101697-1', total: '101698-9' },
  copyright: 'PCL-5 (Weathers et al., 2013), National Center for PTSD. In the public domain.',
};

export const INSTRUMENTS: Readonly<Record<InstrumentId, InstrumentDefinition>> = {
  phq9: PHQ9,
  gad7: GAD7,
  pcl5: PCL5,
};

export function isInstrumentId(value: string): value is InstrumentId {
  return (INSTRUMENT_IDS as readonly string[]).includes(value);
}
