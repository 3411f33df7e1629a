import { request } from './http.js';

export type PracticeExportStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'expired';

/** One whole-practice export job (no client data: counts, sizes, checksum). */
export interface PracticeExport {
  id: string;
  status: PracticeExportStatus;
  requestedAt: string;
  requestedBy: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  clientsTotal: number | null;
  clientsDone: number;
  resourcesWritten: number;
  bytes: number;
  sha256: string | null;
  error: string | null;
}

const BASE = '/api/v1/practice/exports';

export const practiceExportApi = {
  start: () => request<PracticeExport>('POST', BASE, { body: {} }),
  list: () => request<{ items: PracticeExport[]; nextCursor: string | null }>('GET', `${BASE}?limit=20`),
  /** Polling does not count as activity: an open progress page must not defeat the idle time-out. */
  get: (id: string) => request<PracticeExport>('GET', `${BASE}/${id}`, { passive: true }),
  cancel: (id: string) => request<PracticeExport>('POST', `${BASE}/${id}/cancel`, { body: {} }),
  /** A plain link: the browser streams the file to disk (cookies carry the session). */
  downloadUrl: (id: string) => `${BASE}/${id}/download`,
};
