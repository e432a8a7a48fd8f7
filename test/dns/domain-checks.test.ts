// Domain checks against a real DNS server (dns2), real SMTP servers (smtp-server) and a real
// HTTPS server, all on 127.0.0.1.
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAddressGuard,
  createResolver,
  type DomainCheckDeps,
  type DomainCheckReport,
  evidenceForDiagnosis,
  InvalidDomainCheckInput,
  relevantChecks,
  runDomainChecks,
} from '../../src/dns/index.js';
import { type FixtureDnsServer, startDnsServer } from './helpers/dns-server.js';
import { createTestPki, type RunningServer, startHttpsServer, startSmtpServer, type TestPki } from './helpers/servers.js';
import { fixtureZone, GOOD_IP, LISTED_IP, NO_PTR_IP, STS_POLICIES, UNLISTED_SPF_IP } from './helpers/zones.js';

let dns: FixtureDnsServer;
let pki: TestPki;
const smtp: Record<'valid' | 'expired' | 'wrongHost' | 'plain', RunningServer> = {} as never;
let https: RunningServer;

const MX_NAMES = ['mx1.good.test', 'mta-sts.good.test', 'mx1.stsgap.test', 'mx2.stsgap.test', 'mta-sts.stsgap.test', 'mx.oldhost.test', 'real.aliasmx.test'];

beforeAll(async () => {
  dns = await startDnsServer(fixtureZone());
  pki = createTestPki();
  const valid = pki.issue(MX_NAMES, 90);
  smtp.valid = await startSmtpServer(valid);
  smtp.expired = await startSmtpServer(pki.issue(MX_NAMES, -1));
  smtp.wrongHost = await startSmtpServer(pki.issue(['other.example'], 90));
  smtp.plain = await startSmtpServer(null);
  https = await startHttpsServer(valid, STS_POLICIES);
});

afterAll(async () => {
  await Promise.all([...Object.values(smtp).map((s) => s.close()), https?.close(), dns?.close()]);
  pki?.cleanup();
});

function deps(over: Partial<DomainCheckDeps> & { dnsTimeoutMs?: number } = {}): DomainCheckDeps {
  return {
    resolver: createResolver({ servers: [dns.server], timeoutMs: over.dnsTimeoutMs ?? 1000 }),
    guard: createAddressGuard({ allow: ['127.0.0.1'] }),
    smtpPort: smtp.valid.port,
    httpsPort: https.port,
    extraCa: [pki.ca],
    timeoutMs: 2000,
    ...over,
  };
}

function check(report: DomainCheckReport, id: string) {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} check in report: ${report.checks.map((x) => x.id).join(', ')}`);
  return c;
}

describe('healthy domain', () => {
  it('passes every check and has no findings', async () => {
    const report = await runDomainChecks({ domain: 'Good.Test.', sendingIps: [GOOD_IP], dkimSelectors: ['s2048'] }, deps());
    expect(report.domain).toBe('good.test');
    const verdicts = Object.fromEntries(report.checks.map((c) => [c.id, c.verdict]));
    expect(verdicts).toEqual({ mx: 'pass', smtp: 'pass', spf: 'pass', dkim: 'pass', dmarc: 'pass', 'mta-sts': 'pass', 'tls-rpt': 'pass', ptr: 'pass', dnsbl: 'pass' });
    expect(report.findings).toEqual([]);
    expect(check(report, 'dkim').details).toMatchObject({ keys: [{ selector: 's2048', bits: 2048 }] });
    expect(check(report, 'spf').records).toEqual([expect.stringContaining('v=spf1 ip4:203.0.113.7')]);
  });

  it('skips PTR and blocklists when no sending IP is given, and says so', async () => {
    const report = await runDomainChecks({ domain: 'good.test' }, deps());
    expect(report.checks.map((c) => c.id)).not.toContain('ptr');
    expect(report.skipped.map((s) => s.id)).toEqual(['ptr', 'dnsbl']);
  });

  it('answers in Chinese when asked', async () => {
    const report = await runDomainChecks({ domain: 'nodmarc.test', lang: 'zh' }, deps());
    const dmarc = check(report, 'dmarc');
    expect(dmarc.title).toBe('DMARC 策略');
    expect(dmarc.explanation).toContain('没有 DMARC 记录');
    expect(dmarc.steps[0]).toContain('_dmarc.nodmarc.test');
    const priv = await runDomainChecks({ domain: 'privmx.test', lang: 'zh', sendingIps: ['192.168.3.4'] }, deps());
    expect(check(priv, 'mx').explanation).toContain('10.1.2.3（私有（RFC 1918）地址）');
    expect(check(priv, 'sending-ips').explanation).toContain('192.168.3.4 是私有（RFC 1918）地址');
  });
});

describe('MX', () => {
  it('names the wrong MX and what the expected provider documents', async () => {
    const report = await runDomainChecks({ domain: 'wrongmx.test', expectedProvider: 'google', checks: ['mx'] }, deps());
    const mx = check(report, 'mx');
    expect(mx.verdict).toBe('fail');
    expect(mx.rootCause).toBe('mx_misconfigured');
    expect(mx.explanation).toBe('MX points to mx.oldhost.test but Google Workspace expects 1 smtp.google.com.');
    expect(report.findings[0]).toMatchObject({ rootCause: 'mx_misconfigured' });
  });

  it('warns about an alias MX and a dead backup MX', async () => {
    const report = await runDomainChecks({ domain: 'aliasmx.test', checks: ['mx'] }, deps());
    const mx = check(report, 'mx');
    expect(mx.verdict).toBe('warn');
    expect(mx.warnings.join(' ')).toMatch(/mail\.aliasmx\.test is an alias/);
    expect(mx.warnings.join(' ')).toMatch(/gone\.aliasmx\.test does not resolve/);
  });

  it('recognises a null MX', async () => {
    const report = await runDomainChecks({ domain: 'nullmx.test' }, deps());
    const mx = check(report, 'mx');
    expect(mx.verdict).toBe('warn');
    expect(mx.details).toMatchObject({ nullMx: true });
    expect(report.skipped.map((s) => s.id)).toContain('smtp');
  });

  it('fails an MX on a private address and never probes it', async () => {
    const report = await runDomainChecks({ domain: 'privmx.test' }, deps());
    expect(check(report, 'mx').explanation).toMatch(/10\.1\.2\.3 \(private/);
    expect(report.checks.map((c) => c.id)).not.toContain('smtp');
    expect(report.skipped).toContainEqual({ id: 'smtp', reason: expect.any(String) });
  });
});

describe('SPF', () => {
  it('counts lookups through includes (11 > 10)', async () => {
    const spf = check(await runDomainChecks({ domain: 'spf11.test', checks: ['spf'] }, deps()), 'spf');
    expect(spf.verdict).toBe('fail');
    expect(spf.details).toMatchObject({ lookups: 11 });
    expect(spf.explanation).toContain('11 DNS lookups');
  });

  it('finds an include loop', async () => {
    const spf = check(await runDomainChecks({ domain: 'spfloop.test', checks: ['spf'] }, deps()), 'spf');
    expect(spf.verdict).toBe('fail');
    expect(spf.explanation).toContain('spfloop.test → loop-b.test → spfloop.test');
  });

  it('fails +all and more than one record', async () => {
    expect(check(await runDomainChecks({ domain: 'spfplusall.test', checks: ['spf'] }, deps()), 'spf').explanation).toContain('+all');
    const double = check(await runDomainChecks({ domain: 'spfdouble.test', checks: ['spf'] }, deps()), 'spf');
    expect(double.verdict).toBe('fail');
    expect(double.records).toHaveLength(2);
  });

  it('counts void lookups (3 > 2)', async () => {
    const spf = check(await runDomainChecks({ domain: 'spfvoid.test', checks: ['spf'] }, deps()), 'spf');
    expect(spf.verdict).toBe('fail');
    expect(spf.details).toMatchObject({ lookups: 3, voidLookups: 3 });
    expect(spf.explanation).toContain('3 lookups that return nothing');
  });

  it('reports invalid terms', async () => {
    const spf = check(await runDomainChecks({ domain: 'spfsyntax.test', checks: ['spf'] }, deps()), 'spf');
    expect(spf.verdict).toBe('fail');
    expect(spf.warnings.join(' ')).toContain('"ip4:300.1.2.3"');
    expect(spf.warnings.join(' ')).toContain('"foo:bar"');
    expect(spf.warnings.join(' ')).toContain('?all');
  });

  it('evaluates each sending IP with mailauth, and a 5.7.26 bounce gets spf_failure as evidence', async () => {
    const checks = relevantChecks(['dmarc_failure']);
    expect(checks).toEqual(['spf', 'dkim', 'dmarc']);
    const report = await runDomainChecks({ domain: 'good.test', sendingIps: [UNLISTED_SPF_IP], checks }, deps());
    expect(report.checks.map((c) => c.id)).toEqual(['spf', 'dkim', 'dmarc']);
    const spf = check(report, 'spf');
    expect(spf.verdict).toBe('fail');
    expect(spf.explanation).toBe(`SPF does not authorise the sending IP ${UNLISTED_SPF_IP} (result: softfail).`);
    const evidence = evidenceForDiagnosis(['dmarc_failure'], report);
    expect(evidence[0]?.rootCause).toBe('spf_failure');
    expect(evidence[0]?.confidence).toBeGreaterThan(0.9);
    expect(evidence[0]?.evidence.map((e) => e.text).join(' ')).toContain(`client-ip=${UNLISTED_SPF_IP}`);
    // unrelated candidates get nothing from the SPF problem
    expect(evidenceForDiagnosis(['mailbox_full'], report)).toEqual([]);
  });
});

describe('DKIM and DMARC', () => {
  it('fails a missing DMARC record and a 512-bit key, warns on 1024 bits, fails a revoked given key', async () => {
    const report = await runDomainChecks({ domain: 'nodmarc.test', dkimSelectors: ['weak', 'mid', 'old', 'absent'], checks: ['dkim', 'dmarc'] }, deps());
    expect(check(report, 'dmarc')).toMatchObject({ verdict: 'fail', rootCause: 'dmarc_failure' });
    const dkim = check(report, 'dkim');
    expect(dkim).toMatchObject({ verdict: 'fail', rootCause: 'dkim_failure' });
    expect(dkim.details).toMatchObject({ keys: expect.arrayContaining([
      expect.objectContaining({ selector: 'weak', bits: 512 }),
      expect.objectContaining({ selector: 'mid', bits: 1024 }),
      expect.objectContaining({ selector: 'old', revoked: true }),
    ]) });
    const text = dkim.warnings.join('\n');
    expect(text).toMatch(/"weak" is RSA 512-bit/);
    expect(text).toMatch(/"mid" is RSA 1024-bit; 2048/);
    expect(text).toMatch(/selector "absent"/);
    expect(report.findings.map((f) => f.rootCause)).toEqual(expect.arrayContaining(['dmarc_failure', 'dkim_failure']));
  });

  it('warns on p=none, pct and an unauthorised external report address', async () => {
    const dmarc = check(await runDomainChecks({ domain: 'dmarcweak.test', checks: ['dmarc'] }, deps()), 'dmarc');
    expect(dmarc.verdict).toBe('warn');
    expect(dmarc.warnings.join(' ')).toContain('p=none');
    expect(dmarc.warnings.join(' ')).toContain('dmarcweak.test._report._dmarc.unauthorised-vendor.test');
  });
});

describe('sending IPs', () => {
  it('fails a missing PTR and a PTR without forward confirmation', async () => {
    const ptr = check(await runDomainChecks({ domain: 'good.test', sendingIps: [NO_PTR_IP, LISTED_IP], checks: ['ptr'] }, deps()), 'ptr');
    expect(ptr).toMatchObject({ verdict: 'fail', rootCause: 'ptr_missing' });
    expect(ptr.warnings[0]).toContain(`${NO_PTR_IP} has no reverse DNS`);
    expect(ptr.warnings[1]).toContain('does not resolve back');
  });

  it('explains a blocklist listing from its return code', async () => {
    const report = await runDomainChecks({ domain: 'good.test', sendingIps: [LISTED_IP], checks: ['dnsbl'] }, deps());
    const bl = check(report, 'dnsbl');
    expect(bl).toMatchObject({ verdict: 'fail', rootCause: 'ip_blocklisted' });
    expect(bl.explanation).toContain('Spamhaus ZEN (127.0.0.2): SBL');
    expect(bl.records[0]).toBe(`66.113.0.203.zen.spamhaus.org A 127.0.0.2`);
    expect(evidenceForDiagnosis(['bad_reputation'], report)[0]?.rootCause).toBe('ip_blocklisted');
  });

  it('does not look up private sending IPs and says why', async () => {
    const before = dns.queries.length;
    const report = await runDomainChecks({ domain: 'good.test', sendingIps: ['10.0.0.5'] }, deps());
    expect(check(report, 'sending-ips').explanation).toMatch(/10\.0\.0\.5 is a private/);
    expect(dns.queries.slice(before).some((q) => q.includes('5.0.0.10'))).toBe(false);
  });
});

describe('SMTP probe', () => {
  it('fails when STARTTLS is not offered', async () => {
    const c = check(await runDomainChecks({ domain: 'good.test', checks: ['smtp'] }, deps({ smtpPort: smtp.plain.port })), 'smtp');
    expect(c).toMatchObject({ verdict: 'fail', rootCause: 'tls_failure' });
    expect(c.explanation).toContain('does not offer STARTTLS');
  });

  it('fails an expired certificate', async () => {
    const c = check(await runDomainChecks({ domain: 'good.test', checks: ['smtp'] }, deps({ smtpPort: smtp.expired.port })), 'smtp');
    expect(c).toMatchObject({ verdict: 'fail', rootCause: 'tls_failure' });
    expect(c.explanation).toMatch(/expired 1 day\(s\) ago/);
  });

  it('warns on a certificate for another host name', async () => {
    const c = check(await runDomainChecks({ domain: 'good.test', checks: ['smtp'] }, deps({ smtpPort: smtp.wrongHost.port })), 'smtp');
    expect(c.verdict).toBe('warn');
    expect(c.explanation).toContain('is for DNS:other.example, not for mx1.good.test');
  });

  it('reports the certificate chain and days to expiry of a valid certificate', async () => {
    const c = check(await runDomainChecks({ domain: 'good.test' }, deps()), 'smtp');
    expect(c.verdict).toBe('pass');
    const probe = (c.details.probes as Array<{ tls: { chain: string[]; daysToExpiry: number; authorized: boolean } }>)[0]!;
    expect(probe.tls.chain).toEqual(['mx1.good.test', 'MailMedic Test CA']);
    expect(probe.tls.authorized).toBe(true);
    expect(probe.tls.daysToExpiry).toBeGreaterThanOrEqual(88);
  });

  it('fails when nothing listens on the MX port, and skips MX hosts the guard refuses', async () => {
    const c = check(await runDomainChecks({ domain: 'good.test', checks: ['smtp'] }, deps({ smtpPort: 9 })), 'smtp');
    expect(c).toMatchObject({ verdict: 'fail', rootCause: 'mx_misconfigured' }); // refused: the host is up but no mail server listens
    const guarded = await runDomainChecks({ domain: 'good.test' }, deps({ guard: createAddressGuard() }));
    expect(guarded.skipped.map((s) => s.id)).toContain('smtp');
  });
});

describe('SMTP probe against misbehaving servers', () => {
  const servers: Server[] = [];
  const rawServer = async (onConnect: (s: Socket) => void) => {
    const server = createNetServer(onConnect);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  it('a greeting that refuses the checker is an error, not a fail', async () => {
    const port = await rawServer((s) => s.end('554 5.7.1 your IP is not welcome\r\n'));
    const c = check(await runDomainChecks({ domain: 'good.test', checks: ['smtp'] }, deps({ smtpPort: port })), 'smtp');
    expect(c.verdict).toBe('error');
    expect(c.explanation).toContain('554 5.7.1 your IP is not welcome');
  });

  it('a server that never greets times out as an error', async () => {
    const sockets: Socket[] = [];
    const port = await rawServer((s) => void sockets.push(s));
    const started = Date.now();
    const c = check(await runDomainChecks({ domain: 'good.test', checks: ['smtp'] }, deps({ smtpPort: port, timeoutMs: 300 })), 'smtp');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(c.verdict).toBe('error');
    expect(c.explanation).toMatch(/not proof the server is down/);
    for (const s of sockets) s.destroy();
  });
});

describe('MTA-STS', () => {
  it('fails an enforce policy that does not cover every MX', async () => {
    const c = check(await runDomainChecks({ domain: 'stsgap.test', checks: ['mta-sts'] }, deps()), 'mta-sts');
    expect(c).toMatchObject({ verdict: 'fail', rootCause: 'tls_failure' });
    expect(c.details).toMatchObject({ uncovered: ['mx2.stsgap.test'] });
  });

  it('does not fetch a policy from a guarded address', async () => {
    const c = check(await runDomainChecks({ domain: 'good.test' }, deps({ guard: createAddressGuard() })), 'mta-sts');
    expect(c.verdict).toBe('fail');
    expect(c.explanation).toContain('was not contacted');
  });
});

describe('DNS failures are errors, not fails', () => {
  it('SERVFAIL gives verdict error with the reason', async () => {
    dns.servfail.add('broken.test');
    try {
      const report = await runDomainChecks({ domain: 'broken.test' }, deps());
      for (const id of ['mx', 'spf']) {
        expect(check(report, id).verdict).toBe('error');
        expect(check(report, id).explanation).toContain('SERVFAIL');
      }
      expect(check(report, 'mx').title).toBe('MX records (where mail for the domain is delivered)');
      expect(report.findings).toEqual([]);
    } finally {
      dns.servfail.delete('broken.test');
    }
  });

  it('a server that never answers gives verdict error after the timeout', async () => {
    dns.silent.add('broken.test');
    try {
      const started = Date.now();
      const report = await runDomainChecks({ domain: 'broken.test' }, deps({ dnsTimeoutMs: 300 }));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(check(report, 'mx').verdict).toBe('error');
      expect(check(report, 'mx').explanation).toContain('TIMEOUT');
    } finally {
      dns.silent.delete('broken.test');
    }
  });
});

describe('bad input', () => {
  it('rejects IPs, long names and junk with a clear message', async () => {
    const d = deps();
    await expect(runDomainChecks({ domain: '203.0.113.7' }, d)).rejects.toThrow('expected a domain name, got an IP address');
    await expect(runDomainChecks({ domain: `${'a'.repeat(60)}.`.repeat(5) + 'com' }, d)).rejects.toThrow(/308 characters long; the limit is 253/);
    await expect(runDomainChecks({ domain: 'exa mple.com' }, d)).rejects.toBeInstanceOf(InvalidDomainCheckInput);
    await expect(runDomainChecks({ domain: 'good.test', sendingIps: ['mail.good.test'] }, d)).rejects.toThrow('sendingIps.0: not an IPv4 or IPv6 address');
  });

  it('punycodes IDNs before querying', async () => {
    const report = await runDomainChecks({ domain: '例子.测试' }, deps());
    expect(report.domain).toBe('xn--fsqu00a.xn--0zwm56d');
    expect(check(report, 'mx')).toMatchObject({ verdict: 'fail', rootCause: 'sender_domain_invalid' });
  });
});
