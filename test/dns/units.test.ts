// The pure pieces: address guard, request schema, SPF/DKIM/MTA-STS parsers, provider data,
// resolver cache, and how bounce candidates pick up domain findings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectDkimRecord } from '../../src/dns/checks/dkim.js';
import { reversedIp } from '../../src/dns/checks/ip.js';
import { mxMatches, parseStsPolicy } from '../../src/dns/checks/mta-sts.js';
import { parseSpf } from '../../src/dns/checks/spf.js';
import { createAddressGuard, createResolver, DomainCheckRequest, evidenceForDiagnosis, relevantChecks } from '../../src/dns/index.js';
import { providerOfMx } from '../../src/dns/providers.js';
import { type FixtureDnsServer, startDnsServer } from './helpers/dns-server.js';
import { dkimKey } from './helpers/zones.js';

describe('address guard', () => {
  const guard = createAddressGuard();
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.20.30.40', 'private'],
    ['192.168.1.1', 'private'],
    ['172.31.255.255', 'private'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['224.0.0.251', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['mx.example.com', 'not an IP'],
  ])('refuses %s (%s)', (ip, why) => {
    const d = guard.check(ip);
    expect(d.allowed).toBe(false);
    expect(d.reason).toContain(why);
  });

  it('allows public addresses and the configured allowlist', () => {
    expect(guard.check('8.8.8.8').allowed).toBe(true);
    expect(guard.check('2001:4860:4860::8888').allowed).toBe(true);
    const test = createAddressGuard({ allow: ['127.0.0.1', '10.9.0.0/16'] });
    expect(test.check('127.0.0.1').allowed).toBe(true);
    expect(test.check('127.0.0.2').allowed).toBe(false);
    expect(test.check('10.9.200.1').allowed).toBe(true);
    expect(() => createAddressGuard({ allow: ['localhost'] })).toThrow(/not an IP address or CIDR/);
  });
});

describe('DomainCheckRequest', () => {
  it('normalises case, trailing dot and IDNs', () => {
    expect(DomainCheckRequest.parse({ domain: ' Example.COM. ' }).domain).toBe('example.com');
    expect(DomainCheckRequest.parse({ domain: 'bücher.de' }).domain).toBe('xn--bcher-kva.de');
  });

  it.each([
    ['', 'domain is required'],
    ['localhost', 'at least two labels'],
    ['2001:db8::1', 'got an IP address'],
    ['a_b.example.com', 'not a valid domain label'],
    [`${'x'.repeat(64)}.com`, 'longer than 63 characters'],
    ['example.123', 'all digits'],
    ['x'.repeat(2000), 'far too long'],
  ])('rejects %j', (domain, message) => {
    const r = DomainCheckRequest.safeParse({ domain });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain(message);
  });

  it('validates provider, IPs and selectors', () => {
    expect(DomainCheckRequest.safeParse({ domain: 'a.com', expectedProvider: 'yahoo' }).success).toBe(false);
    expect(DomainCheckRequest.safeParse({ domain: 'a.com', sendingIps: ['1.2.3'] }).success).toBe(false);
    expect(DomainCheckRequest.safeParse({ domain: 'a.com', dkimSelectors: ['bad selector'] }).success).toBe(false);
    expect(DomainCheckRequest.parse({ domain: 'a.com', sendingIps: [' 203.0.113.7 '], dkimSelectors: ['S1'] })).toMatchObject({
      sendingIps: ['203.0.113.7'], dkimSelectors: ['s1'],
    });
  });
});

describe('parsers', () => {
  it('splits SPF terms and flags invalid ones', () => {
    const { terms, errors } = parseSpf('v=spf1 +a mx/24 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.x.com ~all redirect=y.com exp=e.y.com');
    expect(terms.map((t) => `${t.qualifier}${t.name}`)).toEqual(['+a', '+mx', '+ip4', '+ip6', '+include', '~all', '+redirect', '+exp']);
    expect(terms[1]?.value).toBe('/24');
    expect(errors).toEqual([]);
    expect(parseSpf('v=spf1 ip4:1.2.3 include: all:x bogus -all').errors).toEqual(['ip4:1.2.3', 'include:', 'all:x', 'bogus']);
  });

  it('reads DKIM key records', () => {
    expect(inspectDkimRecord('s', `v=DKIM1; k=rsa; p=${dkimKey(1024)}`)).toMatchObject({ bits: 1024, problem: null });
    expect(inspectDkimRecord('s', 'v=DKIM1; p=')).toMatchObject({ revoked: true });
    expect(inspectDkimRecord('s', 'v=DKIM1; k=rsa; p=bm90IGEga2V5')).toMatchObject({ problem: 'key data cannot be decoded' });
    expect(inspectDkimRecord('s', 'v=DKIM2; p=abc').problem).toBe('v=DKIM2');
    expect(inspectDkimRecord('s', `v=DKIM1; k=ed25519; t=y; p=${Buffer.alloc(32, 1).toString('base64')}`)).toMatchObject({ bits: 256, testing: true });
  });

  it('reads MTA-STS policies and matches MX patterns (RFC 8461 §4.1)', () => {
    const p = parseStsPolicy('version: STSv1\r\nmode: enforce\r\nmx: *.mail.example.com\r\nmx: mx.example.com\r\nmax_age: 604800\r\n');
    expect(p).toMatchObject({ mode: 'enforce', maxAge: 604800, mx: ['*.mail.example.com', 'mx.example.com'], errors: [] });
    expect(parseStsPolicy('version: STSv1\nmode: strict\n').errors).toEqual(['mode: strict', 'max_age: (missing)', 'no mx: lines']);
    expect(mxMatches('*.mail.example.com', 'a.mail.example.com')).toBe(true);
    expect(mxMatches('*.mail.example.com', 'a.b.mail.example.com')).toBe(false);
    expect(mxMatches('*.mail.example.com', 'mail.example.com')).toBe(false);
  });

  it('reverses IPv4 and IPv6 for PTR and DNSBL names', () => {
    expect(reversedIp('203.0.113.7')).toBe('7.113.0.203');
    expect(reversedIp('2001:db8::1')).toBe(`1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2`);
  });

  it('recognises provider MX hosts', () => {
    expect(providerOfMx('contoso-com.mail.protection.outlook.com.')?.id).toBe('microsoft365');
    expect(providerOfMx('ALT2.ASPMX.L.GOOGLE.COM')?.id).toBe('google');
    expect(providerOfMx('mxbiz2.qq.com')?.id).toBe('tencent');
    expect(providerOfMx('mxw.mxhichina.com')?.id).toBe('aliyun');
    expect(providerOfMx('qiye163mx02.mxmail.netease.com')?.id).toBe('netease');
    expect(providerOfMx('mx2.zoho.eu')?.id).toBe('zoho');
    expect(providerOfMx('mail.example.com')).toBeUndefined();
  });
});

describe('resolver', () => {
  let dns: FixtureDnsServer;
  beforeAll(async () => {
    dns = await startDnsServer({ 'cached.test': [{ TXT: 'hello' }, { A: '192.0.2.1' }] });
  });
  afterAll(() => dns.close());

  it('shares in-flight queries and caches answers, including "no such name"', async () => {
    const r = createResolver({ servers: [dns.server], timeoutMs: 1000 });
    const [a, b] = await Promise.all([r.query('cached.test', 'TXT'), r.query('CACHED.test.', 'TXT')]);
    expect(a).toEqual({ status: 'ok', records: [['hello']] });
    expect(b).toBe(a);
    await r.query('cached.test', 'TXT');
    expect(await r.query('missing.test', 'MX')).toEqual({ status: 'nxdomain', records: [] });
    await r.query('missing.test', 'MX');
    expect(await r.query('cached.test', 'MX')).toEqual({ status: 'nodata', records: [] });
    expect(dns.queries.filter((q) => q === 'TXT cached.test')).toHaveLength(1);
    expect(dns.queries.filter((q) => q === 'MX missing.test')).toHaveLength(1);
  });

  it('does not cache failures', async () => {
    const r = createResolver({ servers: [dns.server], timeoutMs: 1000 });
    dns.servfail.add('flaky.test');
    await expect(r.query('flaky.test', 'A')).rejects.toMatchObject({ name: 'DnsQueryError', failure: 'SERVFAIL' });
    dns.servfail.delete('flaky.test');
    expect(await r.query('flaky.test', 'A')).toEqual({ status: 'nxdomain', records: [] });
  });
});

describe('evidenceForDiagnosis', () => {
  const finding = (rootCause: 'spf_failure' | 'ptr_missing' | 'tls_failure', confidence: number) => ({
    rootCause, confidence, evidence: [{ source: 'dns:x', text: 'record' }],
  });
  const report = { findings: [finding('spf_failure', 0.92), finding('ptr_missing', 0.9), finding('tls_failure', 0.5)] };

  it('confirms a candidate with the same root cause and raises its confidence', () => {
    expect(evidenceForDiagnosis(['ptr_missing'], report)).toEqual([
      { ...finding('ptr_missing', 0.9), confidence: expect.closeTo(0.95, 5) },
    ]);
  });

  it('refines a family candidate (DMARC 5.7.26) to the broken part (SPF)', () => {
    expect(evidenceForDiagnosis(['dmarc_failure'], report).map((e) => e.rootCause)).toEqual(['spf_failure']);
    expect(evidenceForDiagnosis(['starttls_required', 'mailbox_full'], report).map((e) => e.rootCause)).toEqual(['tls_failure']);
    expect(evidenceForDiagnosis(['unknown'], report)).toEqual([]);
  });

  it('names the checks worth running for the candidates', () => {
    expect(relevantChecks(['ip_blocklisted'])).toEqual(['ptr', 'dnsbl', 'spf']);
    expect(relevantChecks(['tls_failure', 'mx_misconfigured'])).toEqual(['mx', 'smtp', 'mta-sts']);
    expect(relevantChecks(['mailbox_full'])).toEqual([]);
  });
});
