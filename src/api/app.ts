import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.js';
import { installAuth } from './auth.js';
import { installErrorHandling } from './errors.js';
import { healthRoutes } from './routes/health.js';
import { v1Routes } from './routes/index.js';
import type { ZodApp } from './types.js';

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log,
    bodyLimit: ctx.config.BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  }).withTypeProvider() as unknown as ZodApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'MailMedic API', version: '1', description: 'E-mail problem diagnosis for support chatbots, agents and mail admins.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(ctx));
  await app.register(
    async (v1: ZodApp) => {
      installAuth(v1, ctx);
      // Per key, and only here: health, metrics and docs stay unthrottled.
      await v1.register(rateLimit, {
        max: ctx.config.RATE_LIMIT_PER_MINUTE,
        timeWindow: 60_000,
        keyGenerator: (req) => req.headers.authorization ?? req.ip,
        errorResponseBuilder: (_req, c) => ({
          statusCode: 429,
          error: { code: 'rate_limited', message: `rate limit of ${c.max} requests per minute exceeded; retry in ${Math.ceil(c.ttl / 1000)} s` },
        }),
      });
      for (const routes of v1Routes) await routes(v1, ctx);
    },
    { prefix: '/v1' },
  );
  return app;
}
