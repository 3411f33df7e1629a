import type { z } from 'zod';
import { Invalid } from './errors.js';

/** An opaque page cursor: the keyset position as a base64url JSON array. */
export function encodeCursor(position: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * Reads a cursor back into the position `shape` describes; anything else (forged, truncated,
 * from another list) is a 422, never a 500.
 */
export function decodeCursor<T>(cursor: string, shape: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    parsed = undefined;
  }
  const result = shape.safeParse(parsed);
  if (result.success) return result.data;
  throw new Invalid('The cursor is not valid', [{ path: 'cursor', message: 'Not a cursor from this list' }]);
}
