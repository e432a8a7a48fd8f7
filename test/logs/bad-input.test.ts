import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { analyzeFiles, analyzeInputs, LogInputError } from '../../src/logs/analyze.js';

const run = (data: Buffer | string) =>
  analyzeInputs([{ name: 'in', stream: Readable.from([Buffer.from(data)]), size: null }], { year: 2025, threads: 1 });

const L1 = 'Mar  1 10:00:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 554 5.7.1 <x@other.example>: Relay access denied; from=<a@b.example> to=<x@other.example> proto=ESMTP helo=<h>';
const L2 = 'Mar  1 10:00:05 mx postfix/smtp[2]: connect to mx.down.example[203.0.113.7]:25: Connection refused';

describe('bad input', () => {
  it('refuses binary data with a clear error', async () => {
    const bin = Buffer.alloc(20_000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    await expect(run(bin)).rejects.toBeInstanceOf(LogInputError);
  });

  it('reports an empty file as empty', async () => {
    const r = await run('');
    expect(r.input.lines).toBe(0);
    expect(r.warnings).toContain('the input is empty');
  });

  it('reads gzip and says when the gzip data is truncated', async () => {
    const body = Array.from({ length: 3000 }, (_, i) => (i % 2 ? L1 : L2)).join('\n') + '\n';
    const gz = gzipSync(body);
    const full = await run(gz);
    expect(full.totals.rejected).toBe(1500);
    const cut = await run(gz.subarray(0, Math.floor(gz.length / 2)));
    expect(cut.warnings.some((w) => w.includes('truncated'))).toBe(true);
    expect(cut.totals.rejected).toBeLessThan(1500);
  });

  it('handles CRLF, 100 KB lines, out-of-order and mixed formats', async () => {
    const long = 'Mar  1 10:00:01 mx postfix/cleanup[3]: ' + 'x'.repeat(100_000);
    const exim = '2025-03-01 10:00:02 H=(h) [192.0.2.10]:4000 F=<a@b.example> rejected RCPT <v@w.example>: relay not permitted';
    const text = [L2, L1, long, exim, 'Feb 27 09:00:00 mx postfix/smtp[2]: connect to mx.down.example[203.0.113.7]:25: Connection refused', '\x00\x01garbage'].join('\r\n');
    const r = await run(text);
    expect(r.input.lines).toBe(6);
    expect(r.totals.rejected).toBe(2);
    expect(r.totals.connectionFailures).toBe(2);
    expect(r.input.formats).toEqual({ exim: 1, postfix: 4 });
    expect(r.input.truncatedLines).toBe(1);
    expect(r.input.outOfOrderLines).toBe(1);
    expect(r.unparsed.reduce((a, u) => a + u.count, 0)).toBe(2); // the giant cleanup line and the garbage
    expect(r.failures.find((f) => f.kind === 'rejected')?.examples[0]).not.toContain('\r');
  });

  it('cuts a line without newline that exceeds 1 MiB and keeps memory bounded', async () => {
    const piece = Buffer.from('A'.repeat(64 * 1024));
    const chunks = [...Array.from({ length: 48 }, () => piece), Buffer.from('\n' + L1 + '\n')];
    const r = await analyzeInputs([{ name: 'in', stream: Readable.from(chunks), size: null }], { year: 2025, threads: 1 });
    expect(r.input.oversizedLines).toBe(1);
    expect(r.totals.rejected).toBe(1);
  });

  it('never stores a password from a log line', async () => {
    const line = 'Mar  1 10:00:00 mx postfix/cleanup[3]: CCCC33333: reject: header Subject: your password: Summer2024! from ext.example[198.51.100.1]; from=<a@b.example> to=<c@d.example> proto=ESMTP helo=<h>: 5.7.1 phishing';
    const r = await run(line + '\n');
    const json = JSON.stringify(r);
    expect(json).not.toContain('Summer2024!');
    expect(r.totals.rejected).toBe(1);
  });
});

describe('files read from disk (one reused buffer)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, data: Buffer | string): string => { const p = join(dir, name); writeFileSync(p, data); return p; };

  it('gives the stream reader\'s report for lines crossing the buffer, a giant line and no final newline', async () => {
    // 40k lines (~6 MiB: several buffer refills with a line cut at each edge), a 3 MiB line, a last line without '\n'
    const body = Array.from({ length: 40_000 }, (_, i) => (i % 3 ? L1 : L2)).join('\n') + '\n' + 'B'.repeat(3 << 20) + '\n' + L1;
    const fromFile = await analyzeFiles([file('plain.log', body)], { year: 2025, threads: 1 });
    const buf = Buffer.from(body);
    const pieces = Array.from({ length: Math.ceil(buf.length / 65536) }, (_, i) => buf.subarray(i * 65536, (i + 1) * 65536));
    const fromStream = await analyzeInputs([{ name: 'in', stream: Readable.from(pieces), size: null }], { year: 2025, threads: 1 });
    expect(fromFile.input.oversizedLines).toBe(1);
    expect(fromFile.totals.rejected).toBe(26_667);
    expect({ ...fromFile.input, files: [] }).toEqual({ ...fromStream.input, files: [] });
    expect(fromFile.totals).toEqual(fromStream.totals);
  });

  it('detects gzip and binary files by content', async () => {
    const r = await analyzeFiles([file('x.log', gzipSync(L1 + '\n' + L2 + '\n'))], { year: 2025, threads: 1 });
    expect(r.totals.rejected).toBe(1);
    const bin = Buffer.alloc(20_000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    await expect(analyzeFiles([file('bin.log', bin)], { threads: 1 })).rejects.toBeInstanceOf(LogInputError);
  });
});
