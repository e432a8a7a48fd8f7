// What every check module shares: its inputs, bilingual text, and the rule that turns a list
// of problems into one verdict.
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { Lang, RootCause } from '../../core/taxonomy.js';
import type { AddressGuard } from '../guard.js';
import type { ProviderProfile } from '../providers.js';
import type { Resolver } from '../resolver.js';
import type { CheckId, CheckResult, Verdict } from '../schema.js';
import type { BlocklistZone } from './dnsbl-zones.js';

export interface CheckContext {
  domain: string;
  lang: Lang;
  resolver: Resolver;
  guard: AddressGuard;
  expected?: ProviderProfile;
  /** public sending IPs (guarded ones are reported separately and not used) */
  sendingIps: string[];
  dkimSelectors: string[];
  smtpPort: number;
  httpsPort: number;
  probeTimeoutMs: number;
  /** extra trusted CA certificates (PEM) for probes, added to Node's roots */
  extraCa: string[];
  blocklists: BlocklistZone[];
  heloName: string;
}

export interface Text {
  en: string;
  zh: string;
}

/** `say(lang)('english', '中文')` picks the caller's language. */
export function say(lang: Lang) {
  return (en: string, zh: string): string => (lang === 'zh' ? zh : en);
}

export interface Issue {
  level: 'warn' | 'fail' | 'error';
  text: string;
  rootCause?: RootCause;
  /** the exact record or reply that shows the problem */
  evidence?: string;
  /** set when the evidence ties the problem to a sending IP the user named */
  confidence?: number;
}

export interface CheckOutcome extends CheckResult {
  /** internal: the problems behind the verdict, used to build findings */
  issues: Issue[];
}

const RANK: Record<Verdict, number> = { pass: 0, warn: 1, error: 2, fail: 3 };

export function verdictOf(issues: Issue[]): Verdict {
  let v: Verdict = 'pass';
  for (const i of issues) if (RANK[i.level] > RANK[v]) v = i.level;
  return v;
}

export const TITLES: Record<CheckId, Text> = {
  'sending-ips': { en: 'Sending IPs', zh: '发信 IP' },
  mx: { en: 'MX records (where mail for the domain is delivered)', zh: 'MX 记录（本域邮件投递到哪里）' },
  spf: { en: 'SPF (which servers may send mail for the domain)', zh: 'SPF（哪些服务器可以代表本域发信）' },
  dkim: { en: 'DKIM signing keys', zh: 'DKIM 签名密钥' },
  dmarc: { en: 'DMARC policy', zh: 'DMARC 策略' },
  'mta-sts': { en: 'MTA-STS (enforced TLS for incoming mail)', zh: 'MTA-STS（强制加密接收邮件）' },
  'tls-rpt': { en: 'TLS-RPT (reports about TLS delivery problems)', zh: 'TLS-RPT（加密投递问题报告）' },
  ptr: { en: 'Reverse DNS (PTR) of the sending IPs', zh: '发信 IP 的反向解析（PTR）' },
  dnsbl: { en: 'DNS blocklists', zh: 'DNS 黑名单' },
  smtp: { en: 'SMTP and STARTTLS on the MX hosts', zh: 'MX 主机的 SMTP 与 STARTTLS' },
};

export interface OutcomeParts {
  /** shown when everything passed */
  okText: string;
  records: string[];
  details?: Record<string, unknown>;
  issues: Issue[];
  /** fix steps, used when the verdict is not pass */
  steps?: string[];
}

export function outcome(id: CheckId, lang: Lang, parts: OutcomeParts): CheckOutcome {
  const verdict = verdictOf(parts.issues);
  const worst = parts.issues.filter((i) => i.level === verdict);
  const rootCause = worst.find((i) => i.rootCause)?.rootCause ?? parts.issues.find((i) => i.rootCause)?.rootCause;
  return {
    id,
    verdict,
    title: TITLES[id][lang],
    explanation: verdict === 'pass' ? parts.okText : worst.map((i) => i.text).join(' '),
    records: parts.records,
    details: parts.details ?? {},
    warnings: parts.issues.map((i) => i.text),
    ...(rootCause && verdict !== 'pass' ? { rootCause } : {}),
    steps: verdict === 'pass' ? [] : (parts.steps ?? []),
    issues: parts.issues,
  };
}

/** Joins the character-strings of one TXT record (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
export function txtText(record: string[]): string {
  return record.join('');
}

/** Parses "k=v; k=v" tag lists (DMARC, DKIM, MTA-STS TXT, TLS-RPT). */
export function parseTags(record: string): { tags: Map<string, string>; order: string[]; errors: string[] } {
  const tags = new Map<string, string>();
  const order: string[] = [];
  const errors: string[] = [];
  for (const part of record.split(';')) {
    const piece = part.trim();
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq <= 0) {
      errors.push(piece);
      continue;
    }
    const key = piece.slice(0, eq).trim().toLowerCase();
    const value = piece.slice(eq + 1).trim();
    if (tags.has(key)) errors.push(`${key} (repeated)`);
    tags.set(key, value);
    order.push(key);
  }
  return { tags, order, errors };
}

// Two-label public suffixes common among our users; enough to find the organisational
// domain for DMARC without shipping the whole Public Suffix List.
const SECOND_LEVEL_SUFFIXES = new Set([
  'com.cn', 'net.cn', 'org.cn', 'gov.cn', 'edu.cn', 'ac.cn', 'com.hk', 'org.hk', 'net.hk', 'edu.hk',
  'com.tw', 'org.tw', 'net.tw', 'edu.tw', 'com.sg', 'com.my', 'co.jp', 'ne.jp', 'or.jp', 'co.kr',
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.nz', 'co.in', 'com.br', 'com.mx',
]);

/** Approximate organisational domain (RFC 7489 §3.2). */
export function orgDomain(domain: string): string {
  const labels = domain.split('.');
  const lastTwo = labels.slice(-2).join('.');
  return SECOND_LEVEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}

const contexts = new Map<string, SecureContext>();

/** Node's roots plus `extraCa`, built once per CA set (parsing the roots costs ~100 ms of CPU). */
export function trustContext(extraCa: string[]): SecureContext | undefined {
  if (extraCa.length === 0) return undefined;
  const key = extraCa.join('\n');
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = createSecureContext({ ca: [...rootCertificates, ...extraCa] });
    if (contexts.size > 16) contexts.clear();
    contexts.set(key, ctx);
  }
  return ctx;
}
