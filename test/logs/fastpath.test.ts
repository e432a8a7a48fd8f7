// The byte-level Postfix fast path must count every line exactly as the string parsers do: each
// input is analysed twice (fast path on and off) and the whole partial tally compared.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LogAnalyzer } from '../../src/logs/analyzer.js';
import { generatePostfixLog } from '../../scripts/lib/postfix-loggen.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const SHARED = join(import.meta.dirname, '../../../shared/eval/logs');

/** Both analyses of `text` fed in pieces of `piece` bytes cut at line ends (as the reader does). */
function both(text: string, piece = 64 * 1024): { fast: LogAnalyzer; slow: LogAnalyzer } {
  const buf = Buffer.from(text);
  const run = (fastPath: boolean): LogAnalyzer => {
    const an = new LogAnalyzer({ year: 2025, fastPath });
    an.beginFile();
    for (let a = 0; a < buf.length;) {
      let e = Math.min(buf.length, a + piece);
      if (e < buf.length) { const nl = buf.lastIndexOf(10, e - 1); e = nl >= a ? nl + 1 : buf.length; }
      an.feed(buf.subarray(a, e));
      a = e;
    }
    an.endFile('x.log', buf.length);
    return an;
  };
  return { fast: run(true), slow: run(false) };
}

function expectSame({ fast, slow }: { fast: LogAnalyzer; slow: LogAnalyzer }): void {
  expect(fast.tally.toPartial()).toEqual(slow.tally.toPartial());
  expect(fast.files).toEqual(slow.files);
  expect(fast.tally.lines).toBe(slow.tally.lines);
}

describe('Postfix fast path', () => {
  it('counts the generated log exactly as the string parsers, handling most of its lines', () => {
    const { text } = generatePostfixLog({ lines: 60_000, seed: 11 });
    const r = both(text);
    expectSame(r);
    expect(r.fast.fast!.handled / r.fast.tally.lines).toBeGreaterThan(0.85);
    expect(r.slow.fast).toBeNull();
  });

  it('agrees on the lines it leaves to the string parsers and on tricky ones it takes', () => {
    const L = (stamp: string, tag: string, msg: string): string => `${stamp} mx1 ${tag}: ${msg}`;
    const lines = [
      L('Dec 31 23:59:58', 'postfix/smtpd[1]', 'connect from a.example[198.51.100.1]'),
      L('Dec 31 23:59:58', 'postfix/smtpd[1]', 'ABCDEF1234: client=a.example[198.51.100.1], sasl_method=PLAIN, sasl_username=Ann@Example.NET'),
      L('Dec 31 23:59:59', 'postfix/qmgr[2]', 'ABCDEF1234: from=<Ann@Example.NET>, size=1000, nrcpt=3 (queue active)'),
      // year turns between two lines of the same message; a stray older line follows
      L('Jan  1 00:00:01', 'postfix/smtp[3]', 'ABCDEF1234: to=<bob@GMAIL.com>, orig_to=<bob@alias.example>, relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, conn_use=2, delay=1.5, delays=0.1/0/0.5/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)'),
      L('Dec 31 23:59:59', 'postfix/smtp[3]', 'ABCDEF1234: to=<carol@yahoo.com>, relay=mta5.am0.yahoodns.net[67.195.204.72]:25, delay=2, delays=0.1/0/0.5/1.4, dsn=2.0.0, status=sent (250 ok)'),
      L('Jan  1 00:00:02', 'postfix/local[4]', 'ABCDEF1234: to=<dan@mx1.example.net>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (forwarded as 1234ABCDEF)'),
      L('Jan  1 00:00:02', 'postfix/smtp[3]', 'ABCDEF1234: to=<erin@example.org>, relay=none, delay=3, delays=3/0/0/0, dsn=4.4.1, status=deferred (connect to mx.example.org[203.0.113.9]:25: Connection timed out)'),
      L('Jan  1 00:00:03', 'postfix/qmgr[2]', 'ABCDEF1234: removed'),
      // a content filter hop: sent to a loopback relay, back under a new id from a loopback client
      L('Jan  1 00:00:04', 'postfix/smtpd[1]', 'BBBBBB1111: client=b.example[198.51.100.2]'),
      L('Jan  1 00:00:04', 'postfix/qmgr[2]', 'BBBBBB1111: from=<x@b.example>, size=50, nrcpt=1 (queue active)'),
      L('Jan  1 00:00:05', 'postfix/smtp[3]', 'BBBBBB1111: to=<y@mx1.example.net>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as CCCCCC2222)'),
      L('Jan  1 00:00:05', 'postfix/smtpd[5]', 'CCCCCC2222: client=localhost[127.0.0.1]'),
      L('Jan  1 00:00:05', 'postfix/qmgr[2]', 'CCCCCC2222: from=<x@b.example>, size=80, nrcpt=1 (queue active)'),
      L('Jan  1 00:00:06', 'postfix/lmtp[6]', 'CCCCCC2222: to=<y@mx1.example.net>, relay=mx1.example.net[private/dovecot-lmtp], delay=0.2, delays=0/0/0/0.2, dsn=2.0.0, status=sent (250 2.0.0 Saved)'),
      // null sender, non-ASCII addresses, multi-instance tags, long queue ids
      L('Jan  1 00:00:07', 'postfix/cleanup[7]', 'DDDDDD3333: message-id=<m@x>'),
      L('Jan  1 00:00:07', 'postfix/qmgr[2]', 'DDDDDD3333: from=<>, size=70, nrcpt=1 (queue active)'),
      L('Jan  1 00:00:07', 'postfix-out/smtpd[8]', '4Zr2Yk0H3Jz5n1q: client=c.example[198.51.100.3], sasl_method=LOGIN, sasl_username=josé'),
      L('Jan  1 00:00:07', 'postfix-out/qmgr[9]', '4Zr2Yk0H3Jz5n1q: from=<josé@bücher.example>, size=10, nrcpt=1 (queue active)'),
      L('Jan  1 00:00:08', 'postfix/submission/smtp[10]', '4Zr2Yk0H3Jz5n1q: to=<zoë@Bücher.Example>, relay=mx.b.example[203.0.113.5]:25, delay=0.5, delays=0/0/0/0.5, dsn=2.0.0, status=sent (250 ok)'),
      L('Jan  1 00:00:08', 'postfix/smtp[3]', '4Zr2Yk0H3Jz5n1q: to=<nodomain>, relay=mx.b.example[203.0.113.5]:25, delay=0.5, delays=0/0/0/0.5, dsn=2.0.0, status=sent (250 ok)'),
      L('Jan  1 00:00:09', 'postfix/smtpd[1]', 'NOQUEUE: reject: RCPT from d.example[198.51.100.4]: 554 5.7.1 <z@example.org>: Relay access denied; from=<s@d.example> to=<z@example.org> proto=ESMTP helo=<d>'),
      L('Jan  1 00:00:09', 'postfix/smtpd[1]', 'warning: unknown[203.0.113.250]: SASL LOGIN authentication failed: UGFzc3dvcmQ6'),
      L('Jan  1 00:00:09', 'postfix/smtpd[1]', 'disconnect from d.example[198.51.100.4] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4'),
      // other envelopes: fractions of a second, RFC 3339, FreeBSD's <facility.level>, CRLF
      L('Jan  1 00:00:10.123456', 'postfix/smtpd[1]', 'EEEEEE4444: client=e.example[198.51.100.5]'),
      '2025-01-01T00:00:11.000+00:00 mx1 postfix/qmgr[2]: EEEEEE4444: from=<f@e.example>, size=20, nrcpt=1 (queue active)',
      'Jan  1 00:00:12 <mail.info> mx1 postfix/smtp[3]: EEEEEE4444: to=<g@h.example>, relay=mx.h.example[203.0.113.6]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)\r',
      L('Jan  1 00:00:12', 'postfix/qmgr[2]', 'EEEEEE4444: removed\r'),
      // lines the string parser reads, after the fast path read their envelope (or not: non-ASCII host or tag)
      L('Jan  1 00:00:12', 'postfix/smtpd[1]', 'NOQUEUE: reject: RCPT from x.example[198.51.100.8]: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown; from=<s@x.example> to=<nobody@example.net> proto=ESMTP helo=<x>'),
      'Jan  1 00:00:12 mх1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from y.example[198.51.100.9]: 554 5.7.1 <a@b.example>: Relay access denied; from=<s@y.example> to=<a@b.example> proto=ESMTP helo=<y>',
      L('Jan  1 00:00:12', 'postfix-ü/smtpd[1]', 'warning: unknown[203.0.113.250]: SASL PLAIN authentication failed: bad'),
      L('Jan  1 00:00:12', 'postfix/smtpd[1]', 'some message nobody knows'),
      // another MTA in the same file, and a line without an envelope
      '2025-01-01 00:00:13 1abcde-000001-AB <= a@b.example H=host [198.51.100.9] P=esmtp S=100',
      'garbage without an envelope',
      L('Jan  1 00:00:14', 'postfix/smtpd[1]', 'disconnect from e.example[198.51.100.5] ehlo=1 quit=1 commands=2'),
      // lines cut short in the stamp or the tag, and a tag that is almost "postfix"
      'Jan  1 00:00:14 mx1 postfi', 'Jan  1 00:00:14 mx1 postfix', 'Jan  1 00:00:1', 'Jan  1 00:00:14',
      L('Jan  1 00:00:14', 'postfiy/smtpd[1]', 'connect from e.example[198.51.100.5]'),
    ];
    const r = both(lines.join('\n') + '\n', 300);
    expectSame(r);
    expect(r.fast.fast!.handled).toBeGreaterThan(8);
    expect(r.fast.tally.delivered).toBeGreaterThan(4);
  });

  it('reads a last line cut short at the very end of the input', () => {
    const tag = 'Jan  1 00:00:15 mx1 postfix/qmgr[2]: ';
    for (const last of ['Jan  1 00:00:15 mx1 postfix', 'Jan  1 00:00:15 mx1 post', 'Jan  1 00:00:15 mx', 'Jan  1 00:00:1', `${tag}ABCDEF1234`, `${tag}ABCDEF1234:`, `${tag}${'A1'.repeat(30)}`]) {
      const r = both(`Jan  1 00:00:14 mx1 postfix/smtpd[1]: connect from a.example[198.51.100.1]\n${last}`);
      expectSame(r);
      expect(r.fast.tally.lines).toBe(2);
    }
  });

  it('agrees on the project fixtures and on the shared real-log lines', () => {
    for (const f of readdirSync(FIXTURES)) expectSame(both(readFileSync(join(FIXTURES, f), 'utf8')));
    if (!existsSync(SHARED)) return; // the evaluation set lives outside the repo
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => {
      const p = join(d, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
    let files = 0;
    for (const p of walk(SHARED)) {
      if (statSync(p).size > 8 << 20) continue;
      expectSame(both(readFileSync(p, 'utf8')));
      files++;
    }
    expect(files).toBeGreaterThan(0);
  });
});
