import fc from 'fast-check';
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { isProblem } from './staffAgents.js';

// Generators for property tests of request bodies, shared by the fuzz test files.

/** Strings that have broken servers before: NUL, huge, odd dates, lone surrogates, SQL, markup. */
export const nastyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x'.repeat(300),
    'é'.repeat(120),
    '0000-01-01',
    '0000-02-29',
    '2023-02-29',
    '9999-12-31',
    '1900-01-01',
    '2099-01-01',
    '1991-04-12',
    "'; DROP TABLE clients; --",
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    '+1 (555) 010-2233',
    'someone@example.test',
    'America/Chicago',
    'Not/AZone',
    'clinician',
    'owner',
    'read',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
  fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}\u0000${b}`),
);
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(-1),
      fc.constant(1e21),
    ),
  },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
);

export type Body = Record<string, unknown>;
type Mutation =
  | { kind: 'delete'; key: string }
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'nested'; key: string; value: unknown };

/** A valid body with one to four random changes: fields removed, replaced, added, or changed inside. */
export function mutated(base: Body): fc.Arbitrary<Body> {
  const keys = Object.keys(base);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
    fc.record({
      kind: fc.constant('set' as const),
      key: fc.constantFrom(...keys, 'unexpected', '__proto__'),
      value: anyValue,
    }),
    fc.record({ kind: fc.constant('nested' as const), key: fc.constantFrom(...keys), value: anyValue }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ops) => {
    const body: Body = structuredClone(base);
    for (const op of ops) {
      if (op.kind === 'delete') delete body[op.key];
      else if (op.kind === 'set')
        Object.defineProperty(body, op.key, {
          value: op.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else {
        // Change one field inside a nested object or the first element of an array.
        const target = body[op.key];
        const inner = Array.isArray(target) ? (target[0] as unknown) : target;
        if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
          const innerKeys = Object.keys(inner);
          const k =
            innerKeys[Math.abs(JSON.stringify(op.value ?? '').length) % Math.max(innerKeys.length, 1)] ?? 'x';
          (inner as Body)[k] = op.value;
        } else body[op.key] = op.value;
      }
    }
    return body;
  });
}

/** Every path to a leaf of a body (into nested objects and arrays), e.g. ['contacts', 0, 'name']. */
export function leafPaths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((item, i) => leafPaths(item, [...prefix, i]));
  if (v !== null && typeof v === 'object')
    return Object.entries(v).flatMap(([k, item]) => leafPaths(item, [...prefix, k]));
  return [prefix];
}

/** A valid body with exactly one leaf, however deep, replaced by a hostile value. */
export function oneLeafReplaced(base: Body): fc.Arbitrary<Body> {
  return fc
    .tuple(
      fc.constantFrom(...leafPaths(base)),
      fc.oneof({ weight: 4, arbitrary: nastyString }, { weight: 1, arbitrary: anyValue }),
    )
    .map(([path, value]) => {
      const body: Body = structuredClone(base);
      let node: unknown = body;
      path.slice(0, -1).forEach((k) => {
        node = (node as Record<string | number, unknown>)[k];
      });
      const last = path[path.length - 1];
      if (last !== undefined) (node as Record<string | number, unknown>)[last] = value;
      return body;
    });
}

/** Entirely random bodies, valid bodies with mutations, and a few valid bodies as they are. */
export function bodies(base: Body): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) },
    { weight: 5, arbitrary: oneLeafReplaced(base) },
    { weight: 3, arbitrary: mutated(base) },
    { weight: 1, arbitrary: fc.constant(base) },
  );
}

export function payloadOf(body: unknown): string {
  return JSON.stringify(body) ?? 'null';
}

export function expectWellFormed(res: LightMyRequestResponse, body: unknown): void {
  const context = `${res.statusCode} for ${payloadOf(body).slice(0, 300)}: ${res.body.slice(0, 300)}`;
  expect(res.statusCode, context).toBeLessThan(500);
  if (res.statusCode >= 400) expect(isProblem(res), context).toBe(true);
}
