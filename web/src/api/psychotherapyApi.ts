import type { z } from 'zod';
import { query, request } from './http.js';
import type {
  psychotherapyNotePage,
  psychotherapyNoteView,
} from '../../../src/http/routes/psychotherapyNotes.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type PsychotherapyNote = z.infer<typeof psychotherapyNoteView>;
export type PsychotherapyNotePage = z.infer<typeof psychotherapyNotePage>;

export interface NewPsychotherapyNote {
  clientId: string;
  sessionId?: string | null;
  dateOfService: string;
  content?: Record<string, string>;
}

/** Psychotherapy (process) notes: the server shows each one to its author only, anyone else gets 404. */
export const psychotherapyApi = {
  list: (clientId: string, cursor?: string) =>
    request<PsychotherapyNotePage>('GET', `/api/v1/psychotherapy-notes${query({ clientId, cursor })}`),
  get: (id: string) => request<PsychotherapyNote>('GET', `/api/v1/psychotherapy-notes/${id}`),
  create: (body: NewPsychotherapyNote) =>
    request<PsychotherapyNote>('POST', '/api/v1/psychotherapy-notes', { body }),
  update: (id: string, version: number, body: { dateOfService?: string; content?: Record<string, string> }) =>
    request<PsychotherapyNote>('PUT', `/api/v1/psychotherapy-notes/${id}`, { body, version }),
};
