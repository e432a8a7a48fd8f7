import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/diagnose.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

describe('mailmedic diagnose', () => {
  it('prints a readable answer in the language of the input', async () => {
    const c = capture();
    expect(await run(['550 5.7.1 Client was not authenticated'], c.io)).toBe(0);
    expect(c.out.join('')).toContain('Root cause: sender_not_authenticated (config)');
    const z = capture();
    expect(await run(['退信说对方邮箱已满'], z.io)).toBe(0);
    expect(z.out.join('')).toContain('根本原因: mailbox_full');
  });

  it('prints the Diagnosis as JSON with --json and honours --locale', async () => {
    const c = capture();
    expect(await run(['--json', '--locale', 'zh', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant'], c.io)).toBe(0);
    const d = JSON.parse(c.out.join(''));
    expect(d).toMatchObject({ rootCause: 'auth_method_disabled', language: 'zh' });
  });

  it('reads a batch of JSON lines, keeps ids, and reports bad lines without stopping', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-diag-'));
    const eml = join(dir, 'b.eml');
    writeFileSync(eml, 'Subject: hello\r\n\r\njust a note, not a bounce\r\n');
    const jsonl = join(dir, 'in.jsonl');
    writeFileSync(jsonl, [
      JSON.stringify({ id: 'a', text: '552 5.2.2 Mailbox full' }),
      'not json',
      JSON.stringify({ id: 'c', eml }),
      JSON.stringify({ id: 'd' }),
      JSON.stringify({ id: 'e', eml: join(dir, 'missing.eml') }),
      JSON.stringify({ id: 7, text: '用户不存在' }),
    ].join('\n') + '\n');
    const c = capture();
    expect(await run(['--jsonl', jsonl], c.io)).toBe(0);
    const lines = c.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ id: 'a', rootCause: 'mailbox_full' });
    expect(lines[1]).toMatchObject({ id: null, line: 2 });
    expect(lines[1].error).toBeTruthy();
    expect(lines[2]).toMatchObject({ id: 'c', rootCause: 'unknown' });
    expect(lines[3].error).toContain('"text"');
    expect(lines[4]).toMatchObject({ id: 'e' });
    expect(lines[4].error).toBeTruthy();
    expect(lines[5]).toMatchObject({ id: 7, rootCause: 'recipient_unknown', language: 'zh' });
    expect(c.err.join('')).toContain('3 line(s)');
  });

  it('rejects bad options with exit code 2', async () => {
    for (const argv of [[], ['--locale', 'fr', 'x'], ['--threshold', '2', 'x'], ['--nope']]) {
      const c = capture();
      expect(await run(argv, c.io)).toBe(2);
      expect(c.err.join('')).not.toBe('');
    }
  });

  it('fails with exit code 1 on an unreadable .eml', async () => {
    const c = capture();
    expect(await run(['--eml', '/nonexistent/bounce.eml'], c.io)).toBe(1);
  });
});
