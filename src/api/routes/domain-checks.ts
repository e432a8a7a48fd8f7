// POST /v1/domain-checks: DNS, authentication and transport health of a mail domain (issue 7).
import { DomainCheckReportSchema, DomainCheckRequest, InvalidDomainCheckInput, runDomainChecks } from '../../dns/index.js';
import { domainDeps } from '../../app/domain-deps.js';
import { HttpError } from '../errors.js';
import type { RouteModule } from '../types.js';

export const domainCheckRoutes: RouteModule = (app, ctx) => {
  // one resolver per process, so its TTL cache is shared with diagnoses and monitoring
  const deps = domainDeps(ctx);
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
