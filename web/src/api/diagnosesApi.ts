import type { z } from 'zod';
import { request } from './http.js';
import type {
  diagnosisChangeBody,
  diagnosisHistoryView,
  diagnosisList,
  diagnosisView,
  newDiagnosisBody,
} from '../../../src/http/routes/diagnoses.js';
import type {
  annotationList,
  annotationView,
  newAnnotationBody,
} from '../../../src/http/routes/annotations.js';

// The server's zod shapes (type-only imports: no server code in the bundle).
export type Diagnosis = z.infer<typeof diagnosisView>;
export type DiagnosisList = z.infer<typeof diagnosisList>;
export type DiagnosisHistory = z.infer<typeof diagnosisHistoryView>;
export type DiagnosisVersion = DiagnosisHistory['versions'][number];
export type DiagnosisStatus = Diagnosis['status'];
export type DiagnosisRank = Diagnosis['rank'];
export type NewDiagnosis = z.input<typeof newDiagnosisBody>;
export type DiagnosisChange = z.input<typeof diagnosisChangeBody>;
export type Annotation = z.infer<typeof annotationView>;
export type AnnotationList = z.infer<typeof annotationList>;
export type NewAnnotation = z.input<typeof newAnnotationBody>;

export const DIAGNOSIS_STATUS_LABELS: Record<DiagnosisStatus, string> = {
  active: 'Active',
  rule_out: 'Rule-out',
  resolved: 'Resolved',
  entered_in_error: 'Entered in error',
};

/** A client's diagnosis list, its history, and the annotations on the client's charts. */
export const diagnosesApi = {
  list: (clientId: string, signal?: AbortSignal) =>
    request<DiagnosisList>('GET', `/api/v1/clients/${clientId}/diagnoses`, signal ? { signal } : {}),
  add: (clientId: string, body: NewDiagnosis) =>
    request<Diagnosis>('POST', `/api/v1/clients/${clientId}/diagnoses`, { body }),
  change: (id: string, version: number, body: DiagnosisChange) =>
    request<Diagnosis>('PATCH', `/api/v1/diagnoses/${id}`, { body, version }),
  history: (id: string) => request<DiagnosisHistory>('GET', `/api/v1/diagnoses/${id}/history`),
  annotations: (clientId: string, signal?: AbortSignal) =>
    request<AnnotationList>('GET', `/api/v1/clients/${clientId}/annotations`, signal ? { signal } : {}),
  annotate: (clientId: string, body: NewAnnotation) =>
    request<Annotation>('POST', `/api/v1/clients/${clientId}/annotations`, { body }),
  withdrawAnnotation: (id: string) => request<{ ok: true }>('POST', `/api/v1/annotations/${id}/withdraw`),
};
