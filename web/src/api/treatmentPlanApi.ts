import type { z } from 'zod';
import type { PlanContentInput } from '../../../src/domain/treatmentPlan.js';
import type {
  acknowledgementView,
  planChangesView,
  planFindingsView,
  planVersionSummary,
  planVersionView,
  treatmentPlanView,
} from '../../../src/http/routes/treatmentPlans.js';
import type { diagnosisView } from '../../../src/http/routes/diagnoses.js';
import type { Reauth } from './notesApi.js';
import { request } from './http.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type TreatmentPlanView = z.infer<typeof treatmentPlanView>;
export type PlanVersionView = z.infer<typeof planVersionView>;
export type PlanVersionSummary = z.infer<typeof planVersionSummary>;
export type PlanChanges = z.infer<typeof planChangesView>;
export type PlanFindings = z.infer<typeof planFindingsView>;
export type PlanFindingView = PlanFindings['findings'][number];
export type AcknowledgementView = z.infer<typeof acknowledgementView>;
export type PlanClinician = TreatmentPlanView['clinicians'][number];
export type PlanReview = NonNullable<TreatmentPlanView['review']>;

/** One entry of the client's diagnosis list, as the problem editor links to it. */
export type DiagnosisOption = Pick<
  z.infer<typeof diagnosisView>,
  'id' | 'code' | 'description' | 'status' | 'rank'
>;

export interface AcknowledgementInput {
  typedName: string;
  acknowledgedOn: string;
  method: 'in_person' | 'remote';
  /** Base64 PNG without the "data:" prefix. */
  signaturePng?: string;
}

/** Every call the treatment plan screens make, one function per route. */
export const treatmentPlanApi = {
  plan: (clientId: string) => request<TreatmentPlanView>('GET', `/api/v1/clients/${clientId}/treatment-plan`),
  startDraft: (clientId: string) =>
    request<PlanVersionView>('POST', `/api/v1/clients/${clientId}/treatment-plan/draft`, { body: {} }),
  versions: (clientId: string) =>
    request<{ items: PlanVersionSummary[] }>('GET', `/api/v1/clients/${clientId}/treatment-plan/versions`),
  version: (id: string) => request<PlanVersionView>('GET', `/api/v1/treatment-plan-versions/${id}`),
  saveDraft: (id: string, version: number, content: PlanContentInput) =>
    request<PlanVersionView>('PUT', `/api/v1/treatment-plan-versions/${id}`, { body: { content }, version }),
  discardDraft: (id: string, version: number) =>
    request<null>('DELETE', `/api/v1/treatment-plan-versions/${id}`, { version }),
  check: (id: string) => request<PlanFindings>('GET', `/api/v1/treatment-plan-versions/${id}/check`),
  // A wrong password is a 401 the dialog explains; it must not sign the user out.
  sign: (id: string, version: number, reauth: Reauth) =>
    request<PlanVersionView>('POST', `/api/v1/treatment-plan-versions/${id}/sign`, {
      body: reauth,
      version,
      handles401: true,
    }),
  changes: (id: string) => request<PlanChanges>('GET', `/api/v1/treatment-plan-versions/${id}/changes`),
  acknowledge: (versionId: string, body: AcknowledgementInput) =>
    request<AcknowledgementView>('POST', `/api/v1/treatment-plan-versions/${versionId}/acknowledgements`, {
      body,
    }),
  acknowledgementSignature: (id: string) =>
    request<{ png: string }>('GET', `/api/v1/treatment-plan-acknowledgements/${id}/signature`),
  // Helper A's diagnosis list; the plan links problems to its rows.
  diagnoses: (clientId: string) =>
    request<{ items: DiagnosisOption[] }>('GET', `/api/v1/clients/${clientId}/diagnoses`),
};
