import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as plans from '../../services/treatmentPlanService.js';
import * as planSigning from '../../services/planSigning.js';
import {
  ACKNOWLEDGEMENT_METHODS,
  planContentSchema,
  PLAN_VERSION_STATUSES,
  REVIEW_STATES,
} from '../../domain/treatmentPlan.js';
import { PLAN_FINDING_KINDS } from '../../domain/planCheck.js';
import { ctxOf } from '../authPlugin.js';
import { reauthFields, signingCtx } from '../inlineReauth.js';
import { idParam, ifMatchVersion, isoDate, withEtag } from '../schemas.js';

export const acknowledgementView = z.object({
  id: z.string(),
  versionId: z.string(),
  typedName: z.string(),
  acknowledgedOn: z.string(),
  method: z.enum(ACKNOWLEDGEMENT_METHODS),
  hasDrawnSignature: z.boolean(),
  recordedBy: z.string(),
  recordedByName: z.string(),
  recordedAt: z.string(),
});

export const planVersionView = z.object({
  id: z.string(),
  planId: z.string(),
  clientId: z.string(),
  versionNo: z.number(),
  status: z.enum(PLAN_VERSION_STATUSES),
  basedOnVersionId: z.string().nullable(),
  basedOnVersionNo: z.number().nullable(),
  content: planContentSchema,
  version: z.number(),
  createdBy: z.string(),
  createdByName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  signature: z
    .object({
      signedBy: z.string(),
      name: z.string(),
      credentials: z.string().nullable(),
      licenseNumber: z.string().nullable(),
      signedAt: z.string(),
    })
    .nullable(),
  contentHash: z.string().nullable(),
  reviewDueDate: z.string().nullable(),
  acknowledgements: z.array(acknowledgementView),
});

export const treatmentPlanView = z.object({
  clientId: z.string(),
  planId: z.string().nullable(),
  current: planVersionView.nullable(),
  draft: planVersionView.nullable(),
  review: z
    .object({ dueDate: z.string(), state: z.enum(REVIEW_STATES), daysUntilDue: z.number() })
    .nullable(),
  reviewDays: z.number(),
  clinicians: z.array(z.object({ id: z.string(), name: z.string(), credentials: z.string().nullable() })),
  canEdit: z.boolean(),
});

export const planVersionSummary = z.object({
  id: z.string(),
  versionNo: z.number(),
  status: z.enum(PLAN_VERSION_STATUSES),
  createdAt: z.string(),
  signedAt: z.string().nullable(),
  signerName: z.string().nullable(),
  reviewDueDate: z.string().nullable(),
  acknowledged: z.boolean(),
});

export const planFindingView = z.object({
  kind: z.enum(PLAN_FINDING_KINDS),
  path: z.string(),
  message: z.string(),
  goalId: z.string().optional(),
});
export const planFindingsView = z.object({ findings: z.array(planFindingView) });

export const planChangesView = z.object({
  versionId: z.string(),
  versionNo: z.number(),
  previous: z.object({ id: z.string(), versionNo: z.number() }).nullable(),
  changes: z.array(
    z.object({
      path: z.string(),
      label: z.string(),
      before: z.string().nullable(),
      after: z.string().nullable(),
    }),
  ),
});

const clientParam = z.object({ clientId: z.uuid() }).strict();

const tags = ['treatment plans'];

export const treatmentPlanRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/clients/:clientId/treatment-plan',
    {
      schema: {
        tags,
        summary: "The client's treatment plan: latest signed version, open draft, review state (audited)",
        params: clientParam,
        response: { 200: treatmentPlanView },
      },
    },
    async (req) => plans.getTreatmentPlan(ctxOf(req, deps), req.params.clientId),
  );

  app.post(
    '/api/v1/clients/:clientId/treatment-plan/draft',
    {
      schema: {
        tags,
        summary: 'Start the one open draft, copied from the latest signed version (409 if one is open)',
        params: clientParam,
        body: z.object({}).strict().default({}),
        response: { 201: planVersionView },
      },
    },
    async (req, reply) => {
      const draft = await plans.startDraft(ctxOf(req, deps), req.params.clientId);
      reply.header('etag', `"${draft.version}"`);
      return reply.status(201).send(draft);
    },
  );

  app.get(
    '/api/v1/clients/:clientId/treatment-plan/versions',
    {
      schema: {
        tags,
        summary: 'Every version of the plan, newest first (audited)',
        params: clientParam,
        response: { 200: z.object({ items: z.array(planVersionSummary) }) },
      },
    },
    async (req) => plans.listVersions(ctxOf(req, deps), req.params.clientId),
  );

  app.get(
    '/api/v1/treatment-plan-versions/:id',
    {
      schema: {
        tags,
        summary: 'One plan version (audited)',
        params: idParam,
        response: { 200: planVersionView },
      },
    },
    async (req, reply) => withEtag(reply, await plans.getVersion(ctxOf(req, deps), req.params.id)),
  );

  app.put(
    '/api/v1/treatment-plan-versions/:id',
    {
      schema: {
        tags,
        summary: 'Save the draft (If-Match: version; a stale copy gets 412 and nothing is written)',
        params: idParam,
        body: z.object({ content: planContentSchema }).strict(),
        response: { 200: planVersionView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await plans.saveDraft(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body.content),
      ),
  );

  app.delete(
    '/api/v1/treatment-plan-versions/:id',
    {
      schema: {
        tags,
        summary: 'Discard the open draft (If-Match); a signed version cannot be discarded',
        params: idParam,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await plans.discardDraft(ctxOf(req, deps), req.params.id, ifMatchVersion(req));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/treatment-plan-versions/:id/check',
    {
      schema: {
        tags,
        summary: 'What keeps this version from being signed, in plain words',
        params: idParam,
        response: { 200: planFindingsView },
      },
    },
    async (req) => plans.checkVersion(ctxOf(req, deps), req.params.id),
  );

  app.post(
    '/api/v1/treatment-plan-versions/:id/sign',
    {
      schema: {
        tags,
        summary: 'Sign the draft (re-authentication; If-Match); refused with the findings while any remain',
        params: idParam,
        body: z.object(reauthFields).strict(),
        response: { 200: planVersionView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await planSigning.signVersion(
          await signingCtx(req, deps, req.body),
          req.params.id,
          ifMatchVersion(req),
        ),
      ),
  );

  app.get(
    '/api/v1/treatment-plan-versions/:id/changes',
    {
      schema: {
        tags,
        summary: 'Differences from the version this one was based on (audited)',
        params: idParam,
        response: { 200: planChangesView },
      },
    },
    async (req) => plans.versionChanges(ctxOf(req, deps), req.params.id),
  );

  app.post(
    '/api/v1/treatment-plan-versions/:id/acknowledgements',
    {
      schema: {
        tags,
        summary:
          "Record the client's acknowledgement of a signed version (typed name, optional drawn signature)",
        params: idParam,
        body: z
          .object({
            typedName: z.string().trim().min(1, 'Type the client’s name').max(200),
            acknowledgedOn: isoDate,
            method: z.enum(ACKNOWLEDGEMENT_METHODS),
            signaturePng: z
              .string()
              .max(Math.ceil(planSigning.MAX_SIGNATURE_PNG_BYTES / 3) * 4 + 4)
              .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Base64 PNG without a data: prefix')
              .optional(),
          })
          .strict(),
        response: { 201: acknowledgementView },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await planSigning.recordAcknowledgement(ctxOf(req, deps), req.params.id, req.body)),
  );

  app.get(
    '/api/v1/treatment-plan-acknowledgements/:id/signature',
    {
      schema: {
        tags,
        summary: "The client's drawn signature (base64 PNG; audited)",
        params: idParam,
        response: { 200: z.object({ png: z.string() }) },
      },
    },
    async (req) => planSigning.acknowledgementSignature(ctxOf(req, deps), req.params.id),
  );
};
