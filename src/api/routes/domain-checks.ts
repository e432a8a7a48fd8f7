// POST /v1/domain-checks: DNS, authentication and transport health of a mail domain (issue 7).
import { createDomainCheckDeps, DomainCheckReportSchema, DomainCheckRequest, InvalidDomainCheckInput, runDomainChecks } from '../../dns/index.js';
import { HttpError } from '../errors.js';
import type { RouteModule } from '../types.js';

export const domainCheckRoutes: RouteModule = (app, ctx) => {
  // one resolver per process, so its TTL cache is shared by all requests
  const deps = createDomainCheckDeps({
    ...(ctx.config.DNS_SERVERS ? { dnsServers: ctx.config.DNS_SERVERS } : {}),
    dnsTimeoutMs: ctx.config.DNS_TIMEOUT_MS,
    probeAllowlist: ctx.config.PROBE_ALLOWLIST,
    smtpPort: ctx.config.SMTP_PROBE_PORT,
    dnsblZones: ctx.config.DNSBL_ZONES,
  });
  app.post('/domain-checks', {
    schema: {
      tags: ['domains'],
      summary: 'Check MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, PTR, blocklists and STARTTLS of a domain, with root causes and fixes',
      body: DomainCheckRequest,
      response: { 200: DomainCheckReportSchema },
    },
  }, async (req) => {
    try {
      return await runDomainChecks(req.body, deps);
    } catch (err) {
      if (err instanceof InvalidDomainCheckInput) throw new HttpError(400, 'validation_error', err.message, err.issues);
      throw err;
    }
  });
};
