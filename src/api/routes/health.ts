import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { knowledgeStatus } from '../../knowledge/index.js';

type Check = { status: 'ok' | 'error' | 'absent'; detail?: string };

async function probe(fn: () => Promise<void>): Promise<Check> {
  try {
    await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 2 s')), 2000).unref())]);
    return { status: 'ok' };
  } catch (err) {
    return { status: 'error', detail: (err as Error).message };
  }
}

/** Liveness, readiness and Prometheus metrics: no auth, no rate limit. */
export const healthRoutes = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const { config, db, jobs } = ctx;
    const database = { ...(await probe(() => db.ping())), driver: db.kind };
    const queue = { ...(await probe(() => jobs.ping())), driver: jobs.kind };
    const checks = {
      database,
      jobs: queue,
      pgvector: db.features.vector
        ? { status: 'ok' as const }
        : { status: 'absent' as const, detail: 'pgvector is not installed: knowledge search uses full text only' },
      llm: config.LLM_BASE_URL && config.LLM_MODEL
        ? { status: 'ok' as const, detail: `model ${config.LLM_MODEL}` }
        : { status: 'absent' as const, detail: 'no LLM configured: answers come from the deterministic engine and the knowledge base' },
      embeddings: config.EMBEDDINGS_BASE_URL && config.EMBEDDINGS_MODEL && db.features.vector
        ? { status: 'ok' as const, detail: `model ${config.EMBEDDINGS_MODEL}` }
        : { status: 'absent' as const, detail: 'no embeddings (not configured or no pgvector): full-text retrieval' },
      knowledge: await knowledgeStatus(ctx).catch((err: Error) => ({ status: 'error', detail: err.message })),
      pendingMigrations: ctx.pendingMigrations,
    };
    const ready = database.status === 'ok' && queue.status === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
};
