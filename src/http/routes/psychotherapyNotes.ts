import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../services/context.js';

/** Psychotherapy notes: author-only, kept apart from the record. */
export const psychotherapyNoteRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (_app, { deps: _deps }) => {};
