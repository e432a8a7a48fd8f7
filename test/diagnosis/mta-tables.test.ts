// Behaviour that depends on which MTA wrote the bounce: its report layout and the wordings it
// documents. Messages written for these tests from each MTA's documented format (example domains).
import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/diagnosis/bounce/index.js';
import { diagnose } from '../../src/diagnosis/index.js';

const crlf = (lines: string[]): string => lines.join('\r\n');

describe('Sendmail session transcripts', () => {
  // V5 Sendmail reports several SMTP conversations in one transcript; each recipient's status
  // line follows the command and reply that caused it, host lines follow their own lookups.
  const v5 = crlf([
    'From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>',
    'To: sender@example.net',
    'Subject: Returned mail: Unable to deliver mail',
    '',
    '   ----- Transcript of session follows -----',
    'While talking to mx.example.com:',
    '>>> MAIL From:<sender@example.net>',
    '<<< 553 Relaying denied from this network',
    '554 <alice@example.com>... Remote protocol error',
    '550 example.org (smtp)... 550 Host unknown',
    '554 <bob@example.org>... 550 Host unknown (Authoritative answer from name server)',
    'While talking to mx.example.jp:',
    '>>> RCPT To:<carol@example.jp>',
    '<<< 550 <carol@example.jp>... User unknown',
    '550 <carol@example.jp>... User unknown',
    '',
    '   ----- Unsent message follows -----',
    'From: sender@example.net',
    'To: alice@example.com',
    'Subject: hello',
    '',
  ]);

  it('gives each recipient the reply of its own conversation, not the next host\'s line', async () => {
    const r = await parseBounce(v5);
    expect(r.recipients.map((x) => x.recipient)).toEqual(['alice@example.com', 'bob@example.org', 'carol@example.jp']);
    const [alice, bob, carol] = r.recipients;
    expect(alice!.diagnosticCode).toContain('Relaying denied');
    expect(alice!.diagnosticCode).not.toContain('Host unknown');
    expect(alice!.command).toBe('MAIL');
    expect(bob!.diagnosticCode).not.toContain('Relaying denied');
    expect(carol!.command).toBe('RCPT');
    const d = await diagnose({ email: v5 });
    expect(d.recipients.map((x) => x.reason)).toEqual(['norelaying', 'hostunknown', 'userunknown']);
  });

  it('modern Sendmail: the reply in the transcript belongs to the recipient listed above it', async () => {
    const r = await parseBounce(crlf([
      'From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>',
      'To: sender@example.net',
      'Subject: Returned mail: see transcript for details',
      '',
      '   ----- The following addresses had permanent fatal errors -----',
      '<dave@example.com>',
      '',
      '   ----- Transcript of session follows -----',
      '... while talking to mx.example.com.:',
      '>>> DATA',
      '<<< 554 5.7.1 Message refused by content filter',
      '554 5.0.0 Service unavailable',
      '',
    ]));
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ recipient: 'dave@example.com', command: 'DATA' });
    expect(r.recipients[0]!.diagnosticCode).toContain('content filter');
  });
});
