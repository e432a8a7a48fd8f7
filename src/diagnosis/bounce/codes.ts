// Reply codes (RFC 5321) and enhanced status codes (RFC 3463) inside free diagnostic text.

// Not preceded by a digit or dot and not followed by one, so IP addresses do not match.
const STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/;
// A multi-line reply continues with '-' ("550-5.7.1 ...", "550-Sorry"); '-' then digits is a phone number.
// Alone (without a status) only failure codes count: "Size (in bytes): 222" is not a reply.
const REPLY = /(?<![\d.#:/-])([45][0-5]\d)(?=[ \t]|$|-[245]\.\d|-[A-Za-z])/m;

export function findStatus(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = STATUS.exec(text);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

/** A reply code followed by an enhanced status of the same class ("550 5.1.1", "421-4.7.0"). */
const REPLY_WITH_STATUS = /(?<![\d.])([245])(\d\d)[ -]'?\1\.\d{1,3}\.\d{1,3}(?!\.?\d)/;

export function findReplyCode(text: string | null | undefined): string | null {
  if (!text) return null;
  // Prefer the code paired with a status: bare numbers such as exit codes ("reason: 255") come
  // earlier in some reports.
  const paired = REPLY_WITH_STATUS.exec(text);
  if (paired) return paired[1]! + paired[2]!;
  const m = REPLY.exec(text);
  return m ? m[1]! : null;
}

// "in reply to end of DATA command" (Postfix), "after RCPT TO:<x>" / "after end of data" (Exim),
// "did not like our RCPT TO" (dma),
// ">>> DATA" (Sendmail transcript), "[RCPT_TO]" (Yahoo), "does not like recipient" (qmail).
// Folded text lines may break anywhere between the words ("(in reply to\n    RCPT TO command)").
const COMMAND = /(?:in\s+reply\s+to\s+(?:end\s+of\s+)?|after\s+(?:end\s+of\s+)?|did\s+not\s+like\s+our\s+(?:final\s+)?|>>> |Sent <<< |SMTP command[\s:-]*|\[)(DATA|RCPT[ _]TO|MAIL[ _]FROM|RCPT|MAIL|EHLO|HELO|STARTTLS|AUTH)\b/i;

/** The SMTP command a rejection answered, as RCPT, MAIL, DATA, EHLO, HELO, STARTTLS or AUTH. */
export function findCommand(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = COMMAND.exec(text);
  const command = m ? m[1]!.toUpperCase().split(/[ _]/)[0]! : null;
  // With PIPELINING the RCPT replies arrive after ">>> DATA"; the server's "need RCPT" answer to
  // DATA shows the recipient was refused at RCPT time.
  if (command) return command;
  if (/does not like recipient/i.test(text)) return 'RCPT';
  return null;
}

/** Normalises a DSN Status field ("5.1.1 (User unknown)" → "5.1.1"). */
export function cleanStatus(value: string | null | undefined): string | null {
  return findStatus(value ?? '');
}

// The look-behind starts a match only at the beginning of a run of local-part characters, so a
// long run without '@' is scanned once, not once per position.
const ADDRESS = /(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/;
export const ADDRESS_RE = new RegExp(ADDRESS.source, 'g');

export function findAddress(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = ADDRESS.exec(text);
  return m ? m[0].replace(/^[.'"]+|[.'"]+$/g, '').toLowerCase() : null;
}

/** "a  b\n c" → "a b c" */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
