import { describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, type TemplateDefinition } from '../../../../src/domain/noteTemplates.js';
import type { NoteView } from '../../api/notesApi.js';
import {
  draftFromNote,
  errorsByControl,
  factsInput,
  overrideInput,
  saveBody,
  withoutCopiedMark,
  type FactsDraft,
} from './draftModel.js';

const SOAP = BUILT_IN_TEMPLATES.find((t) => t.key === 'builtin.progress.soap') as TemplateDefinition;
const TZ = 'America/Chicago';

function noteView(overrides: Partial<NoteView> = {}): NoteView {
  return {
    id: 'n1',
    clientId: 'c1',
    sessionId: 's1',
    authorId: 'u1',
    authorName: 'Casey Clinician',
    kind: 'progress',
    format: 'soap',
    templateKey: SOAP.key,
    templateVersion: 1,
    template: SOAP,
    status: 'draft',
    dateOfService: '2026-03-02',
    sessionFacts: {
      serviceType: 'individual',
      start: '2026-03-02T16:00:00.000Z',
      end: '2026-03-02T16:53:00.000Z',
      minutes: 53,
      modality: 'video',
      location: null,
      clientAtHome: true,
      placeOfService: '10',
      participants: ['Client', 'Mother'],
      interactiveComplexity: false,
      cpt: [{ code: '90837', units: 1, modifiers: ['95'] }],
      cptSuggested: [{ code: '90837', units: 1, modifiers: ['95'] }],
      cptReason: '53 minutes of individual psychotherapy',
      cptOverrideReason: null,
    },
    diagnoses: [{ code: 'F41.1', title: 'Generalized anxiety disorder' }],
    content: { subjective: 'Copied text', plan: '' },
    copiedFields: ['subjective', 'homework'],
    dueAt: null,
    lateEntry: false,
    requiresCosign: false,
    cosignerId: null,
    signature: null,
    cosignature: null,
    returned: null,
    contentHash: null,
    history: [],
    addenda: [],
    version: 4,
    createdAt: '2026-03-02T17:00:00.000Z',
    updatedAt: '2026-03-02T17:05:00.000Z',
    can: { edit: true, sign: true, cosign: false, returnToAuthor: false, addAddendum: false },
    ...overrides,
  };
}

describe('the draft the editor holds', () => {
  it('shows the session times on the practice clock and sends them back unchanged', () => {
    const draft = draftFromNote(noteView(), TZ);
    expect(draft.facts).toMatchObject({
      startLocal: '2026-03-02T10:00',
      endLocal: '2026-03-02T10:53',
      modality: 'video',
      participantsText: 'Client, Mother',
      override: null,
    });
    expect(factsInput(draft.facts, TZ)).toEqual({
      start: '2026-03-02T16:00:00.000Z',
      end: '2026-03-02T16:53:00.000Z',
      modality: 'video',
      location: null,
      clientAtHome: true,
      participants: ['Client', 'Mother'],
      interactiveComplexity: false,
      cptOverride: null,
    });
  });

  it('sends only the parts that changed, and the date of service only for a note without a session', () => {
    const draft = { ...draftFromNote(noteView(), TZ), dateOfService: '2026-03-03' };
    expect(saveBody(draft, ['content'], { timeZone: TZ, standalone: false })).toEqual({
      content: { subjective: 'Copied text', plan: '' },
    });
    expect(saveBody(draft, ['diagnosisCodes', 'dateOfService'], { timeZone: TZ, standalone: false })).toEqual(
      {
        diagnosisCodes: ['F41.1'],
      },
    );
    expect(saveBody(draft, ['dateOfService', 'copiedFields'], { timeZone: TZ, standalone: true })).toEqual({
      dateOfService: '2026-03-03',
      copiedFields: ['subjective', 'homework'],
    });
    expect(
      saveBody({ ...draft, dateOfService: '' }, ['dateOfService'], { timeZone: TZ, standalone: true }),
    ).toEqual({});
  });

  it('holds back an override until it has codes, units, modifiers and a reason the server accepts', () => {
    const base: NonNullable<FactsDraft['override']> = {
      codes: [{ code: '90834', units: '1', modifiers: '95, gt' }],
      reason: '',
    };
    expect(overrideInput(base)).toEqual({ ok: false, message: 'Give the reason for overriding the code' });
    expect(
      overrideInput({ ...base, codes: [{ code: ' ', units: '1', modifiers: '' }], reason: 'Payer rule' }),
    ).toEqual({
      ok: false,
      message: 'Enter at least one CPT code',
    });
    expect(
      overrideInput({ ...base, codes: [{ code: '90834', units: '0', modifiers: '' }], reason: 'Payer rule' })
        .ok,
    ).toBe(false);
    expect(
      overrideInput({ ...base, codes: [{ code: '90834', units: '1', modifiers: '9' }], reason: 'Payer rule' })
        .ok,
    ).toBe(false);
    expect(overrideInput({ ...base, reason: ' Payer rule ' })).toEqual({
      ok: true,
      value: { codes: [{ code: '90834', units: 1, modifiers: ['95', 'GT'] }], reason: 'Payer rule' },
    });
    const facts = draftFromNote(noteView(), TZ).facts;
    expect('cptOverride' in factsInput({ ...facts, override: base }, TZ)).toBe(false);
    expect(factsInput({ ...facts, override: { ...base, reason: 'Payer rule' } }, TZ).cptOverride).toEqual({
      codes: [{ code: '90834', units: 1, modifiers: ['95', 'GT'] }],
      reason: 'Payer rule',
    });
  });

  it('reads an existing override back into the form', () => {
    const n = noteView();
    const draft = draftFromNote(
      noteView({
        sessionFacts: {
          ...n.sessionFacts,
          cpt: [{ code: '90834', units: 2, modifiers: ['95'] }],
          cptOverrideReason: 'Payer',
        },
      }),
      TZ,
    );
    expect(draft.facts.override).toEqual({
      codes: [{ code: '90834', units: '2', modifiers: '95' }],
      reason: 'Payer',
    });
  });

  it('drops the copied mark of an edited field only', () => {
    const draft = draftFromNote(noteView(), TZ);
    expect(withoutCopiedMark(draft, 'subjective').copiedFields).toEqual(['homework']);
    expect(withoutCopiedMark(draft, 'plan')).toBe(draft);
  });

  it('puts each problem from signing beside the control it is about', () => {
    expect(
      errorsByControl(
        [
          { path: 'content.plan', message: 'Enter the plan' },
          { path: 'content.risk.safetyPlan', message: 'A safety plan is required' },
          { path: 'content.interventions.selected', message: 'Choose at least one intervention' },
          { path: 'content.subjective.0', message: 'Too long' },
          { path: 'diagnosisCodes.1', message: 'F41 is a category heading' },
          { path: 'diagnosisCodes', message: 'A billable session needs at least one diagnosis' },
          { path: 'sessionFacts.cptOverride.reason', message: 'Give the reason' },
          { path: 'content.nosuch', message: 'This template has no such field' },
        ],
        SOAP,
      ),
    ).toEqual({
      'content.plan': 'Enter the plan',
      'content.risk.safetyPlan': 'A safety plan is required',
      'content.interventions.selected': 'Choose at least one intervention',
      'content.subjective': 'Too long',
      diagnosisCodes: 'F41 is a category heading; A billable session needs at least one diagnosis',
      'sessionFacts.cptOverride': 'Give the reason',
      content: 'This template has no such field',
    });
  });
});
