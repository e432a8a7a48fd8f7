import { z } from 'zod';
import { forecast, readMailbox, storeUsage, unpackSamples, DOMAINS_JOB, FORECAST_JOB, type UsageSample } from '../../alerts/index.js';
import { DomainCheckRequest } from '../../dns/index.js';
import { HttpError, notFound } from '../errors.js';
import type { RouteModule } from '../types.js';

const MAX_SAMPLES_PER_CALL = 10_000;

const Sample = z.object({
  mailbox: z.string().trim().min(1).max(320),
  usedBytes: z.number().nonnegative().finite(),
  quotaBytes: z.number().nonnegative().finite(),
  at: z.coerce.date({ error: 'must be an ISO 8601 date-time' }),
});

/** CSV with a header naming mailbox, usedBytes, quotaBytes, at (any order; used_bytes style also accepted). */
export function parseUsageCsv(text: string): { samples: UsageSample[]; errors: { line: number; message: string }[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const errors: { line: number; message: string }[] = [];
  if (!lines.length) return { samples: [], errors: [{ line: 1, message: 'the CSV is empty' }] };
  const header = lines[0]!.split(',').map((h) => h.trim().replace(/^"|"$/g, '').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
  const col = (name: string) => header.indexOf(name);
  const idx = { mailbox: col('mailbox'), usedBytes: col('usedBytes'), quotaBytes: col('quotaBytes'), at: col('at') };
  const missing = Object.entries(idx).filter(([, i]) => i < 0).map(([k]) => k);
  if (missing.length) return { samples: [], errors: [{ line: 1, message: `the header lacks ${missing.join(', ')} (expected mailbox,usedBytes,quotaBytes,at)` }] };
  const samples: UsageSample[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const parsed = Sample.safeParse({
      mailbox: cells[idx.mailbox],
      usedBytes: Number(cells[idx.usedBytes]),
      quotaBytes: Number(cells[idx.quotaBytes]),
      at: cells[idx.at],
    });
    if (parsed.success) samples.push(parsed.data);
    else errors.push({ line: i + 1, message: parsed.error.issues.map((e) => `${e.path.join('.')}: ${e.message}`).join('; ') });
  }
  return { samples, errors };
}

const ForecastOut = z.object({
  mailbox: z.string(),
  usedBytes: z.number(),
  quotaBytes: z.number(),
  usedPct: z.number(),
  dailyGrowth: z.number().nullable(),
  daysToFull: z.number().nullable(),
  fullAt: z.string().nullable(),
  interval: z.object({ low: z.number().nullable(), high: z.number().nullable() }).nullable(),
  method: z.string(),
  samples: z.number(),
  note: z.string().optional(),
});

const AlertOut = z.object({
  id: z.string(),
  kind: z.string(),
  subject: z.string(),
  episode: z.number(),
  severity: z.string(),
  status: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
  details: z.unknown(),
  createdAt: z.date(),
  ackedAt: z.date().nullable(),
  resolvedAt: z.date().nullable(),
  deliveries: z.array(z.object({ channel: z.string(), status: z.string(), attempts: z.number(), lastError: z.string().nullable() })),
});

const ALERT_COLUMNS = `a.id, a.kind, a.subject, a.episode, a.severity, a.status, a.message, a.details,
  a.created_at AS "createdAt", a.acked_at AS "ackedAt", a.resolved_at AS "resolvedAt",
  coalesce((SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status, 'attempts', d.attempts, 'lastError', d.last_error))
            FROM alert_deliveries d WHERE d.alert_id = a.id), '[]'::json) AS deliveries`;

export const alertRoutes: RouteModule = (app, ctx) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 8 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post('/mailboxes/usage', {
    schema: {
      tags: ['alerts'],
      summary: 'Store mailbox usage samples (JSON array or text/csv, up to 10,000 per call)',
      body: z.union([z.array(Sample), z.object({ samples: z.array(Sample) }), z.string()]),
      response: { 202: z.object({ mailboxes: z.number(), samples: z.number() }) },
    },
  }, async (req, reply) => {
    let samples: UsageSample[];
    if (typeof req.body === 'string') {
      const csv = parseUsageCsv(req.body);
      if (csv.errors.length) {
        throw new HttpError(400, 'validation_error', `the CSV has ${csv.errors.length} bad line(s); first: line ${csv.errors[0]!.line}: ${csv.errors[0]!.message}`, csv.errors.slice(0, 50));
      }
      samples = csv.samples;
    } else samples = Array.isArray(req.body) ? req.body : req.body.samples;
    if (samples.length === 0) throw new HttpError(400, 'validation_error', 'no samples in the request');
    if (samples.length > MAX_SAMPLES_PER_CALL) {
      throw new HttpError(413, 'payload_too_large', `at most ${MAX_SAMPLES_PER_CALL} samples per call (got ${samples.length}); split the upload`);
    }
    return reply.code(202).send(await storeUsage(ctx.db, req.auth.tenantId, samples));
  });

  app.get('/mailboxes/:mailbox/forecast', {
    schema: { tags: ['alerts'], summary: 'Storage forecast for one mailbox', params: z.object({ mailbox: z.string().min(1).max(320) }), response: { 200: ForecastOut } },
  }, async (req) => {
    const m = await readMailbox(ctx.db, req.auth.tenantId, req.params.mailbox);
    if (!m) throw notFound('mailbox usage');
    const { at, used } = unpackSamples(m.samples);
    return { mailbox: m.mailbox, ...forecast({ at, used, quotaBytes: m.quotaBytes }).toJSON() };
  });

  app.post('/alerts/run', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['alerts'],
      summary: "Run this tenant's forecast and domain monitoring now (they also run on their schedule)",
      response: { 202: z.object({ forecastJobId: z.string(), domainsJobId: z.string() }) },
    },
  }, async (req, reply) => {
    const forecastJobId = await ctx.jobs.enqueue(FORECAST_JOB, { tenantId: req.auth.tenantId });
    const domainsJobId = await ctx.jobs.enqueue(DOMAINS_JOB, { tenantId: req.auth.tenantId });
    return reply.code(202).send({ forecastJobId, domainsJobId });
  });

  const MonitoredDomain = DomainCheckRequest.omit({ lang: true });
  const MonitoredOut = z.object({
    domain: z.string(),
    expectedProvider: z.string().nullable(),
    sendingIps: z.array(z.string()),
    dkimSelectors: z.array(z.string()),
    lastCheckedAt: z.date().nullable(),
  });
  const MONITORED_COLUMNS = `domain, expected_provider AS "expectedProvider", sending_ips AS "sendingIps",
    dkim_selectors AS "dkimSelectors", last_checked_at AS "lastCheckedAt"`;

  app.post('/monitored-domains', {
    config: { roles: ['admin'] },
    schema: { tags: ['alerts'], summary: 'Monitor a domain: its checks re-run on the schedule and alert on harmful changes', body: MonitoredDomain, response: { 201: MonitoredOut } },
  }, async (req, reply) => {
    const b = req.body;
    const r = await ctx.db.query(
      `INSERT INTO monitored_domains (tenant_id, domain, expected_provider, sending_ips, dkim_selectors) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, domain) DO UPDATE SET expected_provider = EXCLUDED.expected_provider,
         sending_ips = EXCLUDED.sending_ips, dkim_selectors = EXCLUDED.dkim_selectors
       RETURNING ${MONITORED_COLUMNS}`,
      [req.auth.tenantId, b.domain, b.expectedProvider ?? null, b.sendingIps ?? [], b.dkimSelectors ?? []],
    );
    return reply.code(201).send(r.rows[0] as z.infer<typeof MonitoredOut>);
  });

  app.get('/monitored-domains', {
    schema: { tags: ['alerts'], summary: 'Monitored domains', response: { 200: z.object({ domains: z.array(MonitoredOut) }) } },
  }, async (req) => {
    const r = await ctx.db.query(`SELECT ${MONITORED_COLUMNS} FROM monitored_domains WHERE tenant_id = $1 ORDER BY domain`, [req.auth.tenantId]);
    return { domains: r.rows as z.infer<typeof MonitoredOut>[] };
  });

  app.delete('/monitored-domains/:domain', {
    config: { roles: ['admin'] },
    schema: { tags: ['alerts'], summary: 'Stop monitoring a domain', params: z.object({ domain: z.string().max(300) }), response: { 204: z.null() } },
  }, async (req, reply) => {
    const r = await ctx.db.query('DELETE FROM monitored_domains WHERE tenant_id = $1 AND domain = $2', [req.auth.tenantId, req.params.domain.toLowerCase()]);
    if (r.rowCount === 0) throw notFound('monitored domain');
    return reply.code(204).send(null);
  });

  app.get('/alerts', {
    schema: {
      tags: ['alerts'],
      summary: 'List alerts, newest first',
      querystring: z.object({
        status: z.enum(['open', 'acked', 'resolved']).optional(),
        kind: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        before: z.coerce.date().optional(),
      }),
      response: { 200: z.object({ alerts: z.array(AlertOut) }) },
    },
  }, async (req) => {
    const { status, kind, limit, before } = req.query;
    const r = await ctx.db.query(
      `SELECT ${ALERT_COLUMNS} FROM alerts a
       WHERE a.tenant_id = $1 AND ($2::text IS NULL OR a.status = $2) AND ($3::text IS NULL OR a.kind = $3)
         AND ($4::timestamptz IS NULL OR a.created_at < $4)
       ORDER BY a.created_at DESC LIMIT $5`,
      [req.auth.tenantId, status ?? null, kind ?? null, before ?? null, limit],
    );
    return { alerts: r.rows as z.infer<typeof AlertOut>[] };
  });

  app.post('/alerts/:id/ack', {
    schema: { tags: ['alerts'], summary: 'Acknowledge an alert', params: z.object({ id: z.uuid() }), response: { 200: AlertOut } },
  }, async (req) => {
    const r = await ctx.db.query(
      `UPDATE alerts a SET status = CASE WHEN status = 'open' THEN 'acked' ELSE status END, acked_at = coalesce(acked_at, now())
       WHERE a.id = $1 AND a.tenant_id = $2 RETURNING ${ALERT_COLUMNS}`,
      [req.params.id, req.auth.tenantId],
    );
    if (!r.rows[0]) throw notFound('alert');
    return r.rows[0] as z.infer<typeof AlertOut>;
  });
};
