// Request and report shapes for domain checks. The request schema normalises the domain
// (trim, lower case, trailing dot, IDN → punycode) so the API and the CLI reject the same input.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { EvidenceSchema } from '../core/diagnosis.js';
import { Lang, RootCauseSchema } from '../core/taxonomy-schemas.js';
import { PROVIDER_IDS } from './providers.js';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower-cased ASCII (punycode) form of a domain name; '' when it cannot be converted. */
export function normalizeDomain(raw: string): string {
  const trimmed = raw.trim().replace(/\.$/, '');
  // WHATWG's domainToASCII reads a numeric last label as an IPv4 address and returns '',
  // which would hide the real problem from the user
  if (trimmed === '' || isIP(trimmed) || /\.\d+$/.test(trimmed)) return trimmed.toLowerCase();
  return domainToASCII(trimmed).toLowerCase();
}

/** Why `domain` (already normalised) is not a usable mail domain, or null when it is. */
export function domainProblem(domain: string): string | null {
  if (domain === '') return 'not a valid domain name';
  if (isIP(domain)) return 'expected a domain name, got an IP address';
  if (domain.length > 253) return `domain name is ${domain.length} characters long; the limit is 253`;
  const labels = domain.split('.');
  if (labels.length < 2) return 'domain name needs at least two labels, like example.com';
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) {
    return bad.length > 63
      ? `label "${bad.slice(0, 20)}…" is longer than 63 characters`
      : `"${bad}" is not a valid domain label (letters, digits and hyphens only)`;
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return 'the top-level label cannot be all digits';
  return null;
}

export const DomainName = z
  .string()
  .min(1, 'domain is required')
  .max(1024, 'domain name is far too long (the limit is 253 characters)')
  .overwrite(normalizeDomain)
  .superRefine((value, ctx) => {
    const problem = domainProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const IpAddress = z
  .string()
  .trim()
  .max(64)
  .refine((v) => isIP(v) !== 0, { message: 'not an IPv4 or IPv6 address' });

const Selector = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/, 'DKIM selector may contain letters, digits, "-", "_" and dots');

export const CHECK_IDS = ['sending-ips', 'mx', 'spf', 'dkim', 'dmarc', 'mta-sts', 'tls-rpt', 'ptr', 'dnsbl', 'smtp'] as const;
export const CheckIdSchema = z.enum(CHECK_IDS);
export type CheckId = z.infer<typeof CheckIdSchema>;

export const DomainCheckRequest = z.object({
  domain: DomainName,
  expectedProvider: z.enum(PROVIDER_IDS).optional(),
  sendingIps: z.array(IpAddress).max(10, 'at most 10 sending IPs per check').optional(),
  dkimSelectors: z.array(Selector).max(10, 'at most 10 DKIM selectors per check').optional(),
  lang: Lang.optional(),
  /** run only these checks (all when absent) */
  checks: z.array(CheckIdSchema).max(CHECK_IDS.length).optional(),
});
export type DomainCheckRequest = z.infer<typeof DomainCheckRequest>;

export const VERDICTS = ['pass', 'warn', 'fail', 'error'] as const;
export const VerdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof VerdictSchema>;


export const CheckResultSchema = z.object({
  id: CheckIdSchema,
  verdict: VerdictSchema,
  title: z.string(),
  explanation: z.string(),
  /** the raw DNS records / server replies the verdict is based on */
  records: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  warnings: z.array(z.string()),
  rootCause: RootCauseSchema.optional(),
  steps: z.array(z.string()),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const DomainFindingSchema = z.object({
  rootCause: RootCauseSchema,
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema),
});
export type DomainFinding = z.infer<typeof DomainFindingSchema>;

export const DomainCheckReportSchema = z.object({
  domain: z.string(),
  checkedAt: z.string(),
  checks: z.array(CheckResultSchema),
  findings: z.array(DomainFindingSchema),
  /** checks that could not run, with the reason (e.g. PTR without a sending IP) */
  skipped: z.array(z.object({ id: CheckIdSchema, reason: z.string() })),
});
export type DomainCheckReport = z.infer<typeof DomainCheckReportSchema>;
