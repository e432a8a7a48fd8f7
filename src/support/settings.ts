// Tenant settings sections of the support feature: service hours and queues (`support`), the
// hand-over webhook (`handoff`) and the Chatwoot agent bot (`chatwoot`).
import { z } from 'zod';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM (24-hour clock)');
const timeZone = z.string().max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone (e.g. Asia/Shanghai)');

export const SupportSettingsSchema = z
  .object({
    timezone: timeZone.default('Asia/Shanghai'),
    /** ISO weekdays: 1 = Monday … 7 = Sunday */
    workdays: z.array(z.number().int().min(1).max(7)).max(7).default([1, 2, 3, 4, 5]),
    start: clock.default('09:00'),
    end: clock.default('18:00'),
    /** dates (YYYY-MM-DD, tenant time zone) with no service */
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')).max(366).default([]),
    /** extra working days that fall on a weekend (调休) */
    extraWorkdays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')).max(366).default([]),
    /** the 24×7 channel urgent and security tickets go to outside service hours */
    emergency: z
      .object({ name: z.string().min(1).max(200).default('24x7 emergency line'), contact: z.string().max(200).optional(), waitMinutes: z.number().int().min(1).max(1440).default(30) })
      .default({ name: '24x7 emergency line', waitMinutes: 30 }),
    /** queue name per ticket kind, plus `advanced` for verified admins */
    queues: z.partialRecord(z.enum(['security', 'outage', 'config', 'other', 'advanced', 'emergency']), z.string().min(1).max(100)).default({}),
    /** typical first answer in service hours */
    waitMinutes: z.number().int().min(1).max(1440).default(15),
    /** offer a human after this long unresolved (default HANDOFF_IDLE_SECONDS) */
    idleSeconds: z.number().int().min(10).max(86_400).optional(),
    /** how admins complete the second factor, shown to unverified admins */
    verifyHint: z.string().max(500).optional(),
  })
  .refine((s) => s.start < s.end, { message: 'start must be before end', path: ['end'] });
export type SupportSettings = z.infer<typeof SupportSettingsSchema>;

export const HandoffSettingsSchema = z.object({
  webhook: z.object({ url: z.url(), secret: z.string().min(16, 'use a secret of at least 16 characters') }).optional(),
});
export type HandoffSettings = z.infer<typeof HandoffSettingsSchema>;

export const ChatwootSettingsSchema = z.object({
  baseUrl: z.url(),
  botToken: z.string().min(1),
  accountId: z.number().int().positive(),
});
export type ChatwootSettings = z.infer<typeof ChatwootSettingsSchema>;

/** From a tenant's settings object (tenants.settings). */
export function supportSettingsOf(settings: Record<string, unknown> | undefined): SupportSettings {
  const parsed = SupportSettingsSchema.safeParse(settings?.support ?? {});
  return parsed.success ? parsed.data : SupportSettingsSchema.parse({});
}

export function handoffSettingsOf(settings: Record<string, unknown> | undefined): HandoffSettings {
  const parsed = HandoffSettingsSchema.safeParse(settings?.handoff ?? {});
  return parsed.success ? parsed.data : {};
}

export function chatwootSettingsOf(settings: Record<string, unknown> | undefined): ChatwootSettings | null {
  const parsed = ChatwootSettingsSchema.safeParse(settings?.chatwoot);
  return parsed.success ? parsed.data : null;
}
