import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import { CHART_TYPES, chartTimeline } from '../../services/chartService.js';
import { searchNotes } from '../../services/noteSearchService.js';
import { printNote } from '../../services/notePrintService.js';
import { ATTENDANCE } from '../../services/sessionService.js';
import { SERVICE_TYPES } from '../../domain/cptTimeRule.js';
import { NOTE_KINDS, PROGRESS_FORMATS } from '../../domain/noteTemplates.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, isoDate } from '../schemas.js';

const noteStatus = z.enum(['draft', 'awaiting_cosign', 'returned', 'signed']);
const cursor = z.string().min(1).max(500);

export const chartItemView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('session'),
    id: z.string(),
    at: z.string(),
    serviceType: z.enum(SERVICE_TYPES),
    attendance: z.enum(ATTENDANCE),
    clinicianName: z.string(),
    minutes: z.number().nullable(),
    noteId: z.string().nullable(),
    noteState: z.enum(['none', 'draft', 'awaiting_cosign', 'returned', 'signed']),
  }),
  z.object({
    kind: z.literal('note'),
    id: z.string(),
    at: z.string(),
    dateOfService: z.string(),
    noteKind: z.enum(NOTE_KINDS),
    format: z.enum(PROGRESS_FORMATS).nullable(),
    status: noteStatus,
    authorName: z.string(),
    lateEntry: z.boolean(),
    signedAt: z.string().nullable(),
    cosignedAt: z.string().nullable(),
    addenda: z.number(),
  }),
  z.object({
    kind: z.literal('addendum'),
    id: z.string(),
    noteId: z.string(),
    at: z.string(),
    signerName: z.string(),
  }),
  z.object({
    kind: z.literal('diagnosis'),
    id: z.string(),
    at: z.string(),
    diagnosisId: z.string(),
    version: z.number(),
    code: z.string(),
    description: z.string(),
    rank: z.string(),
    status: z.string(),
    changedFields: z.array(z.string()),
    changedByName: z.string(),
  }),
  z.object({
    kind: z.literal('plan'),
    id: z.string(),
    at: z.string(),
    versionNo: z.number(),
    signerName: z.string(),
    reviewDueDate: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('measure'),
    id: z.string(),
    at: z.string(),
    instrument: z.string(),
    total: z.number(),
    band: z.string(),
    source: z.string(),
  }),
  z.object({
    kind: z.literal('alert'),
    id: z.string(),
    at: z.string(),
    alertKind: z.string(),
    itemValue: z.number(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedByName: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('annotation'),
    id: z.string(),
    at: z.string(),
    date: z.string(),
    text: z.string(),
    authorName: z.string(),
  }),
]);

export const chartPageView = z.object({
  items: z.array(chartItemView),
  nextCursor: z.string().nullable(),
  withheld: z.array(z.enum(CHART_TYPES)),
});

export const noteSearchHitView = z.object({
  id: z.string(),
  clientId: z.string(),
  clientCode: z.string(),
  displayName: z.string(),
  authorName: z.string(),
  kind: z.enum(NOTE_KINDS),
  format: z.enum(PROGRESS_FORMATS).nullable(),
  status: noteStatus,
  dateOfService: z.string(),
  signedAt: z.string().nullable(),
  lateEntry: z.boolean(),
  addenda: z.number(),
});

export const noteSearchPageView = z.object({
  items: z.array(noteSearchHitView),
  nextCursor: z.string().nullable(),
});

const chartTypes = z
  .string()
  .max(100)
  .transform((s) => s.split(',').map((t) => t.trim()))
  .pipe(
    z
      .array(z.enum(CHART_TYPES, { error: `Use ${CHART_TYPES.join(', ')}` }))
      .min(1)
      .max(CHART_TYPES.length),
  );

const fromBeforeTo = (q: { from?: string | undefined; to?: string | undefined }) =>
  q.from === undefined || q.to === undefined || q.from <= q.to;

/** The client chart timeline, note search and note PDFs. */
export const chartRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/clients/:id/chart',
    {
      schema: {
        tags: ['notes'],
        summary:
          'Chart timeline: sessions, notes and addenda, newest first, 50 a page (notes withheld from roles that may not read them)',
        params: idParam,
        querystring: z
          .object({
            types: chartTypes.optional(),
            from: isoDate.optional(),
            to: isoDate.optional(),
            cursor: cursor.optional(),
          })
          .strict()
          .refine(fromBeforeTo, { path: ['to'], message: 'The end date is before the start date' }),
        response: { 200: chartPageView },
      },
    },
    async (req) =>
      chartTimeline(ctxOf(req, deps), req.params.id, {
        types: req.query.types ?? CHART_TYPES,
        from: req.query.from,
        to: req.query.to,
        cursor: req.query.cursor,
      }),
  );

  app.post(
    '/api/v1/notes/search',
    {
      schema: {
        tags: ['notes'],
        // POST keeps the words out of URLs, proxies and access logs.
        summary: 'Search the notes I may read, by client, dates, kind and words (audited; the words are not)',
        body: z
          .object({
            clientId: z.uuid().optional(),
            from: isoDate.optional(),
            to: isoDate.optional(),
            kinds: z.array(z.enum(NOTE_KINDS)).max(NOTE_KINDS.length).optional(),
            text: z.string().max(200, 'Use at most 200 characters').optional(),
            cursor: cursor.optional(),
          })
          .strict()
          .refine(fromBeforeTo, { path: ['to'], message: 'The end date is before the start date' }),
        response: { 200: noteSearchPageView },
      },
    },
    async (req) => searchNotes(ctxOf(req, deps), req.body),
  );

  app.get(
    '/api/v1/notes/:id/pdf',
    {
      schema: {
        tags: ['notes'],
        summary: 'A signed note as PDF (audited print; a draft is 409)',
        params: idParam,
      },
    },
    async (req, reply) => {
      const { filename, stream } = await printNote(ctxOf(req, deps), req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(stream);
    },
  );
};
