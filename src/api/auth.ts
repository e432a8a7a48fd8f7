import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findActiveKey, type Role } from '../store/tenants.js';
import type { AppContext } from '../app/context.js';
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
  }
}

/** Bearer-key authentication for every route registered in this scope; 401 / 403 decided here. */
export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('auth', null as unknown as AuthInfo);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw new HttpError(401, 'unauthorized', 'missing API key: send "Authorization: Bearer <key>"');
    const key = await findActiveKey(ctx.db, m[1]!);
    if (!key) throw new HttpError(401, 'unauthorized', 'invalid or revoked API key');
    req.auth = { tenantId: key.tenantId, role: key.role, keyId: key.id };
    const roles = req.routeOptions.config.roles;
    if (roles && !roles.includes(key.role)) {
      throw new HttpError(403, 'forbidden', `this operation needs the ${roles.join(' or ')} role`);
    }
  });
}

export const tenantOf = (req: FastifyRequest): string => req.auth.tenantId;
