import type { z } from 'zod';
import type { handoverMeta, handoverView } from '../../../src/http/routes/handovers.js';
import { request } from './http.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type HandoverMeta = z.infer<typeof handoverMeta>;
export type HandoverView = z.infer<typeof handoverView>;
export type HandoverSummary = HandoverView['summary'];
export type PendingHandover = HandoverMeta & { clientCode: string; displayName: string };

export const handoversApi = {
  create: (
    clientId: string,
    clientVersion: number,
    body: { toClinicianId: string; note: string | null; removePrevious: boolean },
  ) =>
    request<HandoverMeta>('POST', `/api/v1/clients/${clientId}/handovers`, {
      body,
      version: clientVersion,
    }),
  ofClient: (clientId: string, signal?: AbortSignal) =>
    request<{ items: HandoverMeta[]; nextCursor: string | null }>(
      'GET',
      `/api/v1/clients/${clientId}/handovers`,
      signal ? { signal } : {},
    ),
  pending: (signal?: AbortSignal) =>
    request<{ items: PendingHandover[] }>('GET', '/api/v1/handovers?pending=me', signal ? { signal } : {}),
  get: (id: string) => request<HandoverView>('GET', `/api/v1/handovers/${id}`),
  acknowledge: (id: string) =>
    request<HandoverMeta>('POST', `/api/v1/handovers/${id}/acknowledge`, { body: {} }),
};
