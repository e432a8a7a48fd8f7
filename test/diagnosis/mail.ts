// Builders for the bounce e-mails the diagnosis tests write.
export const crlf = (lines: string[]): string => lines.join('\r\n');

/** A multipart/report: top-level `headers`, a text part, and one recipient block of `fields`. */
export function report(headers: string[], text: string, perMessage: string, fields: string[]): string {
  return crlf([
    ...headers,
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
    `Reporting-MTA: dns; ${perMessage}`,
    '',
    ...fields,
    '',
    '--R1--',
    '',
  ]);
}
