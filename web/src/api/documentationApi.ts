import type { z } from 'zod';
import type {
  complianceView,
  cosignItemView,
  documentationCountsView,
  documentationDashboardView,
} from '../../../src/http/routes/documentation.js';
import { ApiError, query, request } from './http.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type DocumentationDashboard = z.infer<typeof documentationDashboardView>;
export type DocumentationCounts = z.infer<typeof documentationCountsView>;
export type NeedsNoteItem = DocumentationDashboard['needsNote'][number];
export type DraftItem = DocumentationDashboard['drafts'][number];
export type ReturnedItem = DocumentationDashboard['returned'][number];
export type AwaitingCosignItem = DocumentationDashboard['awaitingCosign'][number];
export type ToCosignItem = z.infer<typeof cosignItemView>;
export type ComplianceReport = z.infer<typeof complianceView>;
export type ClinicianCompliance = ComplianceReport['clinicians'][number];
/** Where a note stands against the practice's deadline. */
export type Deadline = NeedsNoteItem['deadline'];

/** The note a session's "Write note" opens: a new draft, or the one that already exists. */
async function startSessionNote(input: {
  clientId: string;
  sessionId: string;
  shortNoteOnly: boolean;
}): Promise<string> {
  try {
    const note = await request<{ id: string }>('POST', '/api/v1/notes', {
      body: {
        clientId: input.clientId,
        sessionId: input.sessionId,
        // A no-show or late cancellation is documented with a short contact note, not a progress note.
        kind: input.shortNoteOnly ? 'contact' : 'progress',
        format: input.shortNoteOnly ? null : 'soap',
      },
    });
    return note.id;
  } catch (err) {
    // Someone (another tab) started it already: open that one rather than fail.
    const existing = err instanceof ApiError && err.status === 409 ? err.problem.noteId : undefined;
    if (typeof existing === 'string') return existing;
    throw err;
  }
}

export const documentationApi = {
  dashboard: (clinicianId?: string, signal?: AbortSignal) =>
    request<DocumentationDashboard>('GET', `/api/v1/documentation/dashboard${query({ clinicianId })}`, {
      ...(signal ? { signal } : {}),
    }),
  /** For the navigation badge: passive, so a page left open does not keep the sign-in alive. */
  counts: () => request<DocumentationCounts>('GET', '/api/v1/documentation/counts', { passive: true }),
  cosignQueue: () => request<{ items: ToCosignItem[] }>('GET', '/api/v1/documentation/cosign-queue'),
  compliance: (from: string, to: string, signal?: AbortSignal) =>
    request<ComplianceReport>('GET', `/api/v1/documentation/compliance${query({ from, to })}`, {
      ...(signal ? { signal } : {}),
    }),
  startSessionNote,
};
