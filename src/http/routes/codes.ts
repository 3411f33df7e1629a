import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../services/context.js';

/** Code sets and pick lists: ICD-10-CM search, CPT codes, note options. */
export const codeRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (_app, { deps: _deps }) => {};
