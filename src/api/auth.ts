import type { FastifyInstance } from 'fastify';
import { findActiveKey, touchApiKey, type ApiKeyRecord, type Role } from '../store/tenants.js';
import { perContext, type AppContext } from '../app/context.js';
import { HttpError } from './errors.js';

export interface AuthInfo {
  tenantId: string;
  role: Role;
  keyId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthInfo;
  }
  interface FastifyContextConfig {
    /** roles allowed on this route; both when absent */
    roles?: Role[];
    /** also accept the key as ?api_key= (webhook senders that cannot set headers, e.g. Chatwoot) */
    keyInQuery?: boolean;
  }
}

/** How long a verified key is trusted without asking the database: bounds how long a key revoked
 *  by another process keeps working. Revocations in this process take effect at once. */
const KEY_CACHE_MS = 10_000;
/** last_used_at is written at most this often per key (one row per key: writing it on every
 *  request would serialise all requests of a busy chatbot key). */
const TOUCH_EVERY_MS = 60_000;
const MAX_CACHED_KEYS = 10_000;

export interface KeyCache {
  lookup(key: string): Promise<ApiKeyRecord | null>;
  forget(keyId: string): void;
}

export function createKeyCache(ctx: AppContext): KeyCache {
  const cache = new Map<string, { record: ApiKeyRecord | null; until: number; touched: number }>();
  return {
    async lookup(key) {
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && hit.until > now) {
        if (hit.record && now - hit.touched > TOUCH_EVERY_MS) {
          hit.touched = now;
          void touchApiKey(ctx.db, hit.record.id).catch(() => {});
        }
        return hit.record;
      }
      const record = await findActiveKey(ctx.db, key);
      if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
      cache.set(key, { record, until: now + KEY_CACHE_MS, touched: now });
      return record;
    },
    forget(keyId) {
      for (const [k, v] of cache) if (v.record?.id === keyId) cache.delete(k);
    },
  };
}

export const keyCacheFor = perContext(createKeyCache);

/** Bearer-key authentication for every route registered in this scope; 401 / 403 decided here. */
export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  const keys = keyCacheFor(ctx);
  app.decorateRequest('auth', null as unknown as AuthInfo);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    let key = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!key && req.routeOptions.config.keyInQuery) {
      const q = (req.query as Record<string, unknown> | undefined)?.api_key;
      if (typeof q === 'string' && q) key = q;
    }
    if (!key) throw new HttpError(401, 'unauthorized', 'missing API key: send "Authorization: Bearer <key>"');
    const record = await keys.lookup(key);
    if (!record) throw new HttpError(401, 'unauthorized', 'invalid or revoked API key');
    req.auth = { tenantId: record.tenantId, role: record.role, keyId: record.id };
    const roles = req.routeOptions.config.roles;
    if (roles && !roles.includes(record.role)) {
      throw new HttpError(403, 'forbidden', `this operation needs the ${roles.join(' or ')} role`);
    }
  });
}
