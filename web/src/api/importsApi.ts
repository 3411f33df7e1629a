import { request } from './http.js';

export type ImportField = string;

export interface ImportRowError {
  row: number;
  field: ImportField | null;
  message: string;
}

export interface ClientImportPreview {
  headers: string[];
  mapping: (ImportField | null)[];
  mappingErrors: { path: string; message: string }[];
  fields: { key: ImportField; label: string; required: boolean }[];
  rowCount: number;
  errorRowCount: number;
  rows: { row: number; values: Partial<Record<ImportField, string>>; errors: ImportRowError[] }[];
  errors: ImportRowError[];
}

export interface ClientImportResult {
  importId: string;
  created: number;
  clients: { row: number; id: string; clientCode: string }[];
}

export interface FhirImportPreview {
  sourceSystem: string;
  client: { legalFirstName: string; legalLastName: string; dateOfBirth: string };
  counts: Record<string, number>;
  warnings: string[];
  refused: string[];
  skipped: { resourceType: string; count: number }[];
}

export interface FhirImportResult {
  importId: string;
  clientId: string;
  counts: Record<string, number>;
}

/** The file's text travels in the request body (never a URL); the server keeps nothing from a preview. */
export const importsApi = {
  previewClients: (csv: string, mapping?: (ImportField | null)[]) =>
    request<ClientImportPreview>('POST', '/api/v1/imports/clients/preview', {
      body: mapping ? { csv, mapping } : { csv },
    }),
  importClients: (csv: string, mapping: (ImportField | null)[]) =>
    request<ClientImportResult>('POST', '/api/v1/imports/clients', { body: { csv, mapping } }),
  previewFhir: (bundle: unknown, primaryClinicianId?: string) =>
    request<FhirImportPreview>('POST', '/api/v1/imports/fhir/preview', {
      body: { bundle, ...(primaryClinicianId ? { primaryClinicianId } : {}) },
    }),
  importFhir: (bundle: unknown, primaryClinicianId?: string) =>
    request<FhirImportResult>('POST', '/api/v1/imports/fhir', {
      body: { bundle, ...(primaryClinicianId ? { primaryClinicianId } : {}) },
    }),
};

export interface ImportedDocument {
  id: string;
  kind: 'note' | 'addendum' | 'plan';
  appendsId: string | null;
  title: string;
  source: string;
  serviceDate: string | null;
  authorName: string | null;
  authoredAt: string | null;
  signerName: string | null;
  signedAt: string | null;
  contentHash: string | null;
  importedAt: string;
  text: string;
}

export const importedDocumentsApi = {
  list: (clientId: string) =>
    request<{ items: ImportedDocument[]; truncated: boolean }>(
      'GET',
      `/api/v1/clients/${clientId}/imported-documents`,
    ),
};
