import type { AppContext } from './context.js';
import { countTenants, createApiKey, createTenant } from '../store/tenants.js';

/** First start on an empty database: a default tenant and one admin key, returned once to print. */
export async function ensureDefaultTenant(ctx: AppContext): Promise<{ tenant: string; key: string } | null> {
  return ctx.db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(727002)'); // two processes starting together
    if ((await countTenants(q)) > 0) return null;
    const tenant = await createTenant(q, 'default', 'Default tenant');
    const { key } = await createApiKey(q, tenant.id, 'admin', 'created at first start');
    return { tenant: tenant.id, key };
  });
}
