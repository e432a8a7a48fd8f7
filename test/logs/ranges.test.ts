// Range mode: a plain Postfix file cut in two at a line start, read by two threads. Every report
// must equal the one-thread report of the same file, whatever falls on either side of the cut.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles } from '../../src/logs/analyze.js';
import { generatePostfixLog } from '../../scripts/lib/postfix-loggen.js';

const dir = mkdtempSync(join(tmpdir(), 'mailmedic-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string): string => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};
const both = async (path: string) => {
  const one = await analyzeFiles([path], { year: 2025, threads: 1 });
  const two = await analyzeFiles([path], { year: 2025, threads: 2 });
  return { one, two };
};

const pad = (n: number) => String(n).padStart(2, '0');
/** Classic syslog stamp for second `s` after Dec 31 23:00:00 (crosses into Jan 1 after 3600 s). */
const stamp = (s: number): string => {
  const dec = s < 3600;
  const t = dec ? 23 * 3600 + s : s - 3600;
  const day = dec ? 'Dec 31' : 'Jan  1';
  return `${day} ${pad(Math.floor(t / 3600))}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
};

/**
 * Messages whose lines spread over several seconds, interleaved, so that messages are in flight
 * wherever the file is cut: client= … from= … to= (sent, deferred then sent, or bounced) … removed.
 */
function interleaved(n: number, startSec: number): string {
  const lines: [number, string][] = [];
  for (let i = 0; i < n; i++) {
    const t = startSec + i * 3;
    const q = (0xa1000 + i).toString(16).toUpperCase();
    const h = (s: number, prog: string, msg: string) => lines.push([s, `${stamp(s)} mx postfix/${prog}[${100 + (i % 7)}]: ${msg}`]);
    h(t, 'smtpd', `connect from c${i}.example[198.51.100.${i % 250}]`);
    h(t, 'smtpd', `${q}: client=c${i}.example[198.51.100.${i % 250}]`);
    h(t + 1, 'cleanup', `${q}: message-id=<${i}@c.example>`);
    h(t + 1, 'qmgr', `${q}: from=<s${i % 40}@Sender.example>, size=${1000 + i}, nrcpt=1 (queue active)`);
    const relay = `relay=mx.dest${i % 9}.example[203.0.113.${i % 9}]:25`;
    if (i % 5 === 0) {
      h(t + 2, 'smtp', `${q}: to=<r${i}@dest${i % 9}.example>, ${relay}, delay=2, delays=0/0/1/1, dsn=4.7.0, status=deferred (host mx.dest${i % 9}.example[203.0.113.${i % 9}] said: 421 4.7.0 Try again later (in reply to RCPT TO command))`);
      // the retry comes much later: past the middle of the file for early messages
      h(t + 900, 'qmgr', `${q}: from=<s${i % 40}@Sender.example>, size=${1000 + i}, nrcpt=1 (queue active)`);
      h(t + 901, 'smtp', `${q}: to=<r${i}@dest${i % 9}.example>, ${relay}, delay=901, delays=0/900/1/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)`);
      h(t + 901, 'qmgr', `${q}: removed`);
    } else if (i % 7 === 0) {
      h(t + 2, 'smtp', `${q}: to=<nobody${i}@dest${i % 9}.example>, ${relay}, delay=2, delays=0/0/1/1, dsn=5.1.1, status=bounced (host mx.dest${i % 9}.example[203.0.113.${i % 9}] said: 550 5.1.1 User unknown (in reply to RCPT TO command))`);
      h(t + 3, 'qmgr', `${q}: removed`);
    } else {
      h(t + 2, 'smtp', `${q}: to=<r${i}@dest${i % 9}.example>, ${relay}, delay=2, delays=0/0/1/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)`);
      h(t + 3, 'qmgr', `${q}: removed`);
    }
    h(t + 1, 'smtpd', `disconnect from c${i}.example[198.51.100.${i % 250}]`);
  }
  return lines.sort((a, b) => a[0] - b[0]).map(([, l]) => l).join('\n') + '\n';
}

describe('range mode (two threads over one plain Postfix file)', () => {
  it('reports exactly what one thread reports, on the generated log', async () => {
    const { text } = generatePostfixLog({ lines: 40_000, seed: 11 });
    const { one, two } = await both(file('gen.log', text));
    expect(two).toEqual(one);
    expect(one.totals.received).toBeGreaterThan(1000);
  });

  it('carries messages in flight across the cut (deferred and retried on the other side)', async () => {
    const { one, two } = await both(file('flight.log', interleaved(1500, 4000)));
    expect(two).toEqual(one);
    expect(one.totals.received).toBe(1500);
    const bounced = Array.from({ length: 1500 }, (_, i) => i % 7 === 0 && i % 5 !== 0).filter(Boolean).length;
    expect(one.totals.bounced).toBe(bounced);
    expect(one.totals.delivered).toBe(1500 - bounced);
    expect(one.totals.deferred).toBe(300);
    expect(one.totals.bytesReceived).toBe(Array.from({ length: 1500 }, (_, i) => 1000 + i).reduce((a, b) => a + b, 0));
  });

  it('keeps the year when the year turns in the first part', async () => {
    // starts Dec 31 23:40; the new year begins about a tenth into the file, the cut is in the middle
    const { one, two } = await both(file('newyear.log', interleaved(4000, 2400)));
    expect(two).toEqual(one);
    expect(one.traffic.perDay.map((d) => d.date)).toEqual(['2025-12-31', '2026-01-01']);
  });

  it('reads a log without first lines (an extract) the same way: the other part replays them', async () => {
    // only delivery-agent lines: every message the second thread meets began before its part
    const only = interleaved(1500, 4000).split('\n').filter((l) => l.includes('postfix/smtp[')).join('\n') + '\n';
    const { one, two } = await both(file('extract.log', only));
    expect(two).toEqual(one);
    expect(one.totals.deferrals).toBe(300);
  });

  it('falls back to one pass when another MTA with its own queue state appears after the start', async () => {
    const head = interleaved(1200, 4000);
    const sendmail = Array.from({ length: 300 }, (_, i) => `Jan  1 05:00:${pad(i % 60)} mx sm-mta[77]: x${i}AB: from=<a${i}@x.example>, size=10, class=0, nrcpts=1, msgid=<${i}@x>, relay=h[192.0.2.1]`).join('\n');
    const { one, two } = await both(file('mixed.log', head + sendmail + '\n' + head));
    expect(two).toEqual(one);
    expect(one.input.formats).toHaveProperty('sendmail');
  });
});
