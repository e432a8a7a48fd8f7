// Domain health checks (issue 7): the public surface used by the API, the CLI and /v1/diagnose.
export { createAddressGuard, type AddressGuard, type GuardDecision } from './guard.js';
export { createResolver, DnsQueryError, type Resolver, type ResolverOptions } from './resolver.js';
export { blocklistsFor, DEFAULT_BLOCKLISTS, type BlocklistZone } from './checks/dnsbl-zones.js';
export { PROVIDERS, PROVIDER_IDS, type ProviderId } from './providers.js';
export {
  DomainCheckRequest,
  DomainCheckReportSchema,
  type CheckId,
  type CheckResult,
  type DomainCheckReport,
  type DomainFinding,
  type Verdict,
} from './schema.js';
export {
  createDomainCheckDeps,
  evidenceForDiagnosis,
  InvalidDomainCheckInput,
  relevantChecks,
  runDomainChecks,
  type DomainCheckDeps,
} from './run.js';
