import type { z } from 'zod';
import { request } from './http.js';
import type {
  instrumentDefinition,
  measureDetail,
  measureScheduleView,
  measureSeriesList,
  riskAlertList,
  riskAlertView,
} from '../../../src/http/routes/measures.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type InstrumentDefinition = z.infer<typeof instrumentDefinition>;
export type InstrumentId = InstrumentDefinition['id'];
export type MeasureSeriesList = z.infer<typeof measureSeriesList>;
export type MeasureSeries = MeasureSeriesList['series'][number];
export type MeasurePoint = MeasureSeries['points'][number];
export type MeasureDetail = z.infer<typeof measureDetail>;
export type MeasureSchedule = z.infer<typeof measureScheduleView>;
export type ScheduleFrequency = MeasureSchedule['items'][number]['frequency'];
export type RiskAlert = z.infer<typeof riskAlertView>;
export type RiskAlertList = z.infer<typeof riskAlertList>;

export interface ChartAnnotation {
  id: string;
  date: string;
  text: string;
}

export interface ScheduleEntryInput {
  instrument: InstrumentId;
  frequency: ScheduleFrequency;
  everyN: number | null;
}

/** Outcome measures, their schedule and the risk alerts they raise. */
export const measuresApi = {
  instruments: () => request<{ items: InstrumentDefinition[] }>('GET', '/api/v1/measures/instruments'),
  series: (clientId: string) => request<MeasureSeriesList>('GET', `/api/v1/clients/${clientId}/measures`),
  detail: (id: string) => request<MeasureDetail>('GET', `/api/v1/measures/${id}`),
  give: (
    clientId: string,
    body: { instrument: InstrumentId; answers: Record<string, number>; sessionId?: string | null },
  ) => request<MeasureDetail>('POST', `/api/v1/clients/${clientId}/measures`, { body }),
  schedule: (clientId: string) =>
    request<MeasureSchedule>('GET', `/api/v1/clients/${clientId}/measure-schedules`),
  saveSchedule: (clientId: string, version: number, items: ScheduleEntryInput[]) =>
    request<MeasureSchedule>('PUT', `/api/v1/clients/${clientId}/measure-schedules`, {
      body: { items },
      version,
    }),
  riskAlerts: (clientId: string) => request<RiskAlertList>('GET', `/api/v1/clients/${clientId}/risk-alerts`),
  acknowledge: (id: string, note: string) =>
    request<RiskAlert>('POST', `/api/v1/risk-alerts/${id}/acknowledge`, { body: { note } }),
  /** Chart annotations (e.g. "medication changed"), drawn as markers on the trend charts. */
  annotations: (clientId: string) =>
    request<{ items: ChartAnnotation[] }>('GET', `/api/v1/clients/${clientId}/annotations`),
};
