import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeInputs } from '../../src/logs/analyze.js';
import { generatePostfixLog, BRUTE_FORCE_IP, COMPROMISED } from '../../scripts/lib/postfix-loggen.js';

const input = (text: string) => ({ name: 'gen.log', stream: Readable.from([Buffer.from(text)]), size: text.length });

describe('generated Postfix log, end to end', () => {
  const { text, truth } = generatePostfixLog({ lines: 40_000, seed: 7 });

  it('reports totals equal to the generator ground truth', async () => {
    const r = await analyzeInputs([input(text)], { year: 2025, threads: 1 });
    expect(r.input.lines).toBe(truth.lines);
    expect(r.input.parsedShare).toBe(1);
    for (const k of ['received', 'delivered', 'forwarded', 'deferred', 'deferrals', 'bounced', 'rejected', 'rejectWarnings', 'held', 'discarded',
      'bytesReceived', 'bytesDelivered', 'senders', 'sendingHosts', 'recipients', 'recipientHosts', 'expired', 'connectionFailures', 'authFailures'] as const) {
      expect([k, r.totals[k]]).toEqual([k, truth[k]]);
    }
    // planted signals
    expect(r.security.bruteForce[0]?.ip).toBe(BRUTE_FORCE_IP);
    expect(r.security.suspectAccounts.map((s) => s.account)).toContain(COMPROMISED);
    expect(r.failures.some((f) => f.rootCause === 'dmarc_failure' && f.target === 'gmail.com')).toBe(true);
    expect(r.failures.some((f) => f.rootCause === 'message_expired')).toBe(true);
  });

  it('gives the same report with two worker threads', async () => {
    const one = await analyzeInputs([input(text)], { year: 2025, threads: 1 });
    const two = await analyzeInputs([input(text)], { year: 2025, threads: 2 });
    expect(two.totals).toEqual(one.totals);
    expect(two.failures.map((f) => [f.kind, f.rootCause, f.target, f.count])).toEqual(one.failures.map((f) => [f.kind, f.rootCause, f.target, f.count]));
    expect(two.incidents.map((i) => i.headline)).toEqual(one.incidents.map((i) => i.headline));
    expect(two.input.lines).toBe(one.input.lines);
  });

  it('gives way every ~16 KiB when asked to (afterChunk: in-process API jobs keep answering requests)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-pieces-'));
    try {
      const path = join(dir, 'gen.log');
      writeFileSync(path, text);
      let calls = 0;
      const r = await analyzeInputs([{ name: 'gen.log', path, size: Buffer.byteLength(text) }], { year: 2025, threads: 1, afterChunk: () => { calls++; } });
      expect(r.input.lines).toBe(truth.lines);
      expect(calls).toBeGreaterThanOrEqual(Math.floor(Buffer.byteLength(text) / (16 * 1024)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
