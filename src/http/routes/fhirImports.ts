import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import { importFhirRecord, previewFhirImport } from '../../services/fhirImportService.js';
import { IMPORTED_DOCUMENTS_CAP, listImportedDocuments } from '../../services/importedDocuments.js';
import { ctxOf } from '../authPlugin.js';
import { idParam } from '../schemas.js';
import { createBody } from './clients.js';

const body = z
  .object({
    // Read resource by resource in the service (src/interop/fhir/importShapes.ts).
    bundle: z.record(z.string(), z.unknown()),
    primaryClinicianId: z.uuid().optional(),
  })
  .strict();
const summary = z.object({
  sourceSystem: z.string(),
  client: z.object({ legalFirstName: z.string(), legalLastName: z.string(), dateOfBirth: z.string() }),
  counts: z.record(z.string(), z.number()),
  warnings: z.array(z.string()),
  refused: z.array(z.string()),
  skipped: z.array(z.object({ resourceType: z.string(), count: z.number() })),
});
const result = z.object({ importId: z.uuid(), clientId: z.uuid(), counts: z.record(z.string(), z.number()) });
const BODY_LIMIT = 20 * 1024 * 1024;
const importedDocument = z.object({
  id: z.uuid(),
  kind: z.enum(['note', 'addendum', 'plan']),
  appendsId: z.uuid().nullable(),
  title: z.string(),
  source: z.string(),
  serviceDate: z.string().nullable(),
  authorName: z.string().nullable(),
  authoredAt: z.string().nullable(),
  signerName: z.string().nullable(),
  signedAt: z.string().nullable(),
  contentHash: z.string().nullable(),
  importedAt: z.string(),
  text: z.string(),
});

/** One client's record from a FHIR R4 Bundle into a new client: preview, then import all or nothing. */
export const fhirImportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/imports/fhir/preview',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary: 'Preview a FHIR R4 Bundle import: what would be created, skipped and refused',
        body,
        response: { 200: summary },
      },
    },
    async (req) => previewFhirImport(ctxOf(req, deps), req.body, createBody),
  );
  app.post(
    '/api/v1/imports/fhir',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary: 'Import a FHIR R4 Bundle as a new client record (one transaction)',
        body,
        response: { 201: result },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await importFhirRecord(ctxOf(req, deps), req.body, createBody)),
  );
  app.get(
    '/api/v1/clients/:id/imported-documents',
    {
      schema: {
        tags: ['imports'],
        summary:
          "Documents imported from another provider (read-only, with the source's author and signature)",
        description: `Oldest first, at most ${IMPORTED_DOCUMENTS_CAP} documents (a hard cap, no paging): \`truncated\` is true when the client has more, which the chart export carries in full.`,
        params: idParam,
        response: { 200: z.object({ items: z.array(importedDocument), truncated: z.boolean() }) },
      },
    },
    async (req) => listImportedDocuments(ctxOf(req, deps), req.params.id),
  );
};
