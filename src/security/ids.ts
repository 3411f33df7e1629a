import { v7 } from 'uuid';

/** Time-ordered UUIDv7, made in the application (PostgreSQL 15 has no uuidv7()). */
export function newId(): string {
  return v7();
}
