import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalJson,
  hashAddendum,
  hashNoteContent,
  type GoalRatingForHash,
  type SignedNoteForHash,
} from './noteContentHash.js';

const note: SignedNoteForHash = {
  noteId: '0b7f3c1e-8a52-4c1d-9f3e-2a6d5b4c3e21',
  clientId: 'c1',
  authorId: 'u1',
  kind: 'progress',
  templateKey: 'builtin.progress.soap',
  templateVersion: 1,
  sessionFacts: {
    date: '2025-01-31',
    startTime: '09:00',
    endTime: '09:53',
    minutes: 53,
    modality: 'individual',
  },
  diagnoses: [{ code: 'F32.1', rank: 1 }],
  content: {
    subjective: 'Slept better — “mostly”.',
    plan: 'Continue weekly.',
    risk: { suicidalIdeation: 'none' },
  },
  signedAt: '2025-01-31T10:02:03.000Z',
  signer: { userId: 'u1', name: 'Dana Reyes', credentials: 'LCSW' },
};

const addendum = {
  addendumId: 'a1',
  noteId: note.noteId,
  authorId: 'u1',
  reason: 'Late entry',
  body: 'Client called after.',
  signedAt: '2025-02-01T08:00:00.000Z',
  signer: { userId: 'u1' },
};

/** The same value with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    );
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order and has no whitespace', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: 'x', c: { y: true, x: false } })).toBe(
      '{"a":"x","b":[3,{"a":null,"z":1}],"c":{"x":false,"y":true}}',
    );
  });

  it('omits undefined object members and writes -0 as 0', () => {
    expect(canonicalJson({ a: undefined, b: -0, c: 1.5e-7 })).toBe('{"b":0,"c":1.5e-7}');
  });

  it('refuses what JSON would silently change', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [
      NaN,
      Infinity,
      { a: -Infinity },
      [1, undefined],
      undefined,
      10n,
      { d: new Date(0) },
      new Map(),
      cyclic,
      () => 1,
    ]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
    }
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('is the same whatever order keys were inserted in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(reversedKeys(v))).toBe(canonicalJson(v));
      }),
    );
  });

  it('parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        // JSON has no -0, so compare with what JSON itself would give.
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});

describe('hashNoteContent', () => {
  it('matches a pinned known answer', () => {
    // sha256('casebook-note-v1\n' + canonical JSON), checked once with sha256sum.
    expect(hashNoteContent(note)).toBe('5656cabcb3b0c56315f6ec7eb6132ee81969d0f922e4f662dd281a61142a19a6');
  });

  it('does not depend on key order anywhere in the note', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (content) => {
        const a = { ...note, content };
        const b = reversedKeys(a) as SignedNoteForHash;
        expect(hashNoteContent(b)).toBe(hashNoteContent(a));
      }),
    );
  });

  it('changes when any one character of the content changes', () => {
    const text = 'Slept better — “mostly”.';
    const base = hashNoteContent(note);
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (i, ch) => {
        fc.pre(text[i] !== ch);
        const changed = text.slice(0, i) + ch + text.slice(i + 1);
        const edited = { ...note, content: { ...(note.content as object), subjective: changed } };
        expect(hashNoteContent(edited)).not.toBe(base);
      }),
    );
  });

  it('changes with every member that is signed', () => {
    const base = hashNoteContent(note);
    expect(hashNoteContent({ ...note, templateVersion: 2 })).not.toBe(base);
    expect(hashNoteContent({ ...note, signedAt: '2025-01-31T10:02:04.000Z' })).not.toBe(base);
    expect(
      hashNoteContent({ ...note, signer: { userId: 'u1', name: 'Dana Reyes', credentials: 'LPC' } }),
    ).not.toBe(base);
    expect(hashNoteContent({ ...note, diagnoses: [{ code: 'F32.2', rank: 1 }] })).not.toBe(base);
  });

  it('ignores members that are not part of a signed note', () => {
    const withExtra = { ...note, updatedAt: 'later', version: 7 };
    expect(hashNoteContent(withExtra)).toBe(hashNoteContent(note));
  });
});

describe('hashNoteContent with goal ratings', () => {
  const ratings: GoalRatingForHash[] = [
    {
      goalId: '7c0e2a4b-0000-4000-8000-000000000002',
      planVersionId: 'pv1',
      scale: 'zero_to_ten',
      rating: 6,
      comment: '',
      newStatus: null,
    },
    {
      goalId: '7c0e2a4b-0000-4000-8000-000000000001',
      planVersionId: 'pv1',
      scale: 'five_point',
      rating: 3,
      comment: 'Used the breathing plan — twice',
      newStatus: 'active',
    },
  ];
  const rated = { ...note, goalRatings: ratings };
  const [second, first] = ratings as [GoalRatingForHash, GoalRatingForHash];

  it('leaves the hash of a note without ratings exactly as pinned', () => {
    const pinned = '5656cabcb3b0c56315f6ec7eb6132ee81969d0f922e4f662dd281a61142a19a6';
    expect(hashNoteContent({ ...note, goalRatings: [] })).toBe(pinned);
    expect(hashNoteContent({ ...note, goalRatings: undefined })).toBe(pinned);
  });

  it('matches a pinned known answer for a note with ratings', () => {
    expect(hashNoteContent(rated)).not.toBe(hashNoteContent(note));
    // sha256 of the prefix and canonical JSON with goalRatings sorted by goal id, checked with sha256sum.
    expect(hashNoteContent(rated)).toBe('4c767fb185f834e85224aa9ef4d431a201a3306929f6caefb1360ee00f6bf34a');
  });

  it('does not depend on the order the ratings come in', () => {
    expect(hashNoteContent({ ...note, goalRatings: [first, second] })).toBe(hashNoteContent(rated));
  });

  it('changes with every member of a rating', () => {
    const base = hashNoteContent(rated);
    const edits: Partial<GoalRatingForHash>[] = [
      { rating: 4 },
      { rating: null },
      { scale: 'zero_to_ten' },
      { comment: 'Used the breathing plan — once' },
      { newStatus: 'achieved' },
      { newStatus: null },
      { planVersionId: 'pv2' },
      { goalId: '7c0e2a4b-0000-4000-8000-000000000003' },
    ];
    for (const edit of edits)
      expect(hashNoteContent({ ...note, goalRatings: [second, { ...first, ...edit }] })).not.toBe(base);
    expect(hashNoteContent({ ...note, goalRatings: [second] })).not.toBe(base);
  });

  it('ignores members that are not part of a rating', () => {
    const extra = { ...first, updatedAt: 'later', progress: 0.5 } as GoalRatingForHash;
    expect(hashNoteContent({ ...note, goalRatings: [second, extra] })).toBe(hashNoteContent(rated));
  });
});

describe('hashAddendum', () => {
  it('matches a pinned known answer and changes with the body', () => {
    expect(hashAddendum(addendum)).toBe('f02285f553d973c24f313407fdf250f9e24c8614b38b3402c410b04bdc91e77a');
    expect(hashAddendum({ ...addendum, body: 'Client called after!' })).not.toBe(hashAddendum(addendum));
  });
});
