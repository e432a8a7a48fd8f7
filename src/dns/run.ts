// Runs all domain checks in parallel and turns their problems into ranked findings.
import { hostname } from 'node:os';
import type { Evidence } from '../core/diagnosis.js';
import type { Lang, RootCause } from '../core/taxonomy.js';
import { type CheckContext, type CheckOutcome, outcome, say } from './checks/common.js';
import { checkDkim } from './checks/dkim.js';
import { checkDmarc } from './checks/dmarc.js';
import { type BlocklistZone, blocklistsFor, DEFAULT_BLOCKLISTS } from './checks/dnsbl-zones.js';
import { checkDnsbl, checkPtr } from './checks/ip.js';
import { checkMtaSts, checkTlsRpt } from './checks/mta-sts.js';
import { checkMx } from './checks/mx.js';
import { checkSmtp } from './checks/smtp.js';
import { checkSpf } from './checks/spf.js';
import { type AddressGuard, createAddressGuard } from './guard.js';
import { providerById } from './providers.js';
import { createResolver, DnsQueryError, type Resolver } from './resolver.js';
import { type CheckId, DomainCheckRequest, type DomainCheckReport, type DomainFinding } from './schema.js';

export interface DomainCheckDeps {
  resolver: Resolver;
  guard: AddressGuard;
  /** port for the SMTP probe (25 in production; tests use an ephemeral port) */
  smtpPort?: number;
  /** port for the MTA-STS policy fetch (443 in production) */
  httpsPort?: number;
  /** per-connection limit of the SMTP/HTTPS probes */
  timeoutMs?: number;
  /** extra trusted CA certificates (PEM) for the probes */
  extraCa?: string[];
  blocklists?: BlocklistZone[];
  heloName?: string;
}

/** Deps from plain settings (the service config or CLI flags); build once and reuse: the resolver caches. */
export function createDomainCheckDeps(settings: {
  dnsServers?: string[];
  dnsTimeoutMs?: number;
  probeAllowlist?: string[];
  smtpPort?: number;
  dnsblZones?: string[];
}): DomainCheckDeps {
  return {
    resolver: createResolver({ ...(settings.dnsServers?.length ? { servers: settings.dnsServers } : {}), timeoutMs: settings.dnsTimeoutMs ?? 2000 }),
    guard: createAddressGuard({ allow: settings.probeAllowlist ?? [] }),
    ...(settings.smtpPort ? { smtpPort: settings.smtpPort } : {}),
    ...(settings.dnsblZones ? { blocklists: blocklistsFor(settings.dnsblZones) } : {}),
  };
}

export class InvalidDomainCheckInput extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'InvalidDomainCheckInput';
  }
}

/** A check that could not finish because DNS did not answer: an error verdict, never a fail. */
function errorResult(id: CheckId, lang: Lang, err: unknown): CheckOutcome {
  const t = say(lang);
  const message =
    err instanceof DnsQueryError
      ? t(`The DNS server did not answer (${err.failure}) for ${err.qtype} ${err.qname}; the result is unknown, not a failure. Try again later or check the DNS servers.`, `DNS 服务器未能应答 ${err.qtype} ${err.qname}（${err.failure}）；结果未知，并非检查不通过。请稍后重试或检查 DNS 服务器。`)
      : t(`The check could not run: ${(err as Error).message}`, `检查无法完成：${(err as Error).message}`);
  return outcome(id, lang, { okText: '', records: [], issues: [{ level: 'error', text: message }] });
}

async function safely(id: CheckId, lang: Lang, run: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  try {
    return await run();
  } catch (err) {
    return errorResult(id, lang, err);
  }
}

export async function runDomainChecks(
  input: { domain: string; expectedProvider?: string; sendingIps?: string[]; dkimSelectors?: string[]; lang?: Lang; checks?: CheckId[] },
  deps: DomainCheckDeps,
): Promise<DomainCheckReport> {
  const parsed = DomainCheckRequest.safeParse(input);
  if (!parsed.success) {
    throw new InvalidDomainCheckInput(parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'input', message: i.message })));
  }
  const req = parsed.data;
  const lang = req.lang ?? 'en';
  const t = say(lang);
  const ips = [...new Set(req.sendingIps ?? [])];
  const refusedIps = ips.map((ip) => ({ ip, decision: deps.guard.check(ip) })).filter((x) => !x.decision.allowed);
  const expected = providerById(req.expectedProvider);
  const ctx: CheckContext = {
    domain: req.domain,
    lang,
    resolver: deps.resolver,
    guard: deps.guard,
    ...(expected ? { expected } : {}),
    sendingIps: ips.filter((ip) => !refusedIps.some((r) => r.ip === ip)),
    dkimSelectors: [...new Set(req.dkimSelectors ?? [])],
    smtpPort: deps.smtpPort ?? 25,
    httpsPort: deps.httpsPort ?? 443,
    probeTimeoutMs: deps.timeoutMs ?? 4000,
    extraCa: deps.extraCa ?? [],
    blocklists: deps.blocklists ?? DEFAULT_BLOCKLISTS,
    heloName: deps.heloName ?? hostname(),
  };

  const skipped: DomainCheckReport['skipped'] = [];
  const checks: Array<Promise<CheckOutcome | null>> = [];
  if (refusedIps.length > 0) {
    checks.push(
      Promise.resolve(
        outcome('sending-ips', lang, {
          okText: '',
          records: refusedIps.map((r) => r.ip),
          issues: refusedIps.map((r) => ({
            level: 'warn' as const,
            text: t(`${r.ip} is a ${r.decision.reason} address: receivers on the internet never see it, so it was not checked. Give the public IP your mail leaves from.`, `${r.ip} 是${r.decision.reasonZh ?? r.decision.reason}地址：互联网上的收件方看不到它，因此未检查。请提供邮件实际外发的公网 IP。`),
          })),
        }),
      ),
    );
  }
  const want = (id: CheckId) => !req.checks || req.checks.includes(id);
  if (want('mx') || want('smtp') || want('mta-sts')) {
    const mx = checkMx(ctx).catch((err: unknown) => ({ result: errorResult('mx', lang, err), hosts: [] }));
    if (want('mx')) checks.push(mx.then((m) => m.result));
    if (want('smtp')) {
      checks.push(
        mx.then((m) => {
          if (m.hosts.some((h) => h.probeable.length > 0)) return safely('smtp', lang, () => checkSmtp(ctx, m.hosts));
          skipped.push({ id: 'smtp', reason: t('no MX host with a public address to probe', '没有可探测的公网 MX 主机') });
          return null;
        }),
      );
    }
    if (want('mta-sts')) checks.push(safely('mta-sts', lang, () => checkMtaSts(ctx, mx.then((m) => m.hosts))));
  }
  if (want('spf')) checks.push(safely('spf', lang, () => checkSpf(ctx)));
  if (want('dkim')) checks.push(safely('dkim', lang, () => checkDkim(ctx)));
  if (want('dmarc')) checks.push(safely('dmarc', lang, () => checkDmarc(ctx)));
  if (want('tls-rpt')) checks.push(safely('tls-rpt', lang, () => checkTlsRpt(ctx)));
  for (const id of ['ptr', 'dnsbl'] as const) {
    if (!want(id)) continue;
    if (ctx.sendingIps.length > 0) checks.push(safely(id, lang, () => (id === 'ptr' ? checkPtr(ctx) : checkDnsbl(ctx))));
    else skipped.push({ id, reason: t('no public sending IP given', '未提供公网发信 IP') });
  }

  const outcomes = (await Promise.all(checks)).filter((c): c is CheckOutcome => c !== null);
  return {
    domain: req.domain,
    checkedAt: new Date().toISOString(),
    checks: outcomes.map(({ issues: _issues, ...result }) => result),
    findings: findingsOf(outcomes),
    skipped,
  };
}

/** One finding per root cause, from the fail/warn problems of all checks. */
function findingsOf(outcomes: CheckOutcome[]): DomainFinding[] {
  const byCause = new Map<RootCause, DomainFinding>();
  for (const o of outcomes) {
    for (const issue of o.issues) {
      if (!issue.rootCause || issue.level === 'error') continue;
      const confidence = issue.confidence ?? (issue.level === 'fail' ? 0.85 : 0.5);
      const evidence: Evidence = { source: `dns:${o.id}`, text: issue.evidence ?? o.records[0] ?? '', note: issue.text };
      const f = byCause.get(issue.rootCause);
      if (f) {
        f.confidence = Math.max(f.confidence, confidence);
        f.evidence.push(evidence);
      } else byCause.set(issue.rootCause, { rootCause: issue.rootCause, confidence, evidence: [evidence] });
    }
  }
  return [...byCause.values()].sort((a, b) => b.confidence - a.confidence);
}

// Root causes a bounce cannot tell apart but a domain check can (a 5.7.26 says "DMARC failed",
// the records say whether SPF or DKIM is the broken part), and the checks that look at them.
const FAMILIES: Array<{ causes: RootCause[]; checks: CheckId[] }> = [
  { causes: ['spf_failure', 'dkim_failure', 'dmarc_failure'], checks: ['spf', 'dkim', 'dmarc'] },
  { causes: ['ptr_missing', 'ip_blocklisted', 'bad_reputation'], checks: ['ptr', 'dnsbl', 'spf'] },
  { causes: ['mx_misconfigured', 'recipient_domain_invalid', 'sender_domain_invalid', 'connection_failed'], checks: ['mx', 'smtp'] },
  { causes: ['tls_failure', 'starttls_required'], checks: ['smtp', 'mta-sts'] },
];

/** The checks worth running for these diagnosis candidates (e.g. a 5.7.26 bounce → spf, dkim, dmarc). */
export function relevantChecks(rootCauseCandidates: string[]): CheckId[] {
  const ids = new Set<CheckId>();
  for (const f of FAMILIES) {
    if (rootCauseCandidates.some((c) => f.causes.includes(c as RootCause))) for (const id of f.checks) ids.add(id);
  }
  return [...ids];
}

/**
 * Domain-check findings that support or refine the diagnosis candidates. A finding with the
 * same root cause as a candidate confirms it; a related one (same family) names the concrete cause.
 */
export function evidenceForDiagnosis(
  rootCauseCandidates: string[],
  report: Pick<DomainCheckReport, 'findings'>,
): Array<{ rootCause: RootCause; confidence: number; evidence: Evidence[] }> {
  const out = new Map<RootCause, DomainFinding>();
  for (const candidate of rootCauseCandidates) {
    const family = FAMILIES.find((f) => f.causes.includes(candidate as RootCause))?.causes ?? [candidate as RootCause];
    for (const f of report.findings) {
      if (!family.includes(f.rootCause)) continue;
      const confidence = f.rootCause === candidate ? Math.min(0.97, f.confidence + 0.05) : f.confidence;
      const prev = out.get(f.rootCause);
      if (!prev || prev.confidence < confidence) out.set(f.rootCause, { ...f, confidence });
    }
  }
  return [...out.values()].sort((a, b) => b.confidence - a.confidence);
}
