import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as measures from '../../services/measureService.js';
import * as schedules from '../../services/measureScheduleService.js';
import * as riskAlerts from '../../services/riskAlertService.js';
import { INSTRUMENT_IDS } from '../../domain/measures.js';
import { SCHEDULE_FREQUENCIES } from '../../domain/measureSchedule.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ifMatchVersion, isoDateTime, withEtag } from '../schemas.js';

const instrumentId = z
  .enum(INSTRUMENT_IDS as [string, ...string[]])
  .transform((v) => v as 'phq9' | 'gad7' | 'pcl5');

const option = z.object({ value: z.number(), label: z.string(), loinc: z.string().nullable() });
export const severityBand = z.object({
  key: z.string(),
  label: z.string(),
  min: z.number(),
  max: z.number(),
});

export const instrumentDefinition = z.object({
  id: z.enum(['phq9', 'gad7', 'pcl5']),
  name: z.string(),
  shortName: z.string(),
  version: z.string(),
  timeframe: z.string(),
  instructions: z.string(),
  items: z.array(
    z.object({ id: z.string(), number: z.number(), text: z.string(), loinc: z.string().nullable() }),
  ),
  options: z.array(option),
  difficulty: z
    .object({
      id: z.literal('difficulty'),
      text: z.string(),
      loinc: z.string().nullable(),
      options: z.array(option),
    })
    .nullable(),
  maxTotal: z.number(),
  bands: z.array(severityBand),
  bandNote: z.string(),
  loinc: z.object({ panel: z.string(), total: z.string() }),
  copyright: z.string(),
});

export const measurePoint = z.object({
  id: z.string(),
  administeredAt: z.string(),
  total: z.number(),
  band: severityBand,
  item9Positive: z.boolean(),
  source: z.enum(['clinician', 'client_link']),
  sessionId: z.string().nullable(),
});

export const measureSeriesList = z.object({
  series: z.array(
    z.object({
      instrument: z.enum(['phq9', 'gad7', 'pcl5']),
      name: z.string(),
      maxTotal: z.number(),
      bands: z.array(severityBand),
      bandNote: z.string(),
      points: z.array(measurePoint),
    }),
  ),
});

export const measureDetail = measurePoint.extend({
  clientId: z.string(),
  instrument: z.enum(['phq9', 'gad7', 'pcl5']),
  version: z.string(),
  answers: z.record(z.string(), z.number()),
  pcl5: z
    .object({
      provisionalDiagnosisCriteriaMet: z.boolean(),
      atOrAboveCutPoint: z.boolean(),
      cutPoint: z.number(),
      clusters: z.object({ b: z.number(), c: z.number(), d: z.number(), e: z.number() }),
    })
    .nullable(),
  recordedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
});

const scheduleItem = z
  .object({
    instrument: instrumentId,
    frequency: z
      .enum(SCHEDULE_FREQUENCIES as [string, ...string[]])
      .transform((v) => v as 'every_session' | 'every_n_sessions' | 'monthly'),
    everyN: z.number().int().nullable().default(null),
  })
  .strict();

export const measureScheduleView = z.object({
  clientId: z.string(),
  version: z.number(),
  items: z.array(
    z.object({
      instrument: z.enum(['phq9', 'gad7', 'pcl5']),
      frequency: z.enum(['every_session', 'every_n_sessions', 'monthly']),
      everyN: z.number().nullable(),
      name: z.string(),
      due: z.boolean(),
      reason: z.string(),
      lastAdministeredAt: z.string().nullable(),
    }),
  ),
});

export const riskAlertView = z.object({
  id: z.string(),
  clientId: z.string(),
  kind: z.literal('phq9_item9'),
  title: z.string(),
  administrationId: z.string(),
  instrument: z.string(),
  total: z.number(),
  itemValue: z.number(),
  raisedAt: z.string(),
  open: z.boolean(),
  acknowledgement: z
    .object({ by: z.object({ id: z.string(), name: z.string() }), at: z.string(), note: z.string() })
    .nullable(),
  version: z.number(),
});

export const riskAlertList = z.object({ items: z.array(riskAlertView), open: z.number() });

const clientParam = z.object({ clientId: z.uuid() }).strict();

export const measureRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/measures/instruments',
    {
      schema: {
        tags: ['outcome measures'],
        summary: 'The questionnaires (PHQ-9, GAD-7, PCL-5): items, answers, bands and LOINC codes',
        response: { 200: z.object({ items: z.array(instrumentDefinition) }) },
      },
    },
    async (req) => {
      ctxOf(req, deps); // signed-in staff only; the definitions hold no client data
      return measures.listInstruments();
    },
  );

  app.post(
    '/api/v1/clients/:clientId/measures',
    {
      schema: {
        tags: ['outcome measures'],
        summary: 'Record a questionnaire given in session; an incomplete form is refused, not scored',
        params: clientParam,
        body: z
          .object({
            instrument: instrumentId,
            // Values are checked per item by the scorer, so every bad item is named at once.
            answers: z.record(z.string().max(20), z.unknown()),
            sessionId: z.uuid().nullable().default(null),
            administeredAt: isoDateTime.nullable().default(null),
          })
          .strict(),
        response: { 201: measureDetail },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await measures.giveMeasure(ctxOf(req, deps), req.params.clientId, {
          ...req.body,
          answers: req.body.answers as Record<string, number>,
        }),
      ),
  );

  app.get(
    '/api/v1/clients/:clientId/measures',
    {
      schema: {
        tags: ['outcome measures'],
        summary: "A client's scores over time, one series per questionnaire (audited)",
        params: clientParam,
        response: { 200: measureSeriesList },
      },
    },
    async (req) => measures.listMeasures(ctxOf(req, deps), req.params.clientId),
  );

  app.get(
    '/api/v1/measures/:id',
    {
      schema: {
        tags: ['outcome measures'],
        summary: 'One administration with its item answers (audited)',
        params: idParam,
        response: { 200: measureDetail },
      },
    },
    async (req) => measures.getMeasure(ctxOf(req, deps), req.params.id),
  );

  app.get(
    '/api/v1/clients/:clientId/measure-schedules',
    {
      schema: {
        tags: ['outcome measures'],
        summary: "The client's measure schedule and which measures are due now",
        params: clientParam,
        response: { 200: measureScheduleView },
      },
    },
    async (req, reply) =>
      withEtag(reply, await schedules.getMeasureSchedule(ctxOf(req, deps), req.params.clientId)),
  );

  app.put(
    '/api/v1/clients/:clientId/measure-schedules',
    {
      schema: {
        tags: ['outcome measures'],
        summary: 'Replace the measure schedule (If-Match: version, "0" for the first; a stale copy gets 412)',
        params: clientParam,
        body: z.object({ items: z.array(scheduleItem).max(10) }).strict(),
        response: { 200: measureScheduleView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await schedules.putMeasureSchedule(
          ctxOf(req, deps),
          req.params.clientId,
          ifMatchVersion(req),
          req.body.items,
        ),
      ),
  );

  app.get(
    '/api/v1/clients/:clientId/risk-alerts',
    {
      schema: {
        tags: ['outcome measures'],
        summary: "A client's risk alerts, open ones first (audited)",
        params: clientParam,
        response: { 200: riskAlertList },
      },
    },
    async (req) => riskAlerts.listRiskAlerts(ctxOf(req, deps), req.params.clientId),
  );

  app.post(
    '/api/v1/risk-alerts/:id/acknowledge',
    {
      schema: {
        tags: ['outcome measures'],
        summary: 'Acknowledge a risk alert with a note of what was done; only once (409 after)',
        params: idParam,
        body: z
          .object({ note: z.string().trim().min(1, 'Write what you did about this alert').max(2000) })
          .strict(),
        response: { 200: riskAlertView },
      },
    },
    async (req) => riskAlerts.acknowledgeRiskAlert(ctxOf(req, deps), req.params.id, req.body),
  );
};
