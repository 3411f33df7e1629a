import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import { importClients, previewClientImport } from '../../services/clientImportService.js';
import {
  CLIENT_IMPORT_FIELDS,
  IMPORT_FIELD_LABELS,
  REQUIRED_IMPORT_FIELDS,
} from '../../interop/csv/clientCsvFields.js';
import { MAX_CSV_CHARS, MAX_CSV_COLUMNS } from '../../interop/csv/clientCsv.js';
import { ctxOf } from '../authPlugin.js';
import { createBody } from './clients.js';

const field = z.enum(CLIENT_IMPORT_FIELDS);
const body = z
  .object({
    csv: z
      .string()
      .min(1, 'Choose a CSV file')
      .max(MAX_CSV_CHARS, `The file is larger than ${MAX_CSV_CHARS} characters`),
    mapping: z.array(field.nullable()).max(MAX_CSV_COLUMNS).optional(),
  })
  .strict();
const rowError = z.object({ row: z.number(), field: field.nullable(), message: z.string() });
const preview = z.object({
  headers: z.array(z.string()),
  mapping: z.array(field.nullable()),
  mappingErrors: z.array(z.object({ path: z.string(), message: z.string() })),
  fields: z.array(z.object({ key: field, label: z.string(), required: z.boolean() })),
  rowCount: z.number(),
  errorRowCount: z.number(),
  rows: z.array(
    z.object({ row: z.number(), values: z.partialRecord(field, z.string()), errors: z.array(rowError) }),
  ),
  errors: z.array(rowError),
});
const result = z.object({
  importId: z.uuid(),
  created: z.number(),
  clients: z.array(z.object({ row: z.number(), id: z.uuid(), clientCode: z.string() })),
});

const FIELDS = CLIENT_IMPORT_FIELDS.map((key) => ({
  key,
  label: IMPORT_FIELD_LABELS[key],
  required: REQUIRED_IMPORT_FIELDS.includes(key),
}));
// A CSV of up to MAX_CSV_CHARS characters, JSON-escaped, fits in this.
const BODY_LIMIT = 3 * MAX_CSV_CHARS;

/** Client lists from CSV: preview (with the guessed or chosen column mapping), then all-or-nothing import. */
export const clientImportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/imports/clients/preview',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary:
          'Preview a client-list CSV: the column mapping (guessed unless given) and problems per row and field',
        body,
        response: { 200: preview },
      },
    },
    async (req) => ({
      ...(await previewClientImport(ctxOf(req, deps), req.body, createBody)),
      fields: FIELDS,
    }),
  );
  app.post(
    '/api/v1/imports/clients',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary: 'Import a client-list CSV: every row or none (422 with the problems per row)',
        body,
        response: { 201: result },
      },
    },
    async (req, reply) => {
      const res = await importClients(ctxOf(req, deps), req.body, createBody);
      return reply.code(201).send(res);
    },
  );
};
