// POST /v1/domain-checks through the whole app, with DNS answered by a local dns2 server and the
// SMTP probe going to a local smtp-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type FixtureDnsServer, startDnsServer } from '../dns/helpers/dns-server.js';
import { type RunningServer, startSmtpServer } from '../dns/helpers/servers.js';
import { fixtureZone, UNLISTED_SPF_IP } from '../dns/helpers/zones.js';

let dns: FixtureDnsServer;
let smtp: RunningServer;
let t: TestApp;

beforeAll(async () => {
  dns = await startDnsServer(fixtureZone());
  smtp = await startSmtpServer(null);
  t = await startTestApp({
    env: { DNS_SERVERS: dns.server, DNS_TIMEOUT_MS: '1000', PROBE_ALLOWLIST: '127.0.0.1', SMTP_PROBE_PORT: String(smtp.port), RATE_LIMIT_PER_MINUTE: '1000' },
  });
});

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await dns?.close();
});

const post = (key: string, payload: unknown) => t.as(key, { method: 'POST', url: '/v1/domain-checks', payload: payload as object });

describe('POST /v1/domain-checks', () => {
  it('runs the checks for both roles and returns findings with evidence', async () => {
    for (const key of [t.keys.admin, t.keys.agent]) {
      const r = await post(key, { domain: 'NoDmarc.test', sendingIps: [UNLISTED_SPF_IP], dkimSelectors: ['weak'] });
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.domain).toBe('nodmarc.test');
      const verdict = (id: string) => body.checks.find((c: { id: string }) => c.id === id)?.verdict;
      expect(verdict('dmarc')).toBe('fail');
      expect(verdict('dkim')).toBe('fail');
      expect(verdict('smtp')).toBe('fail'); // the local server offers no STARTTLS
      expect(body.findings.map((f: { rootCause: string }) => f.rootCause)).toEqual(
        expect.arrayContaining(['spf_failure', 'dkim_failure', 'dmarc_failure', 'tls_failure', 'ptr_missing']),
      );
      expect(body.findings[0]).toMatchObject({ rootCause: 'spf_failure', evidence: [{ source: 'dns:spf' }] });
    }
  });

  it('localises to Chinese', async () => {
    const r = await post(t.keys.agent, { domain: 'wrongmx.test', expectedProvider: 'tencent', lang: 'zh' });
    expect(r.statusCode).toBe(200);
    const mx = r.json().checks.find((c: { id: string }) => c.id === 'mx');
    expect(mx.explanation).toBe('MX 指向 mx.oldhost.test，但腾讯企业邮箱要求的是 5 mxbiz1.qq.com, 10 mxbiz2.qq.com。');
  });

  it.each([
    [{ domain: '203.0.113.7' }, 'body.domain', 'got an IP address'],
    [{ domain: `${'a'.repeat(63)}.`.repeat(5) + 'com' }, 'body.domain', 'the limit is 253'],
    [{ domain: 'bad_name.com' }, 'body.domain', 'not a valid domain label'],
    [{ domain: 'good.test', sendingIps: ['not-an-ip'] }, 'body.sendingIps.0', 'not an IPv4 or IPv6 address'],
    [{ domain: 'good.test', expectedProvider: 'aol' }, 'body.expectedProvider', ''],
    [{}, 'body.domain', ''],
  ])('400 with a clear message for %j', async (payload, path, message) => {
    const r = await post(t.keys.agent, payload);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'validation_error', details: [{ path, message: expect.stringContaining(message) }] });
  });

  it('punycodes an IDN and reports a private sending IP instead of probing it', async () => {
    const r = await post(t.keys.agent, { domain: 'bücher.test', sendingIps: ['192.168.1.20'] });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.domain).toBe('xn--bcher-kva.test');
    expect(body.checks.find((c: { id: string }) => c.id === 'sending-ips').explanation).toContain('192.168.1.20 is a private');
    expect(dns.queries.some((q) => q.includes('20.1.168.192'))).toBe(false);
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.paths['/v1/domain-checks'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('domain');
  });
});
