import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_TEMPLATES,
  INTERVENTION_OPTIONS,
  MSE_DOMAIN_LABELS,
  MSE_DOMAINS,
  MSE_OPTIONS,
  RISK_ITEM_LABELS,
  RISK_ITEMS,
  RISK_LEVEL_LABELS,
  RISK_LEVELS,
  emptyContent,
  renderSections,
  type TemplateDefinition,
} from '../../../../src/domain/noteTemplates.js';
import type { NoteOptions } from '../../api/notesApi.js';
import { changedFieldTexts, isRiskRaised, readableSections, riskOf } from './noteContent.js';

// The test (never the bundle) builds the options from the server's constants, as the API does.
const OPTIONS: NoteOptions = {
  interventions: INTERVENTION_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
  mseDomains: MSE_DOMAINS.map((domain) => ({
    domain,
    label: MSE_DOMAIN_LABELS[domain],
    options: [...MSE_OPTIONS[domain]],
  })),
  riskLevels: RISK_LEVELS.map((value) => ({ value, label: RISK_LEVEL_LABELS[value] })),
  riskItems: RISK_ITEMS.map((value) => ({ value, label: RISK_ITEM_LABELS[value] })),
  serviceTypes: [],
  modalities: [],
};

function template(key: string): TemplateDefinition {
  const t = BUILT_IN_TEMPLATES.find((x) => x.key === key);
  if (!t) throw new Error(`no template ${key}`);
  return t;
}

const SOAP = template('builtin.progress.soap');

const FILLED = {
  ...emptyContent(SOAP),
  subjective: 'Slept five hours a night.',
  objective: 'On time; affect anxious.',
  assessment: '',
  risk: {
    suicidalIdeation: 'low',
    homicidalIdeation: 'none',
    selfHarm: 'none',
    safetyPlan: 'Call the crisis line.',
    notes: '',
  },
  interventions: { selected: ['cognitive_restructuring', 'not_in_the_list_any_more'], other: 'Breathing' },
  plan: '  Weekly CBT.  ',
};

describe('reading a note in the browser', () => {
  it('renders every built-in template exactly as the server renders it for the PDF', () => {
    for (const t of BUILT_IN_TEMPLATES) {
      const blank = emptyContent(t);
      expect(readableSections(t, blank, OPTIONS), t.key).toEqual(
        renderSections(t, blank).map((s) => ({ title: s.title, lines: s.lines })),
      );
    }
    expect(readableSections(SOAP, FILLED, OPTIONS)).toEqual(
      renderSections(SOAP, FILLED as never).map((s) => ({ title: s.title, lines: s.lines })),
    );
  });

  it('shows risk levels, a stored intervention no longer listed, and "Not documented" for an empty required field', () => {
    const sections = readableSections(SOAP, FILLED, OPTIONS);
    const lines = sections.flatMap((s) => s.lines);
    expect(lines.find((l) => l.fieldId === 'risk')?.text).toBe(
      'Suicidal ideation: Low\nHomicidal ideation: None\nSelf-harm: None\nSafety plan: Call the crisis line.',
    );
    expect(lines.find((l) => l.fieldId === 'interventions')?.text).toBe(
      'Cognitive restructuring; not_in_the_list_any_more; Other: Breathing',
    );
    expect(lines.find((l) => l.fieldId === 'assessment')?.text).toBe('Not documented');
    expect(lines.find((l) => l.fieldId === 'plan')?.text).toBe('Weekly CBT.');
    expect(lines.some((l) => l.fieldId === 'homework')).toBe(false);
  });

  it('requires a safety plan as soon as any risk is above none', () => {
    expect(isRiskRaised(riskOf(FILLED.risk), OPTIONS.riskItems)).toBe(true);
    expect(
      isRiskRaised(
        riskOf({ suicidalIdeation: 'none', homicidalIdeation: 'none', selfHarm: 'none' }),
        OPTIONS.riskItems,
      ),
    ).toBe(false);
    expect(isRiskRaised(riskOf(undefined), OPTIONS.riskItems)).toBe(false);
    expect(riskOf({ suicidalIdeation: 'extreme', safetyPlan: 3 })).toEqual({
      suicidalIdeation: null,
      homicidalIdeation: null,
      selfHarm: null,
      safetyPlan: '',
      notes: '',
    });
  });

  it('lists only the fields typed here that differ from the stored version, for "Copy my text"', () => {
    const stored = { ...FILLED, subjective: 'Saved elsewhere.' };
    const local = { ...FILLED, plan: 'Typed in this tab.' };
    expect(changedFieldTexts(SOAP, local, stored, OPTIONS)).toEqual([
      { fieldId: 'subjective', label: "Client's report", text: 'Slept five hours a night.' },
      { fieldId: 'plan', label: 'Plan', text: 'Typed in this tab.' },
    ]);
    expect(changedFieldTexts(SOAP, FILLED, FILLED, OPTIONS)).toEqual([]);
  });
});
