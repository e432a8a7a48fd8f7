import { createDomainCheckDeps, type AddressGuard, type DomainCheckDeps } from '../dns/index.js';
import { perContext, type AppContext } from './context.js';

/** One resolver (with its TTL cache) and guard per process, shared by diagnoses and monitoring. */
export const domainDeps = perContext(
  (ctx): DomainCheckDeps =>
    createDomainCheckDeps({
      ...(ctx.config.DNS_SERVERS ? { dnsServers: ctx.config.DNS_SERVERS } : {}),
      dnsTimeoutMs: ctx.config.DNS_TIMEOUT_MS,
      probeAllowlist: ctx.config.PROBE_ALLOWLIST,
      smtpPort: ctx.config.SMTP_PROBE_PORT,
      dnsblZones: ctx.config.DNSBL_ZONES,
    }),
);

/** The guard every outbound connection (probes, webhooks, Chatwoot, alert e-mail) goes through. */
export const outboundGuard = (ctx: AppContext): AddressGuard => domainDeps(ctx).guard;
