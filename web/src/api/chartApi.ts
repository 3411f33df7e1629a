import type { z } from 'zod';
import { query, request } from './http.js';
import type { NoteView } from './clinicalTypes.js';
import type {
  chartItemView,
  chartPageView,
  noteSearchHitView,
  noteSearchPageView,
} from '../../../src/http/routes/chart.js';
import type { NoteKind, ProgressFormat } from '../../../src/domain/noteTemplates.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type ChartEntry = z.infer<typeof chartItemView>;
export type ChartPage = z.infer<typeof chartPageView>;
export type NoteSearchHit = z.infer<typeof noteSearchHitView>;
export type NoteSearchPage = z.infer<typeof noteSearchPageView>;
export type ChartEntryType = ChartPage['withheld'][number];

export interface ChartFilters {
  types: readonly ChartEntryType[];
  /** YYYY-MM-DD or '' for no bound. */
  from: string;
  to: string;
}

export interface NewNoteInput {
  clientId: string;
  sessionId: string | null;
  kind: NoteKind;
  format: ProgressFormat | null;
  /** null: the built-in default for the kind and format. */
  templateKey: string | null;
  dateOfService: string | null;
  startFromLast: boolean;
}

export interface NoteSearchInput {
  clientId?: string;
  from?: string;
  to?: string;
  kinds?: NoteKind[];
  text?: string;
  cursor?: string;
}

/** The client chart, starting a note, and note search. */
export const chartApi = {
  chart: (clientId: string, f: ChartFilters, cursor?: string, signal?: AbortSignal) =>
    request<ChartPage>(
      'GET',
      `/api/v1/clients/${clientId}/chart${query({ types: f.types.join(','), from: f.from, to: f.to, cursor })}`,
      signal ? { signal } : {},
    ),
  startNote: (body: NewNoteInput) => request<NoteView>('POST', '/api/v1/notes', { body }),
  // POST keeps the search words out of URLs and logs.
  searchNotes: (body: NoteSearchInput, signal?: AbortSignal) =>
    request<NoteSearchPage>('POST', '/api/v1/notes/search', signal ? { body, signal } : { body }),
};
