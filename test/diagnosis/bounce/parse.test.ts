import { describe, expect, it } from 'vitest';
import { MAX_BOUNCE_BYTES, parseBounce } from '../../../src/diagnosis/bounce/index.js';
import * as F from './fixtures.js';

describe('parseBounce: RFC 3464 reports', () => {
  it('reads every failed recipient block, unfolds Diagnostic-Code and skips delivered ones', async () => {
    const r = await parseBounce(F.DSN_TWO_RECIPIENTS);
    expect(r.kind).toBe('bounce');
    expect(r.subject).toBe('Undelivered Mail Returned to Sender');
    expect(r.date).toBe('Mon, 30 Nov 2026 10:00:00 +0000');
    expect(r.recipients.map((x) => x.recipient)).toEqual(['bob@example.com', 'carol@example.com']);
    const [bob, carol] = r.recipients;
    expect(bob).toMatchObject({ action: 'failed', status: '5.1.1', replyCode: '550', remoteMta: 'mx1.example.com', reportingMta: 'mx.example.net' });
    // The text part adds the SMTP stage the DSN field lacks.
    expect(bob!.diagnosticCode).toContain('User unknown');
    expect(bob!.diagnosticCode).toContain('in reply to RCPT TO command');
    // A generic Status 5.0.0 gives way to the remote server's own 5.7.1.
    expect(carol).toMatchObject({ status: '5.7.1', replyCode: '554' });
    expect(carol!.diagnosticCode).toBe('554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org');
    expect(r.provider).toBe('postfix');
    expect(r.originalRecipientHint).toBe('bob@example.com');
  });

  it('marks a report whose recipients are all delayed as a delay', async () => {
    const r = await parseBounce(F.DSN_DELAYED);
    expect(r.kind).toBe('delay');
    expect(r.recipients[0]).toMatchObject({ recipient: 'erin@example.com', action: 'delayed', status: '4.4.1' });
    expect(r.recipients[0]!.diagnosticCode).toBe('connect to mx.example.com[203.0.113.9]:25: Connection timed out');
  });

  it('reads the bounce inside a forwarded message/rfc822 attachment', async () => {
    const r = await parseBounce(F.FORWARDED);
    expect(r.kind).toBe('bounce');
    expect(r.recipients[0]?.recipient).toBe('frank@example.jp');
  });
});

describe('parseBounce: MTA formats without a DSN', () => {
  it('qmail', async () => {
    const r = await parseBounce(F.QMAIL);
    expect(r.kind).toBe('bounce');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ recipient: 'frank@example.jp', status: '5.2.2', replyCode: '552' });
    expect(r.recipients[0]!.diagnosticCode).toContain('Mailbox over quota');
    expect(r.recipients[0]!.diagnosticCode).not.toContain('Giving up');
  });

  it('Exim, joining a multi-line reply', async () => {
    const r = await parseBounce(F.EXIM);
    expect(r.kind).toBe('bounce');
    const g = r.recipients[0]!;
    expect(g).toMatchObject({ recipient: 'grace@example.net', status: '5.7.1', replyCode: '550' });
    expect(g.diagnosticCode).toContain('550-5.7.1 Message rejected because it looks like spam. Please read our policy at https://mx.example.net/policy');
    expect(r.provider).toBe('exim');
  });

  it('Sendmail', async () => {
    const r = await parseBounce(F.SENDMAIL);
    expect(r.recipients.map((x) => x.recipient)).toEqual(['henry@example.com']);
    expect(r.recipients[0]).toMatchObject({ status: '5.1.1', replyCode: '550' });
  });

  it('Exchange Online NDR in HTML', async () => {
    const r = await parseBounce(F.EXCHANGE_NDR);
    expect(r.kind).toBe('bounce');
    expect(r.provider).toBe('microsoft');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ recipient: 'ivan@contoso.example', status: '5.1.10', replyCode: '550' });
    expect(r.recipients[0]!.diagnosticCode).toContain('RecipientNotFound');
  });

  it('Gmail', async () => {
    const r = await parseBounce(F.GMAIL);
    expect(r.provider).toBe('google');
    expect(r.recipients[0]).toMatchObject({ recipient: 'judy@example.net', status: '5.7.1', replyCode: '550' });
    expect(r.recipients[0]!.diagnosticCode).toContain('Sender IP reputation is too low');
  });

  it('Yahoo', async () => {
    const r = await parseBounce(F.YAHOO);
    expect(r.provider).toBe('yahoo');
    expect(r.recipients[0]).toMatchObject({ recipient: 'kate@example.com', status: '5.7.9', replyCode: '554' });
  });

  it('QQ Mail notice in GB2312 with an encoded-word subject', async () => {
    const r = await parseBounce(F.TENCENT_GBK);
    expect(r.subject).toBe('系统退信');
    expect(r.kind).toBe('bounce');
    expect(r.provider).toBe('tencent');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ recipient: 'zhangsan@example.cn', replyCode: '550' });
    expect(r.recipients[0]!.diagnosticCode).toContain('Mailbox not found or access denied');
  });

  it('Tencent Exmail notice in an HTML table', async () => {
    const r = await parseBounce(Buffer.from(F.TENCENT_HTML, 'utf8'));
    expect(r.subject).toBe('退信');
    expect(r.provider).toBe('tencent');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ recipient: 'wangwu@example.com.cn', status: '5.7.1', replyCode: '550', command: 'DATA' });
    expect(r.recipients[0]!.diagnosticCode).toContain('spam rejected');
  });

  it('NetEase notice in UTF-8', async () => {
    const r = await parseBounce(Buffer.from(F.NETEASE_UTF8, 'utf8'));
    expect(r.provider).toBe('netease');
    expect(r.recipients[0]).toMatchObject({ recipient: 'lisi@example.cn', replyCode: '552' });
    expect(r.recipients[0]!.diagnosticCode).toContain('exceeded mailsize limit');
  });

  it('other Chinese servers: 邮件投递失败 / 无法发送到', async () => {
    const raw = [
      'From: 系统管理员 <admin@mail.example.cn>',
      'To: alice@example.org',
      'Subject: 邮件投递失败',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '您的邮件无法发送到 zhao@example.net.cn',
      '错误原因：554 5.7.1 Rejected by content filter',
      '',
      '------------------ 原始邮件 ------------------',
      'To: zhao@example.net.cn',
    ].join('\n');
    const r = await parseBounce(Buffer.from(raw, 'utf8'));
    expect(r.kind).toBe('bounce');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ recipient: 'zhao@example.net.cn', status: '5.7.1', replyCode: '554' });
    expect(r.recipients[0]!.diagnosticCode).toContain('Rejected by content filter');
  });

  it('Amazon SES JSON notification, bare and inside an SNS envelope', async () => {
    const r = await parseBounce(F.SES_JSON);
    expect(r.recipients[0]).toMatchObject({ recipient: 'peggy@example.com', status: '5.1.1', replyCode: '550', diagnosticCode: '550 5.1.1 user unknown' });
    const [head, json] = F.SES_JSON.split('\n\n');
    const envelope = `${head}\n\n${JSON.stringify({ Type: 'Notification', Message: json }, null, 2)}\n`;
    expect((await parseBounce(envelope)).recipients[0]).toMatchObject({ recipient: 'peggy@example.com', status: '5.1.1' });
  });
});

describe('parseBounce: not bounces', () => {
  it('auto-reply → vacation, with no failed recipient', async () => {
    const r = await parseBounce(F.AUTO_REPLY);
    expect(r.kind).toBe('vacation');
    expect(r.recipients).toEqual([]);
  });

  it('ARF abuse report → feedback; the complaining address is the hint, not a failed recipient', async () => {
    const r = await parseBounce(F.ARF);
    expect(r.kind).toBe('feedback');
    expect(r.recipients).toEqual([]);
    expect(r.originalRecipientHint).toBe('niaj@isp.example');
  });

  it('ordinary mail → not_bounce', async () => {
    const r = await parseBounce(F.ORDINARY);
    expect(r.kind).toBe('not_bounce');
    expect(r.recipients).toEqual([]);
  });

  it('garbage, binary and empty input never throw', async () => {
    for (const input of ['', '\0\0\0', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x0d, 0x0a]), 'Content-Type: multipart/report; boundary=\n\n--\n--', ':::\n\n\n']) {
      const r = await parseBounce(input);
      expect(r.kind).toBe('not_bounce');
    }
  });

  it('input above the size cap is cut and says so', async () => {
    const big = `${F.QMAIL}\n${'x'.repeat(MAX_BOUNCE_BYTES)}`;
    const r = await parseBounce(big);
    expect(r.note).toMatch(/only the first part/);
    expect(r.recipients[0]?.recipient).toBe('frank@example.jp');
  });
});

describe('parseBounce: hostile input stays fast', () => {
  const MB = 1 << 20;
  const cases: Record<string, string> = {
    'one long line of local-part characters': `From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\n\n${'a'.repeat(2 * MB)}`,
    'many at-signs': `From: MAILER-DAEMON@x.example\nSubject: failure notice\n\n<${'a@'.repeat(MB)}>:`,
    'folded header without end': `Subject: x\n${' y'.repeat(MB)}`,
    'unclosed style in html': `Content-Type: text/html\n\n${'<style>'.repeat(MB / 7)}`,
    'deep multipart nesting': Array.from({ length: 50 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n`).join(''),
  };
  for (const [name, input] of Object.entries(cases)) {
    it(name, async () => {
      const t0 = performance.now();
      const r = await parseBounce(input);
      expect(['bounce', 'not_bounce']).toContain(r.kind);
      // Backtracking blow-ups take minutes on this input; linear scans take milliseconds.
      expect(performance.now() - t0).toBeLessThan(5000);
    });
  }
});

describe('charsets without a declaration', () => {
  it('decodes ISO-2022-JP escapes in a delivery-status part', async () => {
    const r = await parseBounce(F.ISO2022JP_DSN);
    expect(r.recipients[0]?.diagnosticCode).toContain('Domino ディレクトリには見つかりません');
  });
});
