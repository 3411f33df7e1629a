import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_TEMPLATES,
  FIELD_KINDS,
  validateTemplateDefinition,
} from '../../../../src/domain/noteTemplates.js';
import {
  FIELD_KIND_CHOICES,
  camelId,
  describePath,
  draftPath,
  draftProblems,
  emptyTemplate,
  fromDefinition,
  move,
  newField,
  newSection,
  optionValue,
  relabelField,
  relabelOption,
  renameSection,
  toDefinition,
  uniqueName,
  updateField,
  type DraftTemplate,
} from './builderModel.js';

function withSection(t: DraftTemplate): DraftTemplate {
  return { ...t, sections: [...t.sections, newSection(t)] };
}

function addField(t: DraftTemplate, si: number, kind: (typeof FIELD_KINDS)[number]): DraftTemplate {
  const f = newField(t, kind);
  return { ...t, sections: t.sections.map((s, i) => (i === si ? { ...s, fields: [...s.fields, f] } : s)) };
}

describe('ids from labels', () => {
  it('makes lower camel case ids the server accepts', () => {
    expect(camelId('Mood today')).toBe('moodToday');
    expect(camelId('  Sleep (hours/night) ')).toBe('sleepHoursNight');
    expect(camelId('Café visits')).toBe('cafeVisits');
    expect(camelId('3 goals')).toBe('field3Goals');
    expect(camelId('!!!')).toBe('field');
    expect(camelId('x'.repeat(80))).toHaveLength(36);
    for (const label of ['Mood today', '3 goals', '', 'ÄÖÜ', 'a-b_c d', 'x'.repeat(80)])
      expect(camelId(label)).toMatch(/^[a-z][a-zA-Z0-9_]{0,39}$/);
  });

  it('makes option values the server accepts', () => {
    expect(optionValue('Much better!')).toBe('much_better');
    expect(optionValue('')).toBe('option');
    expect(optionValue('10 or more')).toMatch(/^[a-z0-9][a-z0-9_-]{0,59}$/);
  });

  it('numbers a name that is taken', () => {
    expect(uniqueName('mood', new Set())).toBe('mood');
    expect(uniqueName('mood', new Set(['mood', 'mood2']))).toBe('mood3');
  });

  it('keeps a field id in step with its label until the user edits the id, and unique across sections', () => {
    let t = withSection(withSection(emptyTemplate()));
    t = addField(t, 0, 'longText');
    t = addField(t, 1, 'longText');
    const [a, b] = [t.sections[0]?.fields[0], t.sections[1]?.fields[0]];
    if (!a || !b) throw new Error('fields missing');
    t = relabelField(t, a.uid, 'Mood today');
    t = relabelField(t, b.uid, 'Mood today');
    expect(t.sections[0]?.fields[0]?.id).toBe('moodToday');
    expect(t.sections[1]?.fields[0]?.id).toBe('moodToday2');
    t = updateField(t, a.uid, (f) => ({ ...f, id: 'mood', idTouched: true }));
    t = relabelField(t, a.uid, 'Mood this week');
    expect(t.sections[0]?.fields[0]?.id).toBe('mood');
  });

  it('renames a section id with its title, and option values with their text', () => {
    let t = withSection(emptyTemplate());
    const s = t.sections[0];
    if (!s) throw new Error('no section');
    t = renameSection(t, s.uid, 'Presenting problem');
    expect(t.sections[0]?.id).toBe('presentingProblem');
    t = addField(t, 0, 'singleChoice');
    const f = t.sections[0]?.fields[0];
    if (!f) throw new Error('no field');
    const o = f.options[1];
    if (!o) throw new Error('no option');
    const changed = relabelOption(f, o.uid, 'Option 1');
    // The first option already has option_1, so the renamed second one gets a distinct value.
    expect(changed.options.map((x) => x.value)).toEqual(['option_1', 'option_12']);
  });
});

describe('move', () => {
  it('moves one place and ignores moves off either end', () => {
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('draft to definition', () => {
  it('offers every field kind the server knows', () => {
    expect(FIELD_KIND_CHOICES.map((k) => k.value).sort()).toEqual([...FIELD_KINDS].sort());
  });

  it('builds a definition with one field of every kind that the server schema accepts', () => {
    let t: DraftTemplate = { ...withSection(emptyTemplate()), name: 'Everything' };
    for (const kind of FIELD_KINDS) t = addField(t, 0, kind);
    expect(draftProblems(t)).toEqual({});
    const def = toDefinition(t, 1);
    const result = validateTemplateDefinition(def);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(def.sections[0]?.fields.map((f) => f.kind)).toEqual([...FIELD_KINDS]);
  });

  it('round-trips every built-in template unchanged', () => {
    for (const builtIn of BUILT_IN_TEMPLATES) {
      const back = toDefinition(fromDefinition(builtIn), builtIn.version);
      expect(back).toEqual(JSON.parse(JSON.stringify(builtIn)));
    }
  });

  it('sends no format for a kind other than progress', () => {
    const t: DraftTemplate = { ...withSection(emptyTemplate()), kind: 'intake', format: 'soap' };
    expect(toDefinition(t, 1).format).toBeNull();
  });
});

describe('problems found before sending', () => {
  it('reports each at the path the server would use', () => {
    let t = withSection(emptyTemplate());
    expect(Object.keys(draftProblems(emptyTemplate()))).toEqual(['name', 'sections']);
    expect(draftProblems(t)).toMatchObject({ 'sections.0.fields': 'Add at least one field' });
    t = addField(t, 0, 'scale');
    t = addField(t, 0, 'checklist');
    const [scale, list] = t.sections[0]?.fields ?? [];
    if (!scale || !list) throw new Error('fields missing');
    t = updateField(t, scale.uid, (f) => ({ ...f, min: '', max: '2.5', label: ' ' }));
    t = updateField(t, list.uid, (f) => ({ ...f, options: [] }));
    expect(draftProblems(t)).toEqual({
      name: 'Enter a name for the template',
      'sections.0.fields.0.label': 'Enter a label',
      'sections.0.fields.0.min': 'Enter the lowest value as a whole number',
      'sections.0.fields.0.max': 'Enter the highest value as a whole number',
      'sections.0.fields.1.items': 'Add at least one option',
    });
  });

  it('maps server paths onto the draft and names them for the error summary', () => {
    expect(draftPath('definition.sections.1.fields.0.id')).toBe('sections.1.fields.0.id');
    expect(draftPath('body.definition.name')).toBe('name');
    expect(draftPath('definition')).toBe('');
    let t = withSection(withSection(emptyTemplate()));
    t = addField(t, 1, 'singleChoice');
    const f = t.sections[1]?.fields[0];
    if (!f) throw new Error('no field');
    t = relabelField(t, f.uid, 'Mood');
    expect(describePath(t, 'sections.1.fields.0.id')).toBe('Section 2 (Section 2) › field 1 (Mood) › id');
    expect(describePath(t, 'sections.1.fields.0.options.1.value')).toBe(
      'Section 2 (Section 2) › field 1 (Mood) › option 2 value',
    );
    expect(describePath(t, 'name')).toBe('Template name');
  });
});
