// Fixture zones: one healthy domain and one broken domain per problem the checks must find.
// Sending IPs come from the documentation range 203.0.113.0/24; MX and policy hosts resolve
// to 127.0.0.1, where the tests run their SMTP and HTTPS servers.
import { generateKeyPairSync } from 'node:crypto';
import type { Zone, ZoneRecord } from './dns-server.js';

export function dkimKey(bits: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

export const GOOD_IP = '203.0.113.7';
export const NO_PTR_IP = '203.0.113.9';
export const LISTED_IP = '203.0.113.66';
export const UNLISTED_SPF_IP = '203.0.113.99';

const local: ZoneRecord[] = [{ A: '127.0.0.1' }];

export function fixtureZone(): Zone {
  const key2048 = dkimKey(2048);
  const zone: Zone = {
    // healthy
    'good.test': [
      { MX: [10, 'mx1.good.test'] },
      { TXT: `v=spf1 ip4:${GOOD_IP} ip4:${NO_PTR_IP} ip4:${LISTED_IP} include:_spf.relay.test ~all` },
      { TXT: 'google-site-verification=abc123' },
    ],
    'mx1.good.test': local,
    '_spf.relay.test': [{ TXT: 'v=spf1 ip4:198.51.100.0/24 -all' }],
    's2048._domainkey.good.test': [{ TXT: `v=DKIM1; k=rsa; p=${key2048}` }],
    '_dmarc.good.test': [{ TXT: 'v=DMARC1; p=reject; adkim=r; rua=mailto:dmarc@good.test,mailto:reports@dmarc-vendor.test' }],
    'good.test._report._dmarc.dmarc-vendor.test': [{ TXT: 'v=DMARC1' }],
    '_mta-sts.good.test': [{ TXT: 'v=STSv1; id=20240501' }],
    'mta-sts.good.test': local,
    '_smtp._tls.good.test': [{ TXT: 'v=TLSRPTv1; rua=mailto:tls@good.test' }],
    [`${GOOD_IP.split('.').reverse().join('.')}.in-addr.arpa`]: [{ PTR: 'mail.good.test' }],
    'mail.good.test': [{ A: GOOD_IP }],
    [`${LISTED_IP.split('.').reverse().join('.')}.in-addr.arpa`]: [{ PTR: 'mail.good.test' }],
    [`${LISTED_IP.split('.').reverse().join('.')}.zen.spamhaus.org`]: [{ A: '127.0.0.2' }, { TXT: 'Listed in SBL, see https://check.spamhaus.org/' }],

    // MX at the wrong provider
    'wrongmx.test': [{ MX: [10, 'mx.oldhost.test'] }, { TXT: 'v=spf1 include:_spf.google.com ~all' }],
    'mx.oldhost.test': local,
    '_spf.google.com': [{ TXT: 'v=spf1 ip4:192.0.2.0/24 ~all' }],
    // MX that is an alias, plus one that does not resolve
    'aliasmx.test': [{ MX: [10, 'mail.aliasmx.test'] }, { MX: [20, 'gone.aliasmx.test'] }],
    'mail.aliasmx.test': [{ CNAME: 'real.aliasmx.test' }],
    'real.aliasmx.test': local,
    // RFC 7505 null MX
    'nullmx.test': [{ MX: [0, '.'] }],
    // SPF problems
    'spf11.test': [
      { MX: [10, 'mx1.good.test'] },
      { TXT: `v=spf1 ${Array.from({ length: 11 }, (_, i) => `include:s${i}.spf11.test`).join(' ')} -all` },
    ],
    'spfloop.test': [{ MX: [10, 'mx1.good.test'] }, { TXT: 'v=spf1 include:loop-b.test -all' }],
    'loop-b.test': [{ TXT: 'v=spf1 include:spfloop.test -all' }],
    'spfplusall.test': [{ MX: [10, 'mx1.good.test'] }, { TXT: 'v=spf1 a mx +all' }],
    'spfdouble.test': [{ MX: [10, 'mx1.good.test'] }, { TXT: 'v=spf1 mx -all' }, { TXT: 'v=spf1 ip4:192.0.2.1 -all' }],
    'spfvoid.test': [{ MX: [10, 'mx1.good.test'] }, { TXT: 'v=spf1 a:gone1.spfvoid.test mx:gone2.spfvoid.test exists:gone3.spfvoid.test -all' }],
    'spfsyntax.test': [{ MX: [10, 'mx1.good.test'] }, { TXT: 'v=spf1 ip4:300.1.2.3 foo:bar ?all' }],
    // no DMARC, weak DKIM
    'nodmarc.test': [{ MX: [10, 'mx1.good.test'] }, { TXT: `v=spf1 ip4:${GOOD_IP} -all` }],
    'weak._domainkey.nodmarc.test': [{ TXT: `v=DKIM1; k=rsa; p=${dkimKey(512)}` }],
    'mid._domainkey.nodmarc.test': [{ TXT: `v=DKIM1; k=rsa; p=${dkimKey(1024)}` }],
    'old._domainkey.nodmarc.test': [{ TXT: 'v=DKIM1; k=rsa; p=' }],
    // DMARC with problems: p=none, external rua without authorisation
    'dmarcweak.test': [{ MX: [10, 'mx1.good.test'] }, { TXT: 'v=spf1 -all' }],
    '_dmarc.dmarcweak.test': [{ TXT: 'v=DMARC1; p=none; pct=50; rua=mailto:agg@unauthorised-vendor.test' }],
    // MTA-STS policy that misses an MX host
    'stsgap.test': [{ MX: [10, 'mx1.stsgap.test'] }, { MX: [20, 'mx2.stsgap.test'] }],
    'mx1.stsgap.test': local,
    'mx2.stsgap.test': local,
    '_mta-sts.stsgap.test': [{ TXT: 'v=STSv1; id=1' }],
    'mta-sts.stsgap.test': local,
    // MX pointing at a private address
    'privmx.test': [{ MX: [10, 'mx.privmx.test'] }],
    'mx.privmx.test': [{ A: '10.1.2.3' }],
    // the whole domain answered with SERVFAIL / silence by the tests
    'broken.test': [{ MX: [10, 'mx1.good.test'] }],
  };
  for (let i = 0; i < 11; i++) zone[`s${i}.spf11.test`] = [{ TXT: `v=spf1 ip4:198.51.100.${i} -all` }];
  return zone;
}

/** The MTA-STS policies served over HTTPS, keyed by Host header + path. */
export const STS_POLICIES = {
  'mta-sts.good.test/.well-known/mta-sts.txt': { body: 'version: STSv1\nmode: enforce\nmx: mx1.good.test\nmax_age: 86400\n' },
  'mta-sts.stsgap.test/.well-known/mta-sts.txt': { body: 'version: STSv1\nmode: enforce\nmx: mx1.stsgap.test\nmax_age: 86400\n' },
};
