// Bounce reasons that depend on what the bounce e-mail says besides the reply text: fields the
// reporting MTA adds, the SMTP phase, placeholders that carry no diagnostic. Messages written for
// these tests from the MTAs' documented formats (example domains).
import { describe, expect, it } from 'vitest';
import { classifyText, diagnose } from '../../src/diagnosis/index.js';
import { crlf, report } from './mail.js';

/** A multipart/report with one recipient block; `fields` are added to that block. */
function dsn(fields: string[], text = 'Delivery to the following recipient failed permanently.'): string {
  return report(['From: MAILER-DAEMON@mta.example.net', 'To: sender@example.org', 'Subject: Delivery report'], text, 'mta.example.net',
    ['Final-Recipient: rfc822; rcpt@example.com', 'Action: failed', ...fields]);
}

describe('the reporting MTA\'s own bounce category', () => {
  it('PowerMTA bad-mailbox: the address is unknown although the Status says "mailbox disabled"', async () => {
    const d = await diagnose({ email: dsn([
      'Status: 5.2.1 (mailbox disabled, not accepting messages)',
      'Remote-MTA: dns; mx.example.com',
      'Diagnostic-Code: smtp; 550 5.2.1 <rcpt@example.com>... No such user here',
      'X-PowerMTA-BounceCategory: bad-mailbox',
    ]) });
    expect(d.recipients[0]).toMatchObject({ reason: 'userunknown', rootCause: 'recipient_unknown' });
  });

  it.each([
    ['PowerMTA quota-issues decides even a text that names no cause', '5.0.0', '552 Requested action aborted', 'quota-issues'],
    ['an unmapped category ("other") leaves the text to decide', '5.2.2', '552 5.2.2 Mailbox full', 'other'],
  ])('%s', async (_, status, reply, category) => {
    const d = await diagnose({ email: dsn([`Status: ${status}`, `Diagnostic-Code: smtp; ${reply}`, `X-PowerMTA-BounceCategory: ${category}`]) });
    expect(d.recipients[0]!.reason).toBe('mailboxfull');
  });
});

describe('text that is not a diagnostic', () => {
  it('Postfix\'s "Delivery report unavailable" placeholder leaves the reason undefined', async () => {
    const email = crlf([
      'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
      'To: sender@example.org',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="P1"',
      '',
      '--P1',
      'Content-Type: text/plain',
      '',
      'This is the mail system at host mx.example.net.',
      '',
      '                   The mail system',
      '',
      '\t--- Delivery report unavailable ---',
      '',
      '--P1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      'X-Postfix-Queue-ID: 3C1F0A2B7',
      '',
      '--P1',
      'Content-Type: message/rfc822',
      '',
      'From: sender@example.org',
      'To: rcpt@example.com',
      'Subject: hello',
      '',
      'hello',
      '--P1--',
      '',
    ]);
    const d = await diagnose({ email });
    expect(d.recipients[0]).toMatchObject({ recipient: 'rcpt@example.com', diagnostic: null, reason: 'undefined' });
  });

  it('MIME preamble and boundary lines of a report sent without a multipart header are not read as the reason', async () => {
    const email = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>',
      'To: sender@example.net',
      'Subject: Returned mail: see transcript for details',
      '',
      'This is a MIME-encapsulated message',
      '',
      '--a1B2c3.1700000000/mx.example.net',
      '',
      '   ----- The following addresses had permanent fatal errors -----',
      'rcpt',
      '',
      '   ----- Transcript of session follows -----',
      'rcpt... Mailbox quota exceeded',
      '',
      '--a1B2c3.1700000000/mx.example.net',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: RFC822; rcpt@mx.example.net',
      'Action: failed',
      'Status: 5.2.2',
      '',
      '--a1B2c3.1700000000/mx.example.net--',
      '',
    ].join('\n');
    const d = await diagnose({ email });
    expect(d.recipients[0]!.reason).toBe('mailboxfull');
    expect(d.recipients[0]!.diagnostic).not.toMatch(/MIME-encapsulated|--a1B2c3/);
  });
});

describe('documented answers whose reason does not depend on the SMTP phase', () => {
  it('Yahoo/AOL "dd" no-account answer after DATA is an unknown user, not a content filter', () => {
    const text = "554 delivery error: dd This user doesn't have a aol.com account (nobody@aol.com) [0] - mta0.mail.example.aol.com";
    expect(classifyText(text, { command: 'DATA', status: '5.0.0' }).reason).toBe('userunknown');
    // the same wording answered at DATA by a generic server stays a filter
    expect(classifyText('554 5.0.0 No such user here', { command: 'DATA', status: '5.0.0' }).reason).toBe('filtered');
  });

  it('DragonFly Mail Agent: a recipient domain that does not resolve', () => {
    const c = classifyText('DNS lookup failure: host mail.example.invalid not found', { status: null });
    expect(c).toMatchObject({ reason: 'hostunknown', rootCause: 'recipient_domain_invalid' });
  });
});
