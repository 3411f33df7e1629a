import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import { CPT_CODES, MODALITIES, SERVICE_TYPES } from '../../domain/cptTimeRule.js';
import {
  INTERVENTION_OPTIONS,
  MSE_DOMAIN_LABELS,
  MSE_DOMAINS,
  MSE_OPTIONS,
  RISK_ITEM_LABELS,
  RISK_ITEMS,
  RISK_LEVEL_LABELS,
  RISK_LEVELS,
} from '../../domain/noteTemplates.js';
import { MODALITY_LABELS, SERVICE_TYPE_LABELS } from '../../domain/sessionLabels.js';

// Code sets and vocabulary hold no client data: any signed-in user may read them, unaudited.

const option = z.object({ value: z.string(), label: z.string() });

export const icd10SearchView = z.object({
  items: z.array(z.object({ code: z.string(), title: z.string(), billable: z.boolean() })),
});

export const cptCodesView = z.object({ items: z.array(z.object({ code: z.string(), label: z.string() })) });

export const noteOptionsView = z.object({
  interventions: z.array(option),
  mseDomains: z.array(
    z.object({ domain: z.enum(MSE_DOMAINS), label: z.string(), options: z.array(z.string()) }),
  ),
  riskLevels: z.array(z.object({ value: z.enum(RISK_LEVELS), label: z.string() })),
  riskItems: z.array(z.object({ value: z.enum(RISK_ITEMS), label: z.string() })),
  serviceTypes: z.array(z.object({ value: z.enum(SERVICE_TYPES), label: z.string() })),
  modalities: z.array(z.object({ value: z.enum(MODALITIES), label: z.string() })),
});

// Built once: the lists are constants, in the order the forms show them.
const NOTE_OPTIONS: z.infer<typeof noteOptionsView> = {
  interventions: INTERVENTION_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
  mseDomains: MSE_DOMAINS.map((domain) => ({
    domain,
    label: MSE_DOMAIN_LABELS[domain],
    options: [...MSE_OPTIONS[domain]],
  })),
  riskLevels: RISK_LEVELS.map((value) => ({ value, label: RISK_LEVEL_LABELS[value] })),
  riskItems: RISK_ITEMS.map((value) => ({ value, label: RISK_ITEM_LABELS[value] })),
  serviceTypes: SERVICE_TYPES.map((value) => ({ value, label: SERVICE_TYPE_LABELS[value] })),
  modalities: MODALITIES.map((value) => ({ value, label: MODALITY_LABELS[value] })),
};

/** Code sets and pick lists: ICD-10-CM search, CPT codes, note options. */
export const codeRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/codes/icd10',
    {
      schema: {
        tags: ['codes'],
        summary: 'Search ICD-10-CM by code ("F41", "f41.1"), title words or a common abbreviation ("ptsd")',
        querystring: z
          .object({
            q: z.string().trim().min(1, 'Type a code or a word').max(100),
            limit: z.coerce.number().int().min(1).max(50).default(20),
          })
          .strict(),
        response: { 200: icd10SearchView },
      },
    },
    async (req) => ({ items: (await deps.icd10()).search(req.query.q, req.query.limit) }),
  );

  app.get(
    '/api/v1/codes/cpt',
    {
      schema: {
        tags: ['codes'],
        summary: 'The CPT codes a clinician may choose when overriding the suggestion',
        response: { 200: cptCodesView },
      },
    },
    async () => ({ items: CPT_CODES.map((c) => ({ code: c.code, label: c.label })) }),
  );

  app.get(
    '/api/v1/codes/note-options',
    {
      schema: {
        tags: ['codes'],
        summary: 'Labelled pick lists for note forms: interventions, MSE, risk, service types, modalities',
        response: { 200: noteOptionsView },
      },
    },
    async () => NOTE_OPTIONS,
  );
};
