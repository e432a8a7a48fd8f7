// Bounce reasons that depend on what the bounce e-mail says besides the reply text: fields the
// reporting MTA adds, the SMTP phase, placeholders that carry no diagnostic. Messages written for
// these tests from the MTAs' documented formats (example domains).
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/index.js';

const crlf = (lines: string[]): string => lines.join('\r\n');

/** A multipart/report with one recipient block; `fields` are added to that block. */
function dsn(fields: string[], text = 'Delivery to the following recipient failed permanently.'): string {
  return crlf([
    'From: MAILER-DAEMON@mta.example.net',
    'To: sender@example.org',
    'Subject: Delivery report',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="R1"',
    '',
    '--R1',
    'Content-Type: text/plain',
    '',
    text,
    '',
    '--R1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mta.example.net',
    '',
    'Final-Recipient: rfc822; rcpt@example.com',
    'Action: failed',
    ...fields,
    '',
    '--R1--',
    '',
  ]);
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

  it('PowerMTA quota-issues decides even a text that names no cause', async () => {
    const d = await diagnose({ email: dsn([
      'Status: 5.0.0',
      'Diagnostic-Code: smtp; 552 Requested action aborted',
      'X-PowerMTA-BounceCategory: quota-issues',
    ]) });
    expect(d.recipients[0]!.reason).toBe('mailboxfull');
  });

  it('an unmapped category ("other") leaves the text to decide', async () => {
    const d = await diagnose({ email: dsn([
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
      'X-PowerMTA-BounceCategory: other',
    ]) });
    expect(d.recipients[0]!.reason).toBe('mailboxfull');
  });
});
