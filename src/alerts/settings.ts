import { z } from 'zod';
import type { Tenant } from '../store/tenants.js';

/** tenants.settings.alerts */
export const AlertSettingsSchema = z.object({
  thresholdDays: z.number().min(0).max(365).optional(),
  /** cron for this tenant's forecast and domain runs (default FORECAST_CRON) */
  cron: z.string().min(1).max(100).optional(),
  timezone: z.string().max(64).optional(),
  webhook: z.object({ url: z.url(), secret: z.string().min(16, 'use a secret of at least 16 characters') }).optional(),
  email: z
    .object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false),
      user: z.string().optional(),
      pass: z.string().optional(),
      from: z.email(),
      to: z.array(z.email()).min(1),
      /** false only for test servers with self-signed certificates */
      tlsRejectUnauthorized: z.boolean().default(true),
    })
    .optional(),
});
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

export function alertSettingsOf(tenant: Tenant): AlertSettings {
  const parsed = AlertSettingsSchema.safeParse(tenant.settings.alerts ?? {});
  return parsed.success ? parsed.data : {};
}
