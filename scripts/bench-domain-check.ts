// Times the full domain check (all DNS checks + SMTP/STARTTLS probe + MTA-STS fetch) against a
// local dns2 server, a local smtp-server and a local HTTPS server, all on 127.0.0.1.
// Target (issue 7): ≤ 5 s per domain against a responsive DNS server.
// Run: npx tsx scripts/bench-domain-check.ts [--runs 20]
import { parseArgs } from 'node:util';
import { createAddressGuard, createResolver, runDomainChecks } from '../src/dns/index.js';
import { startDnsServer } from '../test/dns/helpers/dns-server.js';
import { createTestPki, startHttpsServer, startSmtpServer } from '../test/dns/helpers/servers.js';
import { fixtureZone, GOOD_IP, STS_POLICIES } from '../test/dns/helpers/zones.js';

const TARGET_MS = 5000;
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Math.max(1, Number(values.runs));

const pki = createTestPki();
const cert = pki.issue(['mx1.good.test', 'mta-sts.good.test'], 90);
const smtp = await startSmtpServer(cert);
const https = await startHttpsServer(cert, STS_POLICIES);
const zone = fixtureZone();

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${s[s.length - 1]!.toFixed(0)} ms`;
}

let worst = 0;
// 0 ms: the raw cost of our code; 30 ms: every DNS answer delayed like a real resolver round trip
for (const delayMs of [0, 30]) {
  const dns = await startDnsServer(zone, { delayMs });
  const cold: number[] = [];
  let queries = 0;
  for (let i = 0; i < runs; i++) {
    // a fresh resolver per run: nothing cached, every lookup goes to the server
    const resolver = createResolver({ servers: [dns.server], timeoutMs: 2000 });
    const before = dns.queries.length;
    const started = performance.now();
    const report = await runDomainChecks(
      { domain: 'good.test', sendingIps: [GOOD_IP], dkimSelectors: ['s2048'] },
      { resolver, guard: createAddressGuard({ allow: ['127.0.0.1'] }), smtpPort: smtp.port, httpsPort: https.port, extraCa: [pki.ca] },
    );
    cold.push(performance.now() - started);
    queries = dns.queries.length - before;
    const bad = report.checks.filter((c) => c.verdict !== 'pass');
    if (bad.length) throw new Error(`healthy fixture did not pass: ${bad.map((c) => `${c.id}=${c.verdict}`).join(', ')}`);
  }
  worst = Math.max(worst, ...cold);
  console.log(`DNS answer delay ${delayMs} ms: ${runs} full checks (9 checks, ${queries} DNS queries each, cold cache): ${stats(cold)}`);
  await dns.close();
}
console.log(`target ≤ ${TARGET_MS} ms per domain: ${worst <= TARGET_MS ? 'met' : 'NOT met'} (worst ${worst.toFixed(0)} ms)`);
await smtp.close();
await https.close();
pki.cleanup();
