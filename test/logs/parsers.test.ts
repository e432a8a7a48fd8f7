import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyzeFiles, analyzeInputs } from '../../src/logs/analyze.js';
import { normalizeFailure } from '../../src/logs/normalize.js';

const fx = (name: string): string => join(import.meta.dirname, 'fixtures', name);
const analyzeLines = (lines: string[]): ReturnType<typeof analyzeInputs> =>
  analyzeInputs([{ name: 'x', stream: Readable.from([Buffer.from(lines.join('\n'))]), size: null }], { year: 2025 });

describe('postfix', () => {
  it('counts like pflogsumm and correlates queue ids across smtpd/cleanup/qmgr/smtp/bounce', async () => {
    const r = await analyzeFiles([fx('postfix-small.txt')], { year: 2025, threads: 1 });
    // Values checked against Debian pflogsumm 1.1.5 on the same file.
    expect(r.totals).toMatchObject({
      received: 3, delivered: 3, forwarded: 0, deferred: 1, deferrals: 2, bounced: 1, rejected: 1, rejectedPercent: 25,
      bytesReceived: 2560, bytesDelivered: 6496, senders: 2, sendingHosts: 2, recipients: 3, recipientHosts: 3,
      connectionFailures: 1, authFailures: 1,
    });
    // the year rolls over from Dec 31 to Jan 1
    expect(r.traffic.perDay.map((d) => d.date)).toEqual(['2025-12-31', '2026-01-01']);
    // the dovecot line and the unknown smtpd message are counted, not dropped
    expect(r.unparsed.map((u) => [u.program, u.count])).toEqual([['dovecot', 1], ['postfix/smtpd', 1]]);
    expect(r.input.lines).toBe(28);
    const byCause = Object.fromEntries(r.failures.map((f) => [`${f.kind}:${f.target}`, f.rootCause]));
    expect(byCause['bounced:example.org']).toBe('recipient_unknown');
    expect(byCause['connection:mx.down.example']).toBe('connection_failed');
    expect(byCause['rejected:elsewhere.example (inbound)']).toBe('relay_denied');
    expect(r.security.relayAttempts).toEqual([expect.objectContaining({ ip: '192.0.2.66', attempts: 1 })]);
    expect(r.delays.count).toBe(3);
    expect(r.delays.p50).toBeGreaterThan(2);
    expect(r.delays.p50).toBeLessThan(2.3);
  });

  it('treats a content-filter hop as one message, not two', async () => {
    const lines = [
      'Mar  1 10:00:00 mx postfix/smtpd[1]: AAAA11111: client=ext.example.org[198.51.100.1]',
      'Mar  1 10:00:00 mx postfix/qmgr[2]: AAAA11111: from=<a@example.org>, size=1000, nrcpt=1 (queue active)',
      'Mar  1 10:00:01 mx postfix/smtpd[3]: BBBB22222: client=localhost[127.0.0.1]',
      'Mar  1 10:00:01 mx postfix/qmgr[2]: BBBB22222: from=<a@example.org>, size=1400, nrcpt=1 (queue active)',
      'Mar  1 10:00:01 mx postfix/smtp[4]: AAAA11111: to=<u@example.net>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as BBBB22222)',
      'Mar  1 10:00:01 mx postfix/qmgr[2]: AAAA11111: removed',
      'Mar  1 10:00:02 mx postfix/lmtp[5]: BBBB22222: to=<u@example.net>, relay=mx[private/dovecot-lmtp], delay=0.2, delays=0/0/0/0.2, dsn=2.0.0, status=sent (250 2.0.0 Saved)',
      'Mar  1 10:00:02 mx postfix/qmgr[2]: BBBB22222: removed',
    ];
    const r = await analyzeLines(lines);
    expect(r.totals).toMatchObject({ received: 1, delivered: 1, bytesReceived: 1000, contentFilterHops: 1 });
  });

  it('reads the syslog variants: unpadded day, fractional seconds, FreeBSD <facility.level>, Solaris [ID …]; counts proxy-reject', async () => {
    const lines = [
      'Mar 7 02:09:33 mx postfix/smtpd[1]: CCCC33333: client=a.example.org[198.51.100.7]',
      'Mar  7 02:09:34 mx postfix/qmgr[2]: CCCC33333: from=<a@example.org>, size=900, nrcpt=1 (queue active)',
      'Mar 7 02:09:35 <mail.info> mx postfix/smtp[3]: CCCC33333: to=<u@example.net>, relay=mx.example.net[203.0.113.5]:25, delay=2, delays=0/0/1/1, dsn=2.0.0, status=sent (250 ok)',
      'Mar 17 02:09:36.250417 mx postfix/qmgr[2]: [ID 197553 mail.info] CCCC33333: removed',
      'Mar 17 02:10:00 mx postfix/smtpd[4]: DDDD44444: proxy-reject: END-OF-MESSAGE: 554 5.7.0 Reject, id=31619-02 - spam; from=<s@spam.example> to=<u@example.net> proto=SMTP helo=<x>',
      'Mar 17 02:10:01 mx postfix/smtpd[4]: EEEE55555: proxy-accept: END-OF-MESSAGE: 250 2.0.0 Ok: queued as FFFF66666; from=<a@example.org> to=<u@example.net> proto=ESMTP helo=<a>',
      'Mar 17 02:10:02 mx postfix/smtpd[4]: bare <LF> received after CONNECT from example.net[192.0.2.4]',
      'Mar 17 02:10:03 mx postfix/smtpd[4]: discarding EHLO keywords: CHUNKING',
      'Mar 17 02:10:04 mx postfix/postscreen[5]: WHITELIST VETO [192.0.2.9]:53024',
      'Mar17 02:10:05 mx postfix/smtpd[4]: connect from x[192.0.2.1]',
    ];
    const r = await analyzeLines(lines);
    expect(r.totals).toMatchObject({ received: 1, delivered: 1, bytesReceived: 900, bytesDelivered: 900, rejected: 1 });
    expect(r.traffic.perDay.map((d) => d.date)).toEqual(['2025-03-07', '2025-03-17']);
    expect(r.input.from).toBe('2025-03-07T02:09:33');
    const reject = r.failures.find((f) => f.kind === 'rejected');
    expect(reject?.text).toMatch(/^554 5\.7\.0 Reject/);
    // only the line with a malformed stamp is left over
    expect(r.input.parsedLines).toBe(9);
    expect(r.unparsed).toEqual([expect.objectContaining({ program: '(no syslog header)', count: 1 })]);
  });
});

describe('other MTAs', () => {
  it('reads an Exim main log', async () => {
    const r = await analyzeFiles([fx('exim-main.txt')], { threads: 1 });
    expect(r.input.parsedShare).toBe(1);
    expect(r.totals).toMatchObject({ received: 2, delivered: 3, deferred: 1, deferrals: 1, bounced: 1, rejected: 1, bytesReceived: 5721, authFailures: 1 });
    expect(r.failures.find((f) => f.kind === 'bounced')?.rootCause).toBe('recipient_unknown');
  });

  it('reads Sendmail, with several recipients per status line', async () => {
    const r = await analyzeFiles([fx('sendmail.txt')], { year: 2025, threads: 1 });
    expect(r.totals).toMatchObject({ received: 3, delivered: 2, deferred: 1, bounced: 1, rejected: 1, bytesDelivered: 9042 });
    expect(r.failures.find((f) => f.kind === 'rejected')?.rootCause).toBe('relay_denied');
  });

  it('reads an Exchange message tracking log (#Fields header, CRLF)', async () => {
    const r = await analyzeFiles([fx('exchange-tracking.txt')], { threads: 1 });
    expect(r.input.formats).toEqual({ exchange: 4 });
    expect(r.totals).toMatchObject({ received: 2, delivered: 2, bounced: 1, bytesReceived: 5721 });
    expect(r.failures[0]).toMatchObject({ kind: 'bounced', rootCause: 'recipient_unknown', target: 'contoso.example' });
  });

  it('reads a Microsoft 365 message trace export', async () => {
    const r = await analyzeFiles([fx('m365-trace.txt')], { threads: 1 });
    expect(r.input.formats).toEqual({ m365: 3 });
    expect(r.totals).toMatchObject({ received: 3, delivered: 1, bounced: 1, deferred: 1 });
  });
});

describe('normalizeFailure', () => {
  it('drops what varies per message and keeps the codes that decide the class', () => {
    const a = normalizeFailure('host mx3.gmail.com[142.250.1.27] said: 550-5.7.26 Unauthenticated email from example.net ... a1b2c3d4e5.123 - gsmtp (in reply to end of DATA command)');
    const b = normalizeFailure('host mx7.gmail.com[142.250.9.9] said: 550-5.7.26 Unauthenticated email from example.net ... zz99yy88xx.456 - gsmtp (in reply to end of DATA command)');
    expect(a).toBe(b);
    expect(a).toContain('5.7.26');
    expect(normalizeFailure('450 4.7.650 <u@x.example>: try later')).toBe('450 4.7.650 <>: try later');
  });

  it('keeps the provider in a host name, so the same reply from two providers is classified apart', () => {
    const unknown = ' said: 550 5.1.1 <u@x.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)';
    const icloud = normalizeFailure('host mx01.mail.icloud.com[17.57.155.23]' + unknown);
    expect(icloud).toBe(normalizeFailure('host mx02.mail.icloud.com[17.57.155.24]' + unknown));
    expect(icloud).not.toBe(normalizeFailure('host mx01.qq.com[203.205.219.57]' + unknown));
    expect(icloud).toContain('mx#.mail.icloud.com');
  });
});
