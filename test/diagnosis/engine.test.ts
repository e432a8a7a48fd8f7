import { describe, expect, it } from 'vitest';
import { DiagnosisSchema } from '../../src/core/diagnosis.js';
import { diagnose } from '../../src/diagnosis/index.js';

const NOW = new Date('2026-01-02T03:04:05Z');

/** A small RFC 3464 report written for this test: two failed recipients. */
const DSN = [
  'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
  'To: alice@example.net',
  'Subject: Undelivered Mail Returned to Sender',
  'Date: Thu, 01 Jan 2026 10:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'Your message could not be delivered to one or more recipients.',
  '',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.example.net',
  '',
  'Final-Recipient: rfc822; bob@example.org',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mx.example.org',
  'Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table',
  '',
  'Final-Recipient: rfc822; carol@example.com',
  'Action: failed',
  'Status: 5.2.2',
  'Remote-MTA: dns; mx.example.com',
  'Diagnostic-Code: smtp; 552 5.2.2 <carol@example.com>: Recipient address rejected: Mailbox full',
  '',
  '--b1--',
  '',
].join('\r\n');

describe('diagnose (text)', () => {
  it('builds a valid Diagnosis in the language of the text', async () => {
    const d = await diagnose({ text: '我的邮件发送失败，错误代码550，提示“5.7.1 Client was not authenticated”' }, { now: NOW });
    expect(DiagnosisSchema.parse(d)).toBeTruthy();
    expect(d.rootCause).toBe('sender_not_authenticated');
    expect(d.category).toBe('config');
    expect(d.language).toBe('zh');
    expect(d.summary).toMatch(/[\u4e00-\u9fff]/);
    expect(d.steps.length).toBeGreaterThan(0);
    expect(d.smtp).toMatchObject({ replyCode: '550', enhancedStatus: '5.7.1' });
    expect(d.smtp.statusMeaning).toContain('永久失败');
    expect(d.escalate).toEqual({ needed: false, reason: 'none', priority: 'normal' });
    expect(d.references).toEqual([]);
    expect(d.ticket).toMatchObject({ errorCode: '550 5.7.1', timestamp: NOW.toISOString() });
    expect(d.ticket.missing).toContain('mailbox');
  });

  it('lets locale override the detected language', async () => {
    const d = await diagnose({ text: '550 5.2.2 mailbox full', locale: 'zh' });
    expect(d.language).toBe('zh');
    const e = await diagnose({ text: '用户不存在', locale: 'en' });
    expect(e.language).toBe('en');
  });

  it('fills the ticket from context and text', async () => {
    const d = await diagnose(
      { text: 'Outlook on Windows says 535 5.7.3 Authentication unsuccessful when I send from me@corp.example', context: { client: 'Outlook 2021' } },
      { now: NOW },
    );
    expect(d.rootCause).toBe('auth_credentials_invalid');
    expect(d.ticket).toMatchObject({ mailbox: 'me@corp.example', client: 'Outlook 2021', os: 'Windows', errorCode: '535 5.7.3' });
    expect(d.ticket.missing).not.toContain('mailbox');
  });

  it('escalates unknown and low-confidence answers, and security ones with high priority', async () => {
    const unknown = await diagnose({ text: 'my mail is broken' });
    expect(unknown.rootCause).toBe('unknown');
    expect(unknown.escalate).toEqual({ needed: true, reason: 'low_confidence', priority: 'normal' });

    const weak = await diagnose({ text: '421 try later' });
    expect(weak.confidence).toBeLessThan(0.6);
    expect(weak.escalate.reason).toBe('low_confidence');

    const strict = await diagnose({ text: '550 5.7.1 Client was not authenticated' }, { confidenceThreshold: 0.95 });
    expect(strict.escalate).toMatchObject({ needed: true, reason: 'low_confidence' });

    const security = await diagnose({ text: '550 5.1.8 Access denied, bad outbound sender.' });
    expect(security.category).toBe('security');
    expect(security.escalate).toEqual({ needed: true, reason: 'security', priority: 'high' });
  });

  it('redacts secrets before they reach evidence or the ticket', async () => {
    const d = await diagnose({ text: 'SMTP login failed: 535 5.7.8 authentication failed for user bob password=Hunter2Secret! please help' });
    const out = JSON.stringify(d);
    expect(d.rootCause).toBe('auth_credentials_invalid');
    expect(out).not.toContain('Hunter2Secret');
  });

  it('answers bad input with unknown + escalation instead of throwing', async () => {
    const inputs = [
      { text: '' },
      { text: 'x'.repeat(1024 * 1024) },
      { text: '\u0000\u0001\u0002\u0003binary\u0004\u0005\u0006\u0007'.repeat(1000) },
      { text: '\ufffd\ufffd\ufffd\ufffd' },
      { email: Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81, 0xc3, 0x28]) },
      { email: 'this is not an e-mail at all' },
      {},
    ];
    for (const input of inputs) {
      const d = await diagnose(input);
      expect(DiagnosisSchema.parse(d)).toBeTruthy();
      expect(d.rootCause).toBe('unknown');
      expect(d.escalate.needed).toBe(true);
    }
    const big = await diagnose({ text: 'x'.repeat(1024 * 1024) });
    expect(big.evidence.some((e) => e.note?.includes('only the first'))).toBe(true);
  });
});

describe('diagnose (bounce e-mail)', () => {
  it('classifies each failed recipient and picks the overall answer from them', async () => {
    const d = await diagnose({ email: DSN }, { now: NOW });
    expect(DiagnosisSchema.parse(d)).toBeTruthy();
    expect(d.recipients.map((r) => [r.recipient, r.rootCause])).toEqual([
      ['bob@example.org', 'recipient_unknown'],
      ['carol@example.com', 'mailbox_full'],
    ]);
    expect(['recipient_unknown', 'mailbox_full']).toContain(d.rootCause);
    expect(d.evidence[0]!.source).toMatch(/^recipient:/);
    expect(d.ticket.timestamp).toBe('2026-01-01T10:00:00.000Z');
    expect(d.language).toBe('en');
  });
});
