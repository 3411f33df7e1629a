import type { z } from 'zod';
import { query, request } from './http.js';
import type { NoteView } from './clinicalTypes.js';
import type { Modality } from '../../../src/domain/cptTimeRule.js';
import type { GoalProgressSaveInput } from '../../../src/domain/goalProgress.js';
import type { cptCodesView, icd10SearchView, noteOptionsView } from '../../../src/http/routes/codes.js';

export type { NoteView };

export interface CptCodeInput {
  code: string;
  units: number;
  modifiers: string[];
}

/** The session facts a draft may change; the server derives minutes, place of service and CPT. */
export interface SessionFactsInput {
  start?: string | null;
  end?: string | null;
  modality?: Modality | null;
  location?: string | null;
  clientAtHome?: boolean;
  participants?: string[];
  interactiveComplexity?: boolean;
  cptOverride?: { codes: CptCodeInput[]; reason: string } | null;
}

/** An autosave: only the parts sent are changed; `content` replaces the whole content. */
export interface DraftSave {
  content?: Record<string, unknown>;
  sessionFacts?: SessionFactsInput;
  diagnosisCodes?: string[];
  dateOfService?: string;
  copiedFields?: string[];
  /** Goal ratings of a progress or plan-review note: replaces the stored ones. */
  goalProgress?: GoalProgressSaveInput;
}

/** Re-authentication for a signing act: the password, or a code from the authenticator app. */
export type Reauth = { password: string } | { code: string };

export interface IntegrityReport {
  noteId: string;
  signed: boolean;
  storedHash: string | null;
  computedHash: string | null;
  intact: boolean;
  addenda: { id: string; storedHash: string; computedHash: string; intact: boolean }[];
  checkedAt: string;
}

/** Pick lists for the note editor (the values are stored in notes; labels are shown). */
export type NoteOptions = z.infer<typeof noteOptionsView>;
export type Option = NoteOptions['interventions'][number];
export type Icd10Item = z.infer<typeof icd10SearchView>['items'][number];
export type CptCodeOption = z.infer<typeof cptCodesView>['items'][number];

/** Every call the note editor makes, one function per route. */
export const notesApi = {
  note: (id: string) => request<NoteView>('GET', `/api/v1/notes/${id}`),
  saveDraft: (id: string, version: number, body: DraftSave) =>
    request<NoteView>('PUT', `/api/v1/notes/${id}/draft`, { body, version }),
  discardDraft: (id: string, version: number) => request<null>('DELETE', `/api/v1/notes/${id}`, { version }),
  // A wrong password is a 401 the dialog explains; it must not sign the user out.
  sign: (id: string, version: number, reauth: Reauth) =>
    request<NoteView>('POST', `/api/v1/notes/${id}/sign`, { body: reauth, version, handles401: true }),
  cosign: (id: string, version: number, reauth: Reauth) =>
    request<NoteView>('POST', `/api/v1/notes/${id}/cosign`, { body: reauth, version, handles401: true }),
  returnToAuthor: (id: string, version: number, comments: string) =>
    request<NoteView>('POST', `/api/v1/notes/${id}/return`, { body: { comments }, version }),
  addAddendum: (id: string, body: { reason: string; text: string } & Reauth) =>
    request<NoteView>('POST', `/api/v1/notes/${id}/addenda`, { body, handles401: true }),
  integrity: (id: string) => request<IntegrityReport>('GET', `/api/v1/notes/${id}/integrity`),
  pdfUrl: (id: string) => `/api/v1/notes/${id}/pdf`,

  noteOptions: () => request<NoteOptions>('GET', '/api/v1/codes/note-options'),
  cptCodes: () => request<{ items: CptCodeOption[] }>('GET', '/api/v1/codes/cpt'),
  // The search text is a code or words of a diagnosis title, never about a client.
  searchIcd10: (q: string, signal?: AbortSignal) =>
    request<{ items: Icd10Item[] }>('GET', `/api/v1/codes/icd10${query({ q })}`, signal ? { signal } : {}),
};
