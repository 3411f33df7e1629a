import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { newId } from '../security/ids.js';
import type { AppDeps } from '../services/context.js';
import { problemHandler, sendProblem } from './problem.js';
import { loggerOptions } from './logging.js';
import { firstUnstorablePath } from './schemas.js';
import { registerAuth } from './authPlugin.js';
import { healthRoutes } from './routes/health.js';
import { setupRoutes } from './routes/setup.js';
import { authRoutes } from './routes/auth.js';
import { accountRoutes } from './routes/account.js';
import { staffRoutes } from './routes/staff.js';
import { settingsRoutes } from './routes/settings.js';
import { clientRoutes } from './routes/clients.js';
import { auditRoutes } from './routes/audit.js';
import { sessionRoutes } from './routes/sessions.js';
import { noteRoutes } from './routes/notes.js';
import { psychotherapyNoteRoutes } from './routes/psychotherapyNotes.js';
import { calendarFeedRoutes } from './routes/calendarFeeds.js';
import { templateRoutes } from './routes/templates.js';
import { codeRoutes } from './routes/codes.js';
import { documentationRoutes } from './routes/documentation.js';
import { chartRoutes } from './routes/chart.js';
import { diagnosisRoutes } from './routes/diagnoses.js';
import { annotationRoutes } from './routes/annotations.js';
import { measureRoutes } from './routes/measures.js';
import { questionnaireLinkRoutes } from './routes/questionnaireLinks.js';
import { treatmentPlanRoutes } from './routes/treatmentPlans.js';
import { progressReportRoutes } from './routes/progressReport.js';
import { goalProgressRoutes } from './routes/goalProgress.js';
import { consentRoutes } from './routes/consents.js';
import { releaseRoutes } from './routes/releases.js';
import { clientImportRoutes } from './routes/clientImports.js';
import { fhirImportRoutes } from './routes/fhirImports.js';
import { handoverRoutes } from './routes/handovers.js';
import { recordRequestRoutes } from './routes/recordRequests.js';
import { practiceExportRoutes } from './routes/practiceExports.js';

export interface AppOptions {
  logLevel?: string;
  logStream?: NodeJS.WritableStream;
  /** Folder of the built web app; omitted in API-only tests. */
  webDist?: string | null;
  /** Auth rate limit per minute per address (tests raise it). */
  authRateLimit?: number;
}

export type App = FastifyInstance;

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export async function buildApp(deps: AppDeps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logLevel ?? 'info', opts.logStream),
    genReqId: () => newId(),
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    trustProxy: process.env.CASEBOOK_TRUST_PROXY === '1',
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemHandler);
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !opts.webDist)
      return sendProblem(req, reply, 404, 'Not Found', 'No such resource.');
    return reply.type('text/html').sendFile('index.html');
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('cache-control', 'no-store');
  });
  app.addHook('preValidation', async (req, reply) => {
    for (const [part, value] of [
      ['body', req.body],
      ['querystring', req.query],
      ['params', req.params],
    ] as const) {
      const path = firstUnstorablePath(value);
      if (path !== null) {
        const where = path ? `${part}.${path}` : part;
        return sendProblem(
          req,
          reply,
          400,
          'Bad Request',
          'Text contains a character that cannot be stored.',
          {
            errors: [{ path: where, message: 'Contains a NUL character or a broken Unicode surrogate' }],
          },
        );
      }
    }
    return undefined;
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Casebook API',
        version: '1',
        description: 'Therapy case notes. Errors are RFC 9457 problem documents.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cb_session' },
          token: { type: 'http', scheme: 'bearer', description: 'Personal API token (cb_...)' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () =>
    app.swagger(),
  );

  registerAuth(app, deps);
  const authLimit = opts.authRateLimit ?? 20;
  await app.register(healthRoutes, { deps });
  await app.register(setupRoutes, { deps, authLimit });
  await app.register(authRoutes, { deps, authLimit });
  await app.register(accountRoutes, { deps });
  await app.register(staffRoutes, { deps });
  await app.register(settingsRoutes, { deps });
  await app.register(clientRoutes, { deps });
  await app.register(auditRoutes, { deps });
  await app.register(sessionRoutes, { deps });
  await app.register(noteRoutes, { deps });
  await app.register(psychotherapyNoteRoutes, { deps });
  await app.register(calendarFeedRoutes, { deps });
  await app.register(templateRoutes, { deps });
  await app.register(codeRoutes, { deps });
  await app.register(documentationRoutes, { deps });
  await app.register(chartRoutes, { deps });
  await app.register(diagnosisRoutes, { deps });
  await app.register(questionnaireLinkRoutes, { deps, publicLimit: authLimit });
  await app.register(annotationRoutes, { deps });
  await app.register(measureRoutes, { deps });
  await app.register(treatmentPlanRoutes, { deps });
  await app.register(progressReportRoutes, { deps });
  await app.register(goalProgressRoutes, { deps });
  await app.register(consentRoutes, { deps });
  await app.register(releaseRoutes, { deps });
  await app.register(clientImportRoutes, { deps });
  await app.register(fhirImportRoutes, { deps });
  await app.register(handoverRoutes, { deps });
  await app.register(recordRequestRoutes, { deps });
  await app.register(practiceExportRoutes, { deps });

  const webDist =
    opts.webDist === undefined ? (existsSync(DEFAULT_WEB_DIST) ? DEFAULT_WEB_DIST : null) : opts.webDist;
  if (webDist) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: 'index.html' });
  }
  opts.webDist = webDist;
  return app;
}
