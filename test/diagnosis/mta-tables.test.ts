// Behaviour that depends on which MTA wrote the bounce: its report layout and the wordings it
// documents. Messages written for these tests from each MTA's documented format (example domains).
import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/diagnosis/bounce/index.js';
import { classifyText, diagnose } from '../../src/diagnosis/index.js';
import { crlf, report } from './mail.js';


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

describe('MTA- and provider-documented wordings', () => {
  const sesBounce = (code: string, text: string): string => report(
    ['From: postmaster@example.com', 'To: sender@example.net', 'Subject: Delivery Status Notification (Failure)', 'X-SES-Outgoing: 2024.01.02-192.0.2.10'],
    'This message could not be delivered.', 'inbound-smtp.eu-west-1.amazonaws.com',
    ['Final-Recipient: rfc822; info@example.com', 'Action: failed', `Status: ${code}`, `Diagnostic-Code: smtp; ${text}`],
  );

  it('Amazon SES receipt-rule bounce "Mailbox does not exist" is the rule\'s refusal (filtered)', async () => {
    const d = await diagnose({ email: sesBounce('5.1.1', '550 5.1.1 Mailbox does not exist') });
    expect(d.recipients[0]).toMatchObject({ reason: 'filtered', rootCause: 'recipient_unknown' });
  });

  it('the same words from another MTA stay a directory answer (userunknown)', async () => {
    const d = await diagnose({ email: sesBounce('5.1.1', '550 5.1.1 Mailbox does not exist').replace(/^X-SES-Outgoing:.*\r\n/m, '') });
    expect(d.recipients[0]!.reason).toBe('userunknown');
  });

  it('other SES templates keep their own meaning', async () => {
    const d = await diagnose({ email: sesBounce('5.2.2', '552 5.2.2 Mailbox full') });
    expect(d.recipients[0]!.reason).toBe('mailboxfull');
  });

  it('fml loop alert: the list refused a post whose Message-ID it already handled (systemerror)', async () => {
    const notice = 'Duplicated Message-ID in <list@lists.example.org>.\r\n\r\nOriginal mail as follows:\r\n\r\n   From: poster@example.net\r\n';
    const d = await diagnose({ email: crlf([
      'From: list-admin@lists.example.org', 'To: list-admin@lists.example.org', 'Subject: Loop Alert: Duplicated Message-ID (list ML)',
      'X-MLServer: fml [fml 4.0.3 release]', '', notice,
    ]) });
    expect(d.recipients).toHaveLength(1);
    expect(d.recipients[0]).toMatchObject({ recipient: 'list@lists.example.org', reason: 'systemerror' });
  });

  it('an ordinary fml list post is not a bounce', async () => {
    const r = await parseBounce(crlf(['From: poster@example.net', 'To: list@lists.example.org', 'Subject: hello', 'X-MLServer: fml [fml 4.0.3 release]', '', 'Hi all, see you at <list@lists.example.org>.', '']));
    expect(r.kind).toBe('not_bounce');
  });

  it('Mimecast "email rejected due to security policies" is its virus/spam-signature refusal', () => {
    expect(classifyText('host eu-smtp-1.mimecast.com[192.0.2.7] said: 554 email rejected due to security policies - MCSpamSignature.x.1 (in reply to end of DATA command)').reason)
      .toBe('virusdetected');
    expect(classifyText('554 email rejected due to security policies').reason).not.toBe('virusdetected');
  });

  it('au (ezweb) states the account state once above the list: a disabled account is suspend', async () => {
    const d = await diagnose({ email: crlf([
      'From: Mail Administrator <Postmaster@ezweb.ne.jp>', 'To: sender@example.net', 'Subject: Mail System Error - Returned Mail', '',
      'The user(s) account is disabled.', '', '<someone@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)', '',
    ]) });
    expect(d.recipients[0]).toMatchObject({ recipient: 'someone@ezweb.ne.jp', reason: 'suspend' });
  });
});

describe('verdicts the MTA writes in a field of its own', () => {
  // au's returned-mail notice, in the layout of its documented format; the spam-filter mark is a
  // header of the notice itself (Sisimai's au module reads "X-SPASIGN: NG" as 'filtered').
  const auNotice = (extra: string[]): string => crlf([
    'From: <Postmaster@au.com>', 'To: shop@example.net', 'Subject: Mail System Error - Returned Mail', ...extra, '',
    'Each of the following recipients was rejected by a remote mail server.', '',
    '    Recipient: <taro@au.com>', '    >>> RCPT TO:<taro@au.com>', '    <<< 550 <taro@au.com>: User unknown', '',
    '    Recipient: <hanako@au.com>', '', '',
  ]);

  it('au "X-SPASIGN: NG": every recipient of the notice was refused by the spam filter (filtered)', async () => {
    const r = await parseBounce(auNotice(['X-SPASIGN: NG']));
    expect(r.mta).toBe('ezweb');
    expect(r.recipients.map((x) => x.verdict)).toEqual([{ field: 'x-spasign', value: 'ng' }, { field: 'x-spasign', value: 'ng' }]);
    const d = await diagnose({ email: auNotice(['X-SPASIGN: NG']) });
    expect(d.recipients.map((x) => x.reason)).toEqual(['filtered', 'filtered']);
  });

  it('the same au notice without the mark keeps what its text says', async () => {
    const d = await diagnose({ email: auNotice([]) });
    expect(d.recipients[0]!.reason).toBe('userunknown');
    expect(d.recipients[1]!.reason).not.toBe('filtered');
  });

  it('the mark is au\'s alone: on another MTA\'s bounce it decides nothing', async () => {
    const email = crlf([
      'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)', 'To: shop@example.net', 'Subject: Undelivered Mail Returned to Sender',
      'X-SPASIGN: NG', '',
      'This is the mail system at host mx.example.net.', '',
      '<nobody@example.com>: host mx.example.com[192.0.2.9] said: 550 5.2.2 <nobody@example.com>: mailbox full (in reply to RCPT TO command)', '',
    ]);
    const d = await diagnose({ email });
    expect(d.recipients[0]).toMatchObject({ recipient: 'nobody@example.com', reason: 'mailboxfull' });
  });
});

describe('a recipient the DSN still retries', () => {
  const withAction = (action: string, status: string): string => report(
    ['From: MAILER-DAEMON@relay.example.net', 'To: shop@example.net', 'Subject: Delivery Status Notification'],
    'This is an automatically generated report.', 'relay.example.net',
    ['Final-Recipient: rfc822; late@example.com', `Action: ${action}`, `Status: ${status}`],
  );

  it('Action: delayed with no diagnostic is expired (Sisimai\'s fallback for delayed recipients)', async () => {
    const d = await diagnose({ email: withAction('delayed', '4.0.0') });
    expect(d.recipients[0]).toMatchObject({ recipient: 'late@example.com', reason: 'expired' });
  });

  it('a failed recipient with the same nothing to go on stays onhold', async () => {
    const d = await diagnose({ email: withAction('failed', '5.0.0') });
    expect(d.recipients[0]!.reason).toBe('onhold');
  });

  it('a delayed recipient whose text names a cause keeps it', () => {
    expect(classifyText('452 4.2.2 Mailbox full', { status: '4.2.2', action: 'delayed' }).reason).toBe('mailboxfull');
  });
});
