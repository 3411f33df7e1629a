import type { z } from 'zod';
import type {
  consentList,
  consentView,
  disclosureView,
  part2NoticeView,
  scanView,
} from '../../../src/http/routes/consentSchemas.js';
import type { ConsentKind, DisclosureFormat, LegalBasis } from '../../../src/domain/consents.js';
import type { ReleaseCategory } from '../../../src/domain/releaseScope.js';
import { query, request, requestFile } from './http.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type ConsentView = z.infer<typeof consentView>;
export type ConsentList = z.infer<typeof consentList>;
export type DisclosureView = z.infer<typeof disclosureView>;
export type ScanView = z.infer<typeof scanView>;
export type Part2Notice = z.infer<typeof part2NoticeView>;

export interface Recipient {
  type: 'person' | 'organization';
  name: string;
  contact: string;
}

export interface NewConsentInput {
  kind: ConsentKind;
  categories?: ReleaseCategory[];
  part2?: boolean;
  recipient?: Recipient;
  purpose?: string;
  notes?: string;
  recordsFrom?: string;
  recordsTo?: string;
  effectiveOn?: string;
  expiresOn?: string;
  expiryEvent?: string;
  signedOn: string;
  signer: 'client' | 'guardian';
  signerName: string;
  signerRelationship?: string;
  signatureMethod: 'typed' | 'drawn' | 'paper';
  signaturePng?: string;
}

export interface ReleaseInput {
  authorizationId?: string;
  legalBasis?: Exclude<LegalBasis, 'authorization'>;
  recipient?: Recipient;
  categories: ReleaseCategory[];
  from?: string;
  to?: string;
  purpose?: string;
  format: 'fhir' | 'pdf';
}

export interface OutsideDisclosureInput extends Omit<ReleaseInput, 'format'> {
  on: string;
  format: Exclude<DisclosureFormat, 'fhir'>;
  description: string;
}

/** A refusal reason of the release gate, as the 422 problem lists them. */
export interface Refusal {
  code: string;
  message: string;
}

/** Every call the consent and release screens make, one function per route. */
export const consentsApi = {
  list: (clientId: string) => request<ConsentList>('GET', `/api/v1/clients/${clientId}/consents`),
  record: (clientId: string, body: NewConsentInput) =>
    request<ConsentView>('POST', `/api/v1/clients/${clientId}/consents`, { body }),
  revoke: (id: string, version: number, body: { revokedOn: string; note?: string }) =>
    request<ConsentView>('POST', `/api/v1/consents/${id}/revoke`, { body, version }),
  formPdf: (id: string, blank: boolean) =>
    requestFile('GET', `/api/v1/consents/${id}/form.pdf${query({ blank })}`),
  scans: (id: string) => request<{ items: ScanView[] }>('GET', `/api/v1/consents/${id}/scans`),
  uploadScan: (id: string, file: File) =>
    requestFile('POST', `/api/v1/consents/${id}/scans`, { raw: { data: file, type: file.type } }),
  downloadScan: (id: string, scanId: string) => requestFile('GET', `/api/v1/consents/${id}/scans/${scanId}`),
  setPart2: (clientId: string, version: number, holdsPart2Records: boolean) =>
    request<{ holdsPart2Records: boolean; clientVersion: number }>(
      'PUT',
      `/api/v1/clients/${clientId}/part2`,
      {
        body: { holdsPart2Records },
        version,
      },
    ),
  release: (clientId: string, body: ReleaseInput) =>
    requestFile('POST', `/api/v1/clients/${clientId}/releases`, { body }),
  disclosures: (clientId: string, cursor?: string) =>
    request<{ items: DisclosureView[]; nextCursor: string | null }>(
      'GET',
      `/api/v1/clients/${clientId}/disclosures${query({ cursor })}`,
    ),
  recordOutside: (clientId: string, body: OutsideDisclosureInput) =>
    request<DisclosureView>('POST', `/api/v1/clients/${clientId}/disclosures`, { body }),
  accounting: (clientId: string, format: 'pdf' | 'csv', from?: string, to?: string) =>
    requestFile(
      'GET',
      `/api/v1/clients/${clientId}/accounting-of-disclosures.${format}${query({ from, to })}`,
    ),
  part2Notice: () => request<Part2Notice>('GET', '/api/v1/settings/part2-notice'),
  setPart2Notice: (version: number, notice: string | null) =>
    request<Part2Notice>('PUT', '/api/v1/settings/part2-notice', { body: { notice }, version }),
};
