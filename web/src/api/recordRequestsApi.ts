import type { z } from 'zod';
import type {
  amendmentView,
  clientRequests,
  copyRequestView,
  requestsDueView,
} from '../../../src/http/routes/recordRequestSchemas.js';
import type {
  AmendmentTarget,
  CopyFormat,
  DeliveryMethod,
  DenialBasis,
  ReceivedVia,
  Requester,
  StatementKind,
} from '../../../src/domain/recordRequests.js';
import type { Reauth } from './notesApi.js';
import { request, requestFile } from './http.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type CopyRequestView = z.infer<typeof copyRequestView>;
export type AmendmentView = z.infer<typeof amendmentView>;
export type ClientRequests = z.infer<typeof clientRequests>;
export type RequestsDue = z.infer<typeof requestsDueView>;

export interface NewCopyRequestInput {
  receivedOn: string;
  receivedVia: ReceivedVia;
  format: CopyFormat;
  delivery: DeliveryMethod;
  requester: Requester;
  representative: { name: string; relationship: string } | null;
}

export interface NewAmendmentInput {
  receivedOn: string;
  target: { kind: AmendmentTarget; id: string | null };
  change: string;
  reason: string;
}

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** Every call the record request screens make, one function per route. */
export const recordRequestsApi = {
  list: (clientId: string) => request<ClientRequests>('GET', `/api/v1/clients/${clientId}/record-requests`),
  due: () => request<RequestsDue>('GET', '/api/v1/record-requests/due'),
  createCopy: (clientId: string, body: NewCopyRequestInput) =>
    request<CopyRequestView>('POST', `/api/v1/clients/${clientId}/record-requests`, { body }),
  extendCopy: (id: string, version: number, body: { newDueOn: string; reason: string }) =>
    request<CopyRequestView>('POST', `/api/v1/record-requests/${id}/extension`, { body, version }),
  /** Produces the copy (a disclosure to the individual, so a POST) and returns the file. */
  downloadCopy: async (id: string, format: 'pdf' | 'fhir'): Promise<DownloadedFile> => {
    const { blob, filename } = await requestFile('POST', `/api/v1/record-requests/${id}/copy`, {
      body: { format },
    });
    return { blob, filename };
  },
  fulfilCopy: (id: string, version: number) =>
    request<CopyRequestView>('POST', `/api/v1/record-requests/${id}/fulfil`, { version }),
  createAmendment: (clientId: string, body: NewAmendmentInput) =>
    request<AmendmentView>('POST', `/api/v1/clients/${clientId}/amendments`, { body }),
  extendAmendment: (id: string, version: number, body: { newDueOn: string; reason: string }) =>
    request<AmendmentView>('POST', `/api/v1/amendments/${id}/extension`, { body, version }),
  acceptWithAddendum: (id: string, version: number, text: string, reauth: Reauth) =>
    request<AmendmentView>('POST', `/api/v1/amendments/${id}/accept`, {
      body: { kind: 'addendum', text, ...reauth },
      version,
      handles401: true,
    }),
  acceptWithCorrection: (id: string, version: number, text: string) =>
    request<AmendmentView>('POST', `/api/v1/amendments/${id}/accept`, {
      body: { kind: 'correction', text },
      version,
    }),
  deny: (id: string, version: number, body: { basis: DenialBasis; text: string }) =>
    request<AmendmentView>('POST', `/api/v1/amendments/${id}/deny`, { body, version }),
  addStatement: (id: string, body: { kind: StatementKind; receivedOn: string; text: string }) =>
    request<AmendmentView>('POST', `/api/v1/amendments/${id}/statements`, { body }),
  ofNote: (noteId: string) =>
    request<{ items: AmendmentView[] }>('GET', `/api/v1/notes/${noteId}/amendments`),
};
