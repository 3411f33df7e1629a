import type { z } from 'zod';
import { query, request } from './http.js';
import type {
  measureLinkCreated,
  measureLinkList,
  measureLinkView,
  publicQuestionnaireView,
} from '../../../src/http/routes/questionnaireLinks.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type MeasureLink = z.infer<typeof measureLinkView>;
export type MeasureLinkCreated = z.infer<typeof measureLinkCreated>;
export type MeasureLinkList = z.infer<typeof measureLinkList>;
export type PublicQuestionnaire = z.infer<typeof publicQuestionnaireView>;
export type LinkInstrument = MeasureLink['instrument'];

/** Clinician side: one-time questionnaire links for a client. */
export const measureLinksApi = {
  list: (clientId: string) => request<MeasureLinkList>('GET', `/api/v1/measure-links${query({ clientId })}`),
  create: (body: { clientId: string; instrument: LinkInstrument; expiresInHours: number }) =>
    request<MeasureLinkCreated>('POST', '/api/v1/measure-links', { body }),
  revoke: (id: string) => request<MeasureLink>('POST', `/api/v1/measure-links/${id}/revoke`),
};

/** The client's side: no sign-in, the token is the only credential. */
export const questionnaireApi = {
  open: (token: string) =>
    request<PublicQuestionnaire>('POST', '/api/v1/public/questionnaire/open', { body: { token } }),
  submit: (token: string, answers: Record<string, number>) =>
    request<{ received: true }>('POST', '/api/v1/public/questionnaire/submit', { body: { token, answers } }),
};
