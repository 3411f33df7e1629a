import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUILT_IN_TEMPLATES,
  INTERVENTION_OPTIONS,
  MSE_DOMAINS,
  MSE_OPTIONS,
  NOTE_KINDS,
  PROGRESS_FORMATS,
  PSYCHOTHERAPY_TEMPLATE,
  builtInTemplate,
  completenessProblems,
  contentSchemaFor,
  copyForward,
  defaultTemplateKey,
  emptyContent,
  renderSections,
  validateTemplateDefinition,
  type MentalStatusExamValue,
  type NoteContent,
  type TemplateDefinition,
} from './noteTemplates.js';

/** A small custom template using every field kind. */
const everyKind: TemplateDefinition = {
  key: 'practice.every_kind',
  name: 'Every kind',
  kind: 'contact',
  format: null,
  version: 1,
  sections: [
    {
      id: 'main',
      title: 'Main',
      fields: [
        { id: 'shortText', label: 'Short text', kind: 'text', required: true },
        { id: 'notes', label: 'Notes', kind: 'longText', required: false },
        {
          id: 'mode',
          label: 'Mode',
          kind: 'singleChoice',
          required: true,
          options: [
            { value: 'phone', label: 'Phone call' },
            { value: 'video', label: 'Video call' },
          ],
        },
        {
          id: 'topics',
          label: 'Topics',
          kind: 'multipleChoice',
          required: false,
          options: [
            { value: 'sleep', label: 'Sleep' },
            { value: 'work', label: 'Work' },
          ],
        },
        {
          id: 'attest',
          label: 'Attestation',
          kind: 'checklist',
          required: true,
          items: [
            { value: 'identity', label: 'Identity verified' },
            { value: 'location', label: 'Client location confirmed' },
          ],
        },
        {
          id: 'mood',
          label: 'Mood rating',
          kind: 'scale',
          required: false,
          min: 0,
          max: 10,
          minLabel: 'Worst',
          maxLabel: 'Best',
        },
        { id: 'onset', label: 'Onset date', kind: 'date', required: false },
        {
          id: 'hours',
          label: 'Hours slept',
          kind: 'number',
          required: false,
          min: 0,
          max: 24,
          integer: true,
        },
      ],
    },
    {
      id: 'clinical',
      title: 'Clinical',
      fields: [
        { id: 'risk', label: 'Risk assessment', kind: 'riskAssessment', required: false },
        { id: 'mse', label: 'Mental status exam', kind: 'mentalStatusExam', required: false },
        { id: 'interventions', label: 'Interventions used', kind: 'interventions', required: false },
      ],
    },
  ],
};

function mustGet(key: string): TemplateDefinition {
  const t = builtInTemplate(key);
  if (!t) throw new Error(`no built-in ${key}`);
  return t;
}
const soap = mustGet('builtin.progress.soap');

function fieldsIn(t: { sections: readonly { fields: readonly { id: string; kind: string }[] }[] }) {
  return t.sections.flatMap((s) => s.fields);
}

/** A mental status exam with only the given domains filled. */
function mseWith(filled: Partial<MentalStatusExamValue>): MentalStatusExamValue {
  const mse = Object.fromEntries(MSE_DOMAINS.map((d) => [d, ''])) as MentalStatusExamValue;
  return { ...mse, ...filled };
}

/** A complete, signable SOAP note with no raised risk. */
function completeSoap(): NoteContent {
  return {
    ...emptyContent(soap),
    subjective: 'Reports better sleep.',
    objective: 'Calm, engaged.',
    assessment: 'Improving.',
    clientResponse: 'Practised the skill well.',
    risk: {
      suicidalIdeation: 'none',
      homicidalIdeation: 'none',
      selfHarm: 'none',
      safetyPlan: '',
      notes: '',
    },
    interventions: { selected: ['cognitive_restructuring'], other: '' },
    plan: 'Continue weekly.',
  };
}

describe('built-in templates', () => {
  it('all pass the template builder validation, including the psychotherapy template body', () => {
    for (const t of BUILT_IN_TEMPLATES) {
      const result = validateTemplateDefinition(t);
      expect(result.ok ? [] : result.errors, t.key).toEqual([]);
    }
    const asProgress = { ...PSYCHOTHERAPY_TEMPLATE, kind: 'contact' };
    expect(validateTemplateDefinition(asProgress).ok).toBe(true);
  });

  it('cover every progress format and every other note kind, reachable by their default key', () => {
    for (const format of PROGRESS_FORMATS) {
      const t = builtInTemplate(defaultTemplateKey('progress', format));
      expect(t?.format).toBe(format);
      expect(t?.kind).toBe('progress');
    }
    for (const kind of NOTE_KINDS) expect(builtInTemplate(defaultTemplateKey(kind))?.kind).toBe(kind);
    expect(defaultTemplateKey('progress')).toBe('builtin.progress.soap');
    expect(builtInTemplate('builtin.nope')).toBeUndefined();
    expect(new Set(BUILT_IN_TEMPLATES.map((t) => t.key)).size).toBe(BUILT_IN_TEMPLATES.length);
  });

  it('give every progress note the facts auditors look for, with the same ids in every format', () => {
    for (const t of BUILT_IN_TEMPLATES.filter((x) => x.kind === 'progress')) {
      const byId = new Map(fieldsIn(t).map((f) => [f.id, f]));
      expect(byId.get('interventions')?.kind, t.key).toBe('interventions');
      expect(byId.get('risk')?.kind, t.key).toBe('riskAssessment');
      for (const id of ['clientResponse', 'homework', 'plan'])
        expect(byId.get(id)?.kind, t.key).toBe('longText');
      expect(byId.get('nextAppointment')?.kind, t.key).toBe('text');
    }
  });

  it('follow each format’s own sections', () => {
    const titles = (key: string) => mustGet(key).sections.map((s) => s.title);
    expect(titles('builtin.progress.soap')).toEqual(['Subjective', 'Objective', 'Assessment', 'Plan']);
    expect(titles('builtin.progress.dap')).toEqual(['Data', 'Assessment', 'Plan']);
    expect(titles('builtin.progress.birp')).toEqual([
      'Behavior',
      'Intervention',
      'Response',
      'Risk assessment',
      'Plan',
    ]);
    expect(titles('builtin.progress.girp')[0]).toBe('Goal');
    expect(titles('builtin.progress.pirp')[0]).toBe('Problem');
  });

  it('give the intake assessment its history, mental status, risk and impressions', () => {
    const ids = fieldsIn(mustGet('builtin.intake')).map((f) => f.id);
    for (const id of [
      'presentingProblem',
      'historyOfPresentingProblem',
      'psychiatricHistory',
      'medicalHistory',
      'socialHistory',
      'substanceUseHistory',
      'mse',
      'risk',
      'diagnosticImpressions',
      'recommendations',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('keep session facts and diagnoses out of templates: they live on the note', () => {
    for (const t of [...BUILT_IN_TEMPLATES, PSYCHOTHERAPY_TEMPLATE]) {
      for (const f of fieldsIn(t))
        expect(f.id).not.toMatch(/^(date|start|end|minutes|modality|cpt|diagnos(is|es))/i);
    }
  });

  it('are frozen, so no request can change them for the next', () => {
    expect(Object.isFrozen(soap.sections[0]?.fields[0])).toBe(true);
    expect(Object.isFrozen(BUILT_IN_TEMPLATES)).toBe(true);
  });

  it('offer pick lists for every mental status domain and distinct intervention values', () => {
    for (const d of MSE_DOMAINS) expect(MSE_OPTIONS[d].length).toBeGreaterThan(0);
    const values = INTERVENTION_OPTIONS.map((o) => o.value);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('validateTemplateDefinition', () => {
  const withFields = (fields: unknown[]): unknown => ({
    ...everyKind,
    sections: [{ id: 'main', title: 'Main', fields }],
  });
  const paths = (def: unknown): string[] => {
    const r = validateTemplateDefinition(def);
    return r.ok ? [] : r.errors.map((e) => e.path);
  };

  it('accepts a template using every field kind', () => {
    expect(validateTemplateDefinition(everyKind)).toMatchObject({ ok: true });
  });

  it('refuses duplicate field ids across sections, at the second one', () => {
    const def = {
      ...everyKind,
      sections: [
        { id: 'a', title: 'A', fields: [{ id: 'x', label: 'X', kind: 'text', required: false }] },
        { id: 'b', title: 'B', fields: [{ id: 'x', label: 'X again', kind: 'text', required: false }] },
      ],
    };
    expect(validateTemplateDefinition(def)).toEqual({
      ok: false,
      errors: [{ path: 'sections.1.fields.0.id', message: 'Another field has this id' }],
    });
  });

  it('refuses duplicate section ids', () => {
    const field = { id: 'x', label: 'X', kind: 'text', required: false };
    const def = {
      ...everyKind,
      sections: [
        { id: 'a', title: 'A', fields: [field] },
        { id: 'a', title: 'B', fields: [{ ...field, id: 'y' }] },
      ],
    };
    expect(paths(def)).toEqual(['sections.1.id']);
  });

  it('refuses empty and repeated option lists', () => {
    expect(
      paths(withFields([{ id: 'c', label: 'C', kind: 'singleChoice', required: true, options: [] }])),
    ).toEqual(['sections.0.fields.0.options']);
    const repeated = [
      { value: 'a', label: 'A' },
      { value: 'a', label: 'B' },
      { value: 'c', label: 'b' },
    ];
    expect(
      paths(withFields([{ id: 'c', label: 'C', kind: 'checklist', required: true, items: repeated }])),
    ).toEqual(['sections.0.fields.0.items.1.value', 'sections.0.fields.0.items.2.label']);
  });

  it('refuses a scale whose lowest value is not below its highest', () => {
    for (const [min, max] of [
      [5, 5],
      [7, 1],
    ]) {
      expect(paths(withFields([{ id: 's', label: 'S', kind: 'scale', required: true, min, max }]))).toEqual([
        'sections.0.fields.0.max',
      ]);
    }
  });

  it('refuses an unknown field kind and unknown properties', () => {
    const r = validateTemplateDefinition(
      withFields([{ id: 'x', label: 'X', kind: 'signature', required: true }]),
    );
    expect(r).toMatchObject({ ok: false, errors: [{ path: 'sections.0.fields.0.kind' }] });
    if (!r.ok) expect(r.errors[0]?.message).toContain('longText');
    expect(paths(withFields([{ id: 'x', label: 'X', kind: 'text', required: true, colour: 'red' }]))).toEqual(
      ['sections.0.fields.0.colour'],
    );
  });

  it('refuses bad ids, long labels, a missing format and too many sections or fields', () => {
    expect(paths(withFields([{ id: 'Bad id', label: 'X', kind: 'text', required: true }]))).toEqual([
      'sections.0.fields.0.id',
    ]);
    expect(paths(withFields([{ id: 'x', label: 'L'.repeat(201), kind: 'text', required: true }]))).toEqual([
      'sections.0.fields.0.label',
    ]);
    expect(paths({ ...everyKind, kind: 'progress', format: null })).toEqual(['format']);
    expect(paths({ ...everyKind, format: 'soap' })).toEqual(['format']);
    expect(paths({ ...everyKind, kind: 'letter' })).toEqual(['kind']);
    const many = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({
        id: `${prefix}${i}`,
        label: 'F',
        kind: 'text',
        required: false,
      }));
    const sections = Array.from({ length: 31 }, (_, i) => ({
      id: `s${i}`,
      title: 'S',
      fields: many(1, `s${i}f`),
    }));
    expect(paths({ ...everyKind, sections })).toEqual(['sections']);
    const crowded = Array.from({ length: 3 }, (_, i) => ({
      id: `s${i}`,
      title: 'S',
      fields: many(70, `s${i}f`),
    }));
    expect(paths({ ...everyKind, sections: crowded })).toEqual(['sections']);
  });
});

describe('contentSchemaFor (drafts)', () => {
  const schema = contentSchemaFor(everyKind);

  it('accepts an empty draft and fills missing fields with their empty values', () => {
    expect(schema.parse({})).toEqual(emptyContent(everyKind));
    expect(schema.parse({ risk: { suicidalIdeation: 'low' } })).toMatchObject({
      risk: { suicidalIdeation: 'low', homicidalIdeation: null, safetyPlan: '' },
    });
  });

  it('refuses unknown field ids', () => {
    const r = schema.safeParse({ shortText: 'x', diagnosis: 'F32.1' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['diagnosis'] });
  });

  it.each([
    ['shortText', 42],
    ['shortText', 'x'.repeat(20_001)],
    ['notes', 'x'.repeat(100_001)],
    ['mode', 'letter'],
    ['topics', ['sleep', 'sleep']],
    ['topics', 'sleep'],
    ['attest', ['unknown']],
    ['mood', 11],
    ['mood', 2.5],
    ['onset', '2025-02-30'],
    ['onset', '31/01/2025'],
    ['hours', 25],
    ['hours', 1.5],
    ['risk', { suicidalIdeation: 'severe' }],
    ['risk', { suicidalIdeation: 'none', plan: 'x' }],
    ['mse', { appearance: 1 }],
    ['mse', { hairColour: 'brown' }],
    ['interventions', { selected: ['astrology'], other: '' }],
    ['interventions', ['cognitive_restructuring']],
  ])('refuses %s = %j', (id, value) => {
    const r = schema.safeParse({ [id]: value });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path[0]).toBe(id);
  });

  it('accepts well-formed values of every kind', () => {
    const draft = {
      shortText: 'x'.repeat(20_000),
      notes: 'Long\nnotes',
      mode: 'video',
      topics: ['work', 'sleep'],
      attest: ['identity'],
      mood: 10,
      onset: '2024-02-29',
      hours: 7,
      risk: { suicidalIdeation: 'low', homicidalIdeation: 'none', selfHarm: null, safetyPlan: '', notes: '' },
      mse: { mood: 'Anxious' },
      interventions: { selected: ['mindfulness'], other: 'Breathing' },
    };
    expect(schema.safeParse(draft).success).toBe(true);
  });

  it('accepts the empty content of every built-in template', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BUILT_IN_TEMPLATES, PSYCHOTHERAPY_TEMPLATE), (t) => {
        expect(contentSchemaFor(t).parse(emptyContent(t))).toEqual(emptyContent(t));
      }),
    );
  });
});

describe('completenessProblems (signing)', () => {
  it('passes a complete note', () => {
    expect(completenessProblems(soap, completeSoap())).toEqual([]);
  });

  it('names each required field left blank, in words a clinician understands', () => {
    const problems = completenessProblems(soap, { ...completeSoap(), plan: '   ', subjective: '' });
    expect(problems).toEqual([
      { path: 'subjective', message: "Enter the client's report" },
      { path: 'plan', message: 'Enter the plan' },
    ]);
  });

  it('requires every risk level of a required risk block', () => {
    const problems = completenessProblems(soap, { ...completeSoap(), risk: emptyContent(soap).risk });
    expect(problems).toEqual([
      { path: 'risk.suicidalIdeation', message: 'Choose a level for suicidal ideation' },
      { path: 'risk.homicidalIdeation', message: 'Choose a level for homicidal ideation' },
      { path: 'risk.selfHarm', message: 'Choose a level for self-harm' },
    ]);
  });

  it('requires a safety plan when any risk is above none', () => {
    const risk = {
      suicidalIdeation: 'none',
      homicidalIdeation: 'none',
      selfHarm: 'low',
      safetyPlan: ' ',
      notes: '',
    };
    expect(completenessProblems(soap, { ...completeSoap(), risk } as NoteContent)).toEqual([
      { path: 'risk.safetyPlan', message: 'A safety plan is required when any risk is above none' },
    ]);
    const planned = { ...risk, safetyPlan: 'Call the crisis line; remove means.' };
    expect(completenessProblems(soap, { ...completeSoap(), risk: planned } as NoteContent)).toEqual([]);
  });

  it('applies the safety-plan rule to optional risk blocks too', () => {
    const risk = {
      suicidalIdeation: 'high',
      homicidalIdeation: 'none',
      selfHarm: 'none',
      safetyPlan: '',
      notes: '',
    };
    const content = { shortText: 'x', mode: 'phone', attest: ['identity', 'location'], risk } as NoteContent;
    expect(completenessProblems(everyKind, content).map((p) => p.path)).toEqual(['risk.safetyPlan']);
  });

  it('requires every item of a required checklist, a choice, and interventions when required', () => {
    const problems = completenessProblems(everyKind, { attest: ['identity'] });
    expect(problems).toEqual([
      { path: 'shortText', message: 'Enter the short text' },
      { path: 'mode', message: 'Choose the mode' },
      { path: 'attest', message: 'Confirm: Client location confirmed' },
    ]);
    const noInterventions = { ...completeSoap(), interventions: { selected: [], other: ' ' } };
    expect(completenessProblems(soap, noInterventions)).toEqual([
      {
        path: 'interventions.selected',
        message: 'Choose at least one intervention or describe what you did',
      },
    ]);
    const otherOnly = { ...completeSoap(), interventions: { selected: [], other: 'Sand tray' } };
    expect(completenessProblems(soap, otherOnly)).toEqual([]);
  });

  it('requires every domain of a required mental status exam', () => {
    const intake = mustGet('builtin.intake');
    const mse = mseWith({ appearance: 'Well groomed' });
    const problems = completenessProblems(intake, { ...emptyContent(intake), mse }).filter((p) =>
      p.path.startsWith('mse.'),
    );
    expect(problems).toHaveLength(MSE_DOMAINS.length - 1);
    expect(problems[0]).toEqual({ path: 'mse.behavior', message: 'Mental status exam: describe behavior' });
  });

  it('reports content of the wrong shape instead of signing it', () => {
    const wrong: Record<string, unknown> = { ...completeSoap(), plan: 7 };
    const problems = completenessProblems(soap, wrong as NoteContent);
    expect(problems.map((p) => p.path)).toEqual(['plan']);
  });
});

describe('renderSections', () => {
  it('shows labels for choices, the risk block as text, and omits empty optional fields', () => {
    const content = contentSchemaFor(everyKind).parse({
      shortText: ' Hello ',
      mode: 'video',
      topics: ['work', 'sleep'],
      attest: ['identity'],
      mood: 6,
      hours: 0,
      risk: { suicidalIdeation: 'low', homicidalIdeation: 'none', selfHarm: null, safetyPlan: 'Crisis line' },
      interventions: { selected: ['dbt_skills', 'mindfulness'], other: 'Sand tray' },
    });
    expect(renderSections(everyKind, content)).toEqual([
      {
        title: 'Main',
        lines: [
          { fieldId: 'shortText', label: 'Short text', text: 'Hello' },
          { fieldId: 'mode', label: 'Mode', text: 'Video call' },
          { fieldId: 'topics', label: 'Topics', text: 'Work; Sleep' },
          { fieldId: 'attest', label: 'Attestation', text: 'Identity verified' },
          { fieldId: 'mood', label: 'Mood rating', text: '6 (scale 0 = Worst to 10 = Best)' },
          { fieldId: 'hours', label: 'Hours slept', text: '0' },
        ],
      },
      {
        title: 'Clinical',
        lines: [
          {
            fieldId: 'risk',
            label: 'Risk assessment',
            text: 'Suicidal ideation: Low\nHomicidal ideation: None\nSelf-harm: Not assessed\nSafety plan: Crisis line',
          },
          {
            fieldId: 'interventions',
            label: 'Interventions used',
            text: 'DBT skills training; Mindfulness; Other: Sand tray',
          },
        ],
      },
    ]);
  });

  it('marks an empty required field and drops sections with nothing to show', () => {
    const rendered = renderSections(soap, { ...emptyContent(soap), subjective: 'Slept badly.' });
    expect(rendered[0]).toEqual({
      title: 'Subjective',
      lines: [{ fieldId: 'subjective', label: "Client's report", text: 'Slept badly.' }],
    });
    expect(rendered[1]?.lines[0]?.text).toBe('Not documented');
    const optionalOnly = renderSections(everyKind, emptyContent(everyKind));
    expect(optionalOnly.map((s) => s.title)).toEqual(['Main']);
  });

  it('renders a mental status exam one domain a line', () => {
    const intake = mustGet('builtin.intake');
    const mse = mseWith({ mood: 'Anxious', affect: 'Constricted' });
    const line = renderSections(intake, { ...emptyContent(intake), mse })
      .flatMap((s) => s.lines)
      .find((l) => l.fieldId === 'mse');
    expect(line?.text).toBe('Mood: Anxious\nAffect: Constricted');
  });
});

describe('copyForward', () => {
  it('copies filled fields but never risk or mental status, and says which were copied', () => {
    const previous = {
      ...completeSoap(),
      homework: 'Thought record daily',
      risk: {
        suicidalIdeation: 'low',
        homicidalIdeation: 'none',
        selfHarm: 'none',
        safetyPlan: 'Plan',
        notes: '',
      },
    } as NoteContent;
    const { content, copiedFieldIds } = copyForward(soap, previous);
    expect(copiedFieldIds).toEqual([
      'subjective',
      'objective',
      'assessment',
      'clientResponse',
      'interventions',
      'plan',
      'homework',
    ]);
    expect(content.risk).toEqual(emptyContent(soap).risk);
    expect(content.homework).toBe('Thought record daily');
    expect(content.nextAppointment).toBe('');
    expect(contentSchemaFor(soap).safeParse(content).success).toBe(true);
  });

  it('leaves the mental status exam blank', () => {
    const intake = mustGet('builtin.intake');
    const mse = mseWith({ mood: 'Low' });
    const { content, copiedFieldIds } = copyForward(intake, {
      ...emptyContent(intake),
      mse,
      medicalHistory: 'Asthma',
    });
    expect(copiedFieldIds).toEqual(['medicalHistory']);
    expect(content.mse).toEqual(emptyContent(intake).mse);
  });

  it('skips values that no longer fit the template and fields it does not have', () => {
    const previous = {
      mode: 'fax',
      topics: ['sleep'],
      retired: 'old field',
      shortText: 'Kept',
      mse: { mood: 'Low' },
    } as unknown as NoteContent;
    const { content, copiedFieldIds } = copyForward(everyKind, previous);
    expect(copiedFieldIds).toEqual(['shortText', 'topics']);
    expect(content).not.toHaveProperty('retired');
    expect(content.mode).toBeNull();
  });

  it('does not share arrays or objects with the previous note', () => {
    const previous = completeSoap();
    const { content } = copyForward(soap, previous);
    expect(content.interventions).toEqual(previous.interventions);
    expect(content.interventions).not.toBe(previous.interventions);
  });
});
