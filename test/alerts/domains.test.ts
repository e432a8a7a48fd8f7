// Domain monitoring against a real DNS server (dns2) and SMTP server: harmful changes alert once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDomainMonitoring } from '../../src/alerts/domains.js';
import { createAddressGuard, createResolver, type DomainCheckDeps } from '../../src/dns/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startDnsServer, type FixtureDnsServer, type Zone } from '../dns/helpers/dns-server.js';
import { createTestPki, startSmtpServer, type RunningServer } from '../dns/helpers/servers.js';
import { dkimKey, GOOD_IP, LISTED_IP } from '../dns/helpers/zones.js';

let t: TestApp;
let dns: FixtureDnsServer;
let smtp: RunningServer;
let deps: DomainCheckDeps;
let pki: ReturnType<typeof createTestPki>;
const zone: Zone = {
  'mon.test': [{ MX: [10, 'mx1.mon.test'] }, { TXT: `v=spf1 ip4:${GOOD_IP} ip4:${LISTED_IP} -all` }],
  'mx1.mon.test': [{ A: '127.0.0.1' }],
  'mx2.mon.test': [{ A: '127.0.0.1' }],
  '_dmarc.mon.test': [{ TXT: 'v=DMARC1; p=reject' }],
  's1._domainkey.mon.test': [{ TXT: `v=DKIM1; k=rsa; p=${dkimKey(1024)}` }],
  [`${GOOD_IP.split('.').reverse().join('.')}.in-addr.arpa`]: [{ PTR: 'mx1.mon.test' }],
};
const listing = { name: `${LISTED_IP.split('.').reverse().join('.')}.zen.spamhaus.org`, records: [{ A: '127.0.0.2' }] };

const open = async () => (await t.as(t.keys.agent, { url: '/v1/alerts?status=open&limit=500' })).json().alerts as Array<{ kind: string; subject: string; message: { zh: string; en: string } }>;

beforeAll(async () => {
  dns = await startDnsServer(zone);
  pki = createTestPki();
  smtp = await startSmtpServer(pki.issue(['mx1.mon.test', 'mx2.mon.test'], 7));
  t = await startTestApp({ env: { PROBE_ALLOWLIST: '127.0.0.1' } });
  // no caching between runs: the test changes records between them
  deps = {
    resolver: createResolver({ servers: [dns.server], timeoutMs: 1000, defaultTtlSec: 0, negativeTtlSec: 0 }),
    guard: createAddressGuard({ allow: ['127.0.0.1'] }),
    smtpPort: smtp.port,
    extraCa: [pki.ca],
  };
  const r = await t.as(t.keys.admin, { method: 'POST', url: '/v1/monitored-domains', payload: { domain: 'Mon.test', sendingIps: [GOOD_IP], dkimSelectors: ['s1'] } });
  expect(r.statusCode).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await dns?.close();
  pki?.cleanup();
});

describe('domain monitoring', () => {
  it('validates what it monitors', async () => {
    expect((await t.as(t.keys.admin, { method: 'POST', url: '/v1/monitored-domains', payload: { domain: '10.0.0.1' } })).statusCode).toBe(400);
    expect((await t.as(t.keys.agent, { method: 'POST', url: '/v1/monitored-domains', payload: { domain: 'x.test' } })).statusCode).toBe(403);
    expect((await t.as(t.keys.agent, { url: '/v1/monitored-domains' })).json().domains).toEqual([
      expect.objectContaining({ domain: 'mon.test', sendingIps: [GOOD_IP] }),
    ]);
  });

  it('alerts once on a weak DKIM key and an MX certificate about to expire, however often it runs', async () => {
    await runDomainMonitoring(t.ctx, 'acme', { deps });
    await runDomainMonitoring(t.ctx, 'acme', { deps });
    const alerts = await open();
    expect(alerts.filter((a) => a.kind === 'domain_dkim_weak')).toEqual([expect.objectContaining({ subject: 'mon.test s1' })]);
    const cert = alerts.filter((a) => a.kind === 'domain_cert_expiring');
    expect(cert).toEqual([expect.objectContaining({ subject: 'mon.test mx1.mon.test' })]);
    expect(cert[0]!.message.en).toMatch(/expires in [67] day/);
    expect(alerts.some((a) => a.kind === 'domain_mx_changed' || a.kind === 'domain_dmarc_missing' || a.kind === 'domain_ip_blocklisted')).toBe(false);
  });

  it('alerts when MX changes, DMARC disappears and a sending IP gets listed', async () => {
    zone['mon.test']!.splice(0, 1, { MX: [10, 'mx2.mon.test'] });
    zone['_dmarc.mon.test']!.splice(0);
    await t.as(t.keys.admin, { method: 'POST', url: '/v1/monitored-domains', payload: { domain: 'mon.test', sendingIps: [GOOD_IP, LISTED_IP], dkimSelectors: ['s1'] } });
    zone[listing.name] = listing.records;
    // the fixture server copies the zone's keys at start: add the listing under its own key
    const withListing = await startDnsServer({ ...zone });
    const depsListing = { ...deps, resolver: createResolver({ servers: [withListing.server], timeoutMs: 1000, defaultTtlSec: 0, negativeTtlSec: 0 }) };
    try {
      await runDomainMonitoring(t.ctx, 'acme', { deps: depsListing });
      await runDomainMonitoring(t.ctx, 'acme', { deps: depsListing });
    } finally {
      await withListing.close();
    }
    const alerts = await open();
    const kinds = alerts.map((a) => a.kind).sort();
    // the new MX host has its own (expiring) certificate: a second certificate alert
    expect(kinds).toEqual(['domain_cert_expiring', 'domain_cert_expiring', 'domain_dkim_weak', 'domain_dmarc_missing', 'domain_ip_blocklisted', 'domain_mx_changed']);
    const mx = alerts.find((a) => a.kind === 'domain_mx_changed')!;
    expect(mx.message.en).toMatch(/mx1\.mon\.test to mx2\.mon\.test/);
    expect(alerts.find((a) => a.kind === 'domain_dmarc_missing')!.message.zh).toMatch(/已被删除/);
    expect(alerts.find((a) => a.kind === 'domain_ip_blocklisted')!.subject).toBe(`${LISTED_IP} Spamhaus ZEN`);
  });
});
