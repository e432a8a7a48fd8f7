import { describe, expect, it } from 'vitest';
import { detectIncidents, seriesOf } from '../../src/logs/incidents.js';
import { buildReport } from '../../src/logs/report.js';
import { relayAttempts, suspectAccounts } from '../../src/logs/security.js';
import { DeliveryRec, NONE, Tally } from '../../src/logs/tally.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 11, 31);

function bounce(t: Tally, at: number, sender: string, recipient: string, reason: string): void {
  const r = new DeliveryRec();
  Object.assign(r, { t: at, qid: 'Q1', sender, recipient, status: 'bounced', relay: 'x', delay: 1, dsn: '5.0.0', reason, size: 10, line: `bounce to ${recipient}` });
  t.seen(at);
  t.delivery(r);
}

const DMARC = "host mx.burst.example[192.0.2.7] said: 550 5.7.26 Unauthenticated email from example.net is not accepted due to domain's DMARC policy";
const UNKNOWN_USER = (dom: string): string => `host mx.${dom}[192.0.2.8] said: 550 5.1.1 <u@${dom}>: Recipient address rejected: User unknown in virtual mailbox table`;

describe('incident windows', () => {
  it('count exactly the failures of their groups between their first and last time', () => {
    const t = new Tally();
    // two days of background: one DMARC bounce per hour to burst.example, one unknown user per hour elsewhere
    for (let h = 0; h < 48; h++) {
      bounce(t, T0 + h * HOUR, `s${h % 5}@example.net`, `r${h}@burst.example`, DMARC);
      bounce(t, T0 + h * HOUR + 60_000, `s${h % 5}@example.net`, `r${h}@d${h % 30}.example`, UNKNOWN_USER(`d${h % 30}.example`));
    }
    // hour 20: 60 DMARC bounces to burst.example within 30 minutes (3 senders, 40 recipients)
    for (let i = 0; i < 60; i++) bounce(t, T0 + 20 * HOUR + 600_000 + i * 30_000, `b${i % 3}@example.net`, `x${i % 40}@burst.example`, DMARC);
    // hour 30: unknown users at 30 domains at once (under 20 each: no destination explains it)
    for (let i = 0; i < 90; i++) bounce(t, T0 + 30 * HOUR + i * 15_000, `c${i % 7}@example.net`, `y${i}@d${i % 30}.example`, UNKNOWN_USER(`d${i % 30}.example`));
    buildReport(t, []);
    const incidents = detectIncidents(t, seriesOf(t.groupList));
    // the server window also holds the background bounce of hour 30
    expect(incidents.map((i) => [i.scope, i.rootCause, i.target, i.count, i.affectedSenders, i.affectedRecipients])).toEqual([
      ['server', 'recipient_unknown', '(all destinations)', 91, 8, 91],
      ['destination', 'dmarc_failure', 'burst.example', 60, 3, 40],
    ]);
    const f = t.failures;
    for (const inc of incidents) {
      const mine = new Set(inc.groups.map((g) => g.index));
      const senders = new Set<number>(), rcpts = new Set<number>();
      let count = 0;
      for (let i = 0; i < f.n; i++) {
        if (!mine.has(f.g[i]!) || f.t[i]! < inc.start || f.t[i]! > inc.end) continue;
        count++;
        if (f.s[i] !== NONE) senders.add(f.s[i]!);
        if (f.r[i] !== NONE) rcpts.add(f.r[i]!);
      }
      expect([inc.target, inc.count, inc.affectedSenders, inc.affectedRecipients]).toEqual([inc.target, count, senders.size, rcpts.size]);
    }
  });
});

describe('security signals', () => {
  it('relay attempts: the first n are the first n of the whole sorted list', () => {
    const t = new Tally();
    // ties on the count, in an order unlike the address order
    const ips = ['203.0.113.9', '198.51.100.20', '198.51.100.3', '2001:db8::a', '192.0.2.1', '198.51.100.3', '192.0.2.1', '203.0.113.10'];
    ips.forEach((ip, i) => t.reject('reject', T0 + i * 1000, ip, 'a@spam.example', 'x@victim.example', '554 5.7.1 <x@victim.example>: Relay access denied', `l${i}`));
    buildReport(t, []);
    const s = seriesOf(t.groupList);
    const all = relayAttempts(t, s);
    expect(all.map((a) => [a.ip, a.attempts])).toEqual([
      ['192.0.2.1', 2], ['198.51.100.3', 2], ['198.51.100.20', 1], ['2001:db8::a', 1], ['203.0.113.10', 1], ['203.0.113.9', 1],
    ]);
    for (const n of [0, 1, 3, 6, 50]) expect(relayAttempts(t, s, n)).toEqual(all.slice(0, n));
  });

  it('relay attempts name each client as logged: IPv4 kept as numbers, other clients by name, also across a worker hand-off', () => {
    const head = new Tally(), tail = new Tally();
    const clients = ['0.0.0.0', '255.255.255.255', '010.1.1.1', '1.2.3', '1.2.3.4.5', '256.1.1.1', 'fe80::1', '', '192.0.2.7'];
    const relay = (t: Tally, ip: string, i: number): void =>
      t.reject('reject', T0 + i * 1000, ip || 'client.example', 'a@spam.example', 'x@victim.example', '554 5.7.1 <x@victim.example>: Relay access denied', `l${i}`);
    clients.forEach((ip, i) => relay(i % 2 ? tail : head, ip, i));
    head.merge(structuredClone(tail.toPartial()));
    buildReport(head, []);
    const names = relayAttempts(head, seriesOf(head.groupList)).map((a) => a.ip);
    // a reject without an address is counted under its client's name
    expect(names.sort()).toEqual(clients.map((c) => c || 'client.example').sort());
  });

  it('suspect accounts: hours that repeat or go back are summed per hour; the earliest of equal peaks counts', () => {
    const t = new Tally();
    const send = (account: string, hour: number, rcpts: number): void => t.receivedSender(T0 + hour * HOUR, account, 100, 'mx.example', rcpts, t.accountRef(account));
    // the same hours, in order and out of order
    for (const [h, n] of [[0, 5], [1, 150], [2, 5]] as const) send('inorder@example.net', h, n);
    for (const [h, n] of [[1, 50], [0, 5], [1, 100], [2, 5]] as const) send('late@example.net', h, n);
    // equal peaks, the later hour first
    send('ties@example.net', 3, 120);
    send('ties@example.net', 1, 120);
    for (let h = 4; h < 24; h++) send('ties@example.net', h, 1);
    const byAccount = Object.fromEntries(suspectAccounts(t).map((s) => [s.account, [s.peakHourRecipients, s.peakHourStart, s.usualHourlyRecipients, s.signal]]));
    expect(byAccount).toEqual({
      'inorder@example.net': [150, '2025-12-31T01:00:00', 5, 'recipient_burst'],
      'late@example.net': [150, '2025-12-31T01:00:00', 5, 'recipient_burst'],
      'ties@example.net': [120, '2025-12-31T01:00:00', 6.7, 'recipient_burst'],
    });
  });
});
