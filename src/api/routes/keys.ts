import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../store/tenants.js';
import { keyCacheFor } from '../auth.js';
import { notFound } from '../errors.js';
import type { RouteModule } from '../types.js';

const KeyOut = z.object({
  id: z.string(),
  prefix: z.string(),
  role: z.enum(['admin', 'agent']),
  label: z.string().nullable(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

/** API keys of the caller's own tenant (admin only). */
export const keyRoutes: RouteModule = (app, ctx) => {
  app.get('/keys', {
    config: { roles: ['admin'] },
    schema: { tags: ['keys'], summary: "List this tenant's API keys (prefixes only)", response: { 200: z.object({ keys: z.array(KeyOut) }) } },
  }, async (req) => ({ keys: await listApiKeys(ctx.db, req.auth.tenantId) }));

  app.post('/keys', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['keys'],
      summary: 'Create an API key; the key is shown once',
      body: z.object({ role: z.enum(['admin', 'agent']), label: z.string().max(200).optional() }),
      response: { 201: z.object({ key: z.string(), record: KeyOut }) },
    },
  }, async (req, reply) => {
    const created = await createApiKey(ctx.db, req.auth.tenantId, req.body.role, req.body.label ?? null);
    return reply.code(201).send(created);
  });

  app.delete('/keys/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['keys'], summary: 'Revoke an API key', params: z.object({ id: z.uuid() }), response: { 204: z.null() } },
  }, async (req, reply) => {
    const mine = (await listApiKeys(ctx.db, req.auth.tenantId)).some((k) => k.id === req.params.id);
    if (!mine || !(await revokeApiKey(ctx.db, req.params.id))) throw notFound('API key');
    keyCacheFor(ctx).forget(req.params.id);
    return reply.code(204).send(null);
  });
};
