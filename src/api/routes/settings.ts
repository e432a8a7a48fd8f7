// Tenant settings, one section per feature. Secrets are write-only: GET shows "***".
import { z } from 'zod';
import { AlertSettingsSchema } from '../../alerts/settings.js';
import { scheduleTenantAlerts } from '../../alerts/jobs.js';
import { ChatwootSettingsSchema, HandoffSettingsSchema, SupportSettingsSchema } from '../../support/settings.js';
import { getTenant, updateTenantSettings } from '../../store/tenants.js';
import type { AppContext } from '../../app/context.js';
import { notFound, validationError } from '../errors.js';
import type { RouteModule } from '../types.js';

interface Section {
  schema: z.ZodType<Record<string, unknown>>;
  /** dotted paths of write-only values */
  secrets: string[];
  afterUpdate?: (ctx: AppContext, tenantId: string) => Promise<void>;
}

export const SETTINGS_SECTIONS: Record<string, Section> = {
  alerts: { schema: AlertSettingsSchema, secrets: ['webhook.secret', 'email.pass'], afterUpdate: scheduleTenantAlerts },
  support: { schema: SupportSettingsSchema, secrets: [] },
  handoff: { schema: HandoffSettingsSchema, secrets: ['webhook.secret'] },
  chatwoot: { schema: ChatwootSettingsSchema, secrets: ['botToken'] },
};

function maskSecrets(value: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const copy = structuredClone(value);
  for (const path of paths) {
    const keys = path.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const k of keys.slice(0, -1)) node = node?.[k] as Record<string, unknown> | undefined;
    const last = keys[keys.length - 1]!;
    if (node && node[last] !== undefined) node[last] = '***';
  }
  return copy;
}

export const settingsRoutes: RouteModule = (app, ctx) => {
  const Params = z.object({ section: z.enum(Object.keys(SETTINGS_SECTIONS) as [string, ...string[]]) });

  app.get('/settings/:section', {
    config: { roles: ['admin'] },
    schema: { tags: ['settings'], summary: 'Read a settings section (secrets masked)', params: Params },
  }, async (req) => {
    const tenant = await getTenant(ctx.db, req.auth.tenantId);
    if (!tenant) throw notFound('tenant');
    const section = SETTINGS_SECTIONS[req.params.section]!;
    const value = (tenant.settings[req.params.section] ?? {}) as Record<string, unknown>;
    return { [req.params.section]: maskSecrets(value, section.secrets) };
  });

  app.put('/settings/:section', {
    config: { roles: ['admin'] },
    schema: { tags: ['settings'], summary: 'Replace a settings section', params: Params, body: z.record(z.string(), z.unknown()) },
  }, async (req) => {
    const section = SETTINGS_SECTIONS[req.params.section]!;
    const parsed = section.schema.safeParse(req.body);
    if (!parsed.success) {
      throw validationError(parsed.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })), `${req.params.section} settings`);
    }
    await updateTenantSettings(ctx.db, req.auth.tenantId, { [req.params.section]: parsed.data });
    await section.afterUpdate?.(ctx, req.auth.tenantId);
    return { [req.params.section]: maskSecrets(parsed.data, section.secrets) };
  });
};
