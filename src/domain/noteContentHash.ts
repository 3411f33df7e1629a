import { createHash } from 'node:crypto';

/**
 * Deterministic JSON for hashing: object keys sorted (by UTF-16 code unit, as RFC 8785),
 * no whitespace, arrays in order, undefined object members left out. Anything JSON would
 * silently change (NaN, Infinity, undefined in an array, Dates, Maps, class instances, cycles)
 * is refused rather than hashed in a form that could not be reproduced from the stored note.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      // JSON.stringify gives ECMAScript's shortest round-trip form and turns -0 into 0.
      return JSON.stringify(value);
    case 'object':
      break;
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      throw new TypeError(`canonicalJson: ${path} is ${typeof value}, which JSON cannot hold`);
  }
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: ${path} refers back to itself`);
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item: unknown, i) => write(item, `${path}[${i}]`, ancestors)).join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`canonicalJson: ${path} is not a plain object`);
    }
    const members: string[] = [];
    const entries: [string, unknown][] = Object.entries(value);
    // String comparison is by UTF-16 code unit, which is the order RFC 8785 asks for.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, member] of entries) {
      if (member === undefined) continue;
      members.push(`${JSON.stringify(key)}:${write(member, `${path}.${key}`, ancestors)}`);
    }
    out = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// The prefixes name what was hashed and how, so a note hash can never equal an addendum hash
// and a later change of layout can use a new version without ambiguity.
const NOTE_PREFIX = 'casebook-note-v1\n';
const ADDENDUM_PREFIX = 'casebook-addendum-v1\n';

export interface SignedNoteForHash {
  noteId: string;
  clientId: string;
  authorId: string;
  kind: string;
  templateKey: string;
  templateVersion: number;
  sessionFacts: unknown;
  diagnoses: unknown;
  content: unknown;
  signedAt: string;
  signer: unknown;
  /**
   * Progress on treatment-plan goals rated in the note (note_goal_ratings), comments as plaintext.
   * Hashed only when there is at least one, so every note signed without ratings keeps its hash.
   */
  goalRatings?: readonly GoalRatingForHash[];
}

/** One goal rating of a signed note, as the hash covers it. */
export interface GoalRatingForHash {
  goalId: string;
  planVersionId: string;
  scale: string;
  rating: number | null;
  comment: string;
  newStatus: string | null;
}

export interface SignedAddendumForHash {
  addendumId: string;
  noteId: string;
  authorId: string;
  reason: string;
  body: string;
  signedAt: string;
  signer: unknown;
}

const byGoalId = (a: GoalRatingForHash, b: GoalRatingForHash) =>
  a.goalId < b.goalId ? -1 : a.goalId > b.goalId ? 1 : 0;

/** SHA-256 (lowercase hex) of a signed note; only the listed members count, so extra row columns never change it. */
export function hashNoteContent(signed: SignedNoteForHash): string {
  const ratings = signed.goalRatings ?? [];
  const hashed: Record<string, unknown> = {
    noteId: signed.noteId,
    clientId: signed.clientId,
    authorId: signed.authorId,
    kind: signed.kind,
    templateKey: signed.templateKey,
    templateVersion: signed.templateVersion,
    sessionFacts: signed.sessionFacts,
    diagnoses: signed.diagnoses,
    content: signed.content,
    signedAt: signed.signedAt,
    signer: signed.signer,
  };
  // The key is absent (not an empty list) for a note without ratings: its canonical form, and so
  // the hash stored when it was signed, stays exactly what it was before ratings existed.
  if (ratings.length > 0)
    hashed.goalRatings = [...ratings].sort(byGoalId).map((r) => ({
      goalId: r.goalId,
      planVersionId: r.planVersionId,
      scale: r.scale,
      rating: r.rating,
      comment: r.comment,
      newStatus: r.newStatus,
    }));
  return sha256Hex(NOTE_PREFIX + canonicalJson(hashed));
}

/** SHA-256 (lowercase hex) of a signed addendum, in its own domain so it can never collide with a note's. */
export function hashAddendum(a: SignedAddendumForHash): string {
  const hashed: SignedAddendumForHash = {
    addendumId: a.addendumId,
    noteId: a.noteId,
    authorId: a.authorId,
    reason: a.reason,
    body: a.body,
    signedAt: a.signedAt,
    signer: a.signer,
  };
  return sha256Hex(ADDENDUM_PREFIX + canonicalJson(hashed));
}
