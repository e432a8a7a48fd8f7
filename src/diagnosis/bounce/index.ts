// Reads a bounce e-mail: RFC 3464 delivery reports, the common non-standard MTA formats,
// auto-replies (RFC 3834) and abuse feedback reports (ARF, RFC 5965).
import { ADDRESS_RE, findAddress, findCommand, findReplyCode, findStatus } from './codes.js';
import { preferredStatus, recipientsFromDsn } from './dsn.js';
import { readSesNotification } from './json.js';
import { detectLhost, type Lhost, type Signature } from './lhost/index.js';
import { leaves, parseHeaderBlock, parseMime, toByteString, type Headers, type MimePart } from './mime.js';
import { verdictIn } from '../rules/verdicts.js';
import { providerOf } from './provider.js';
import { cutNotification, diagnosticFrom, inlineOriginalTo, recipientsFromText } from './text.js';
import type { BounceKind, BounceRecipient, BounceReport } from './types.js';

export type { BounceKind, BounceRecipient, BounceReport } from './types.js';

/** Larger input is cut here: a bounce's report sits at the start, the rest is the returned original. */
export const MAX_BOUNCE_BYTES = 20 * 1024 * 1024;
/** Forwarded bounces inside forwarded bounces: enough for real mail, bounded for hostile input. */
const MAX_NESTING = 3;

const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status', 'text/delivery-status']);
const FEEDBACK_TYPES = new Set(['message/feedback-report']);
const HEADERS_TYPES = new Set(['text/rfc822-headers', 'message/rfc822-headers', 'message/global-headers']);

const AUTO_REPLY_SUBJECT =
  /^\s*(?:auto(?:matic)?[ _-]?(?:reply|response|respons|answer)|autoreply|out of (?:the )?office|away from (?:the )?office|away until|on vacation|vacation|abwesenheit|automatische antwort|réponse automatique|respuesta automática|risposta automatica|自动回复|自動応答|自動返信|不在)/i;

export async function parseBounce(raw: string | Buffer): Promise<BounceReport> {
  try {
    let note: string | undefined;
    // Cut before converting: a string has at least one byte per character.
    const input = raw.length <= MAX_BOUNCE_BYTES ? raw : typeof raw === 'string' ? raw.slice(0, MAX_BOUNCE_BYTES) : raw.subarray(0, MAX_BOUNCE_BYTES);
    let bytes = toByteString(input);
    if (bytes.length > MAX_BOUNCE_BYTES || input !== raw) {
      bytes = bytes.slice(0, MAX_BOUNCE_BYTES);
      note = `input larger than ${MAX_BOUNCE_BYTES} bytes: only the first part was read`;
    }
    const report = readMessage(parseMime(stripMboxLine(bytes)), 0);
    return note ? { ...report, note } : report;
  } catch (err) {
    // Parsing is best effort: a malformed message is "not a bounce we understand", never an error.
    return { ...empty(null, null), note: `unreadable message: ${(err as Error).message}` };
  }
}

function stripMboxLine(bytes: string): string {
  return bytes.startsWith('From ') ? bytes.slice(bytes.indexOf('\n') + 1) : bytes;
}

function empty(subject: string | null, date: string | null, kind: BounceKind = 'not_bounce'): BounceReport {
  return { kind, provider: null, recipients: [], subject, date };
}

interface Collected {
  text: string;
  dsn: string;
  feedback: string;
  /** headers of the returned original message */
  original: Headers | null;
  attached: MimePart[];
}

/** Sorts the leaves: human text, DSN, feedback report, returned original. */
function collect(root: MimePart): Collected {
  const texts: string[] = [];
  const html: string[] = [];
  const dsn: string[] = [];
  const feedback: string[] = [];
  const attached: MimePart[] = [];
  let original: Headers | null = null;
  for (const leaf of leaves(root)) {
    if (leaf.message) {
      attached.push(leaf.message);
      original ??= leaf.message.headers;
    } else if (leaf !== root && isEmbeddedMessage(leaf.headers)) {
      // A part that starts with Received:/From:/To: is the returned original sent without a
      // message/rfc822 wrapper; its text is not part of the notification.
      original ??= leaf.headers;
    } else if (DSN_TYPES.has(leaf.type)) dsn.push(leaf.text);
    else if (FEEDBACK_TYPES.has(leaf.type)) feedback.push(leaf.text);
    else if (HEADERS_TYPES.has(leaf.type)) original ??= parseHeaderBlock(leaf.text);
    else if (leaf.type === 'text/plain' || leaf.type.startsWith('multipart/')) texts.push(leaf.text);
    else if (leaf.type === 'text/html') html.push(leaf.text);
  }
  const text = unquote((texts.length > 0 ? texts : html).join('\n'));
  return { text, dsn: dsn.join('\n\n'), feedback: feedback.join('\n'), original, attached };
}

function isEmbeddedMessage(h: Headers): boolean {
  return Boolean(h.get('received') || (h.get('from') && (h.get('to') || h.get('message-id'))));
}

/** A bounce forwarded inline with "> " quoting is read without the quotes. */
function unquote(text: string): string {
  const lines = text.split('\n');
  const quoted = lines.filter((l) => /^> ?/.test(l)).length;
  if (quoted < 5 || quoted < lines.filter((l) => l.trim() !== '').length * 0.3) return text;
  return lines.map((l) => l.replace(/^> ?/, '')).join('\n');
}

function readMessage(root: MimePart, depth: number): BounceReport {
  const h = root.headers;
  const subject = h.get('subject') ?? null;
  const date = h.get('date') ?? null;
  const parts = collect(root);
  const from = h.get('from') ?? '';
  const hint = originalRecipient(parts.original);
  const withHint = (r: BounceReport): BounceReport => (hint && !r.originalRecipientHint ? { ...r, originalRecipientHint: hint } : r);

  // Abuse feedback (ARF and the older provider formats): a report about a message, not a failure.
  if (parts.feedback || /report-type\s*=\s*"?feedback-report/i.test(h.get('content-type') ?? '') || isComplaint(subject, parts.text)) {
    return withHint(feedbackReport(parts, subject, date));
  }
  const ses = readSesNotification(parts.text);
  if (ses?.kind === 'feedback') {
    const complainant = ses.recipients[0]?.recipient;
    return withHint({ ...empty(subject, date, 'feedback'), ...(complainant ? { originalRecipientHint: complainant } : {}) });
  }

  const sig: Signature = { from, subject: subject ?? '', headers: h.raw, text: parts.text };
  const lhost = detectLhost(sig);
  const exclude = senderAddresses(h, parts.original);

  if (!parts.dsn && !isBounceSender(from) && isAutoReply(h, subject, lhost !== null)) {
    return withHint(empty(subject, date, 'vacation'));
  }

  let recipients: BounceRecipient[] = [];
  if (parts.dsn) recipients = recipientsFromDsn(parts.dsn);
  // DSN fields pasted into the text (forwarded reports, gateways that flatten the MIME tree).
  if (recipients.length === 0 && /^(?:Final|Original)-Recipient\s*:/im.test(parts.text)) {
    recipients = recipientsFromDsn(parts.text);
  }
  if (recipients.length === 0 && ses) recipients = ses.recipients;
  else if (recipients.length > 0) {
    recipients = fillFromText(recipients, parts.text, lhost, exclude);
  } else if (lhost) {
    recipients = recipientsFromText(parts.text, lhost.rules, exclude);
    // Exim and others name the failed addresses in a header even when the text shows local parts.
    const failed = h.all('x-failed-recipients').flatMap((v) => [...v.matchAll(ADDRESS_RE)].map((m) => m[0].toLowerCase()));
    if (failed.length > recipients.length) {
      recipients = failed.map((a) => recipients.find((r) => r.recipient === a) ?? fromWholeText(a, parts.text, lhost));
    }
  }

  // A bounce forwarded as an attachment (message/rfc822): the inner message is the report.
  if (recipients.length === 0 && depth < MAX_NESTING) {
    for (const inner of parts.attached) {
      const r = readMessage(inner, depth + 1);
      if (r.kind !== 'not_bounce') return r;
    }
  }

  // The notice names no address: the returned original's To is the recipient, the notice the reason.
  if (recipients.length === 0 && lhost) {
    const fallback = hint ?? inlineOriginalTo(parts.text, lhost.rules);
    const bounceLike = lhost.id !== 'generic' || isBounceSender(from) || (lhost.subject?.test(subject ?? '') ?? false);
    if (fallback && bounceLike && !exclude.has(fallback)) recipients = [fromWholeText(fallback, parts.text, lhost)];
  }

  if (recipients.length === 0) return withHint(empty(subject, date));

  // a verdict the MTA wrote for the whole bounce covers each recipient without one of its own
  const verdict = verdictIn((f) => h.get(f), 'message');
  recipients = recipients.map((r) => ({ ...r, status: r.status ?? null, ...(verdict && !r.verdict ? { verdict } : {}) }));
  const first = recipients[0]!;
  const provider = providerOf({
    remoteMta: first.remoteMta,
    diagnostic: first.diagnosticCode,
    reportingMta: first.reportingMta,
    from,
    lhost: lhost?.provider ?? null,
  });
  const kind: BounceKind = recipients.every((r) => r.action === 'delayed') ? 'delay' : 'bounce';
  return withHint({ kind, provider, mta: lhost?.id ?? null, recipients, subject, date });
}

/**
 * The MTA's text for an address often says more than the DSN's Diagnostic-Code: the full
 * multi-line reply (sendmail truncates the field), the SMTP stage ("in reply to end of DATA
 * command"), or the reason where the field holds only an exit code ("X-Unix; 77").
 */
function fillFromText(recipients: BounceRecipient[], text: string, lhost: Lhost | null, exclude: Set<string>): BounceRecipient[] {
  if (!text) return recipients;
  const rules = (lhost ?? { rules: {} }).rules;
  const fromText = recipientsFromText(text, rules, exclude);
  return recipients.map((r) => {
    // One report and one text block naming different addresses (aliases, rewritten recipients):
    // the text belongs to the report when it carries a reply or status code.
    const single = recipients.length === 1 && fromText.length === 1 && (fromText[0]!.replyCode || fromText[0]!.status) ? fromText[0] : undefined;
    let t = fromText.find((x) => x.recipient === r.recipient) ?? single;
    // Only an exit code in the field and no address in the text (a pipe or program recipient):
    // the whole notification is the best description there is.
    if (!t && recipients.length === 1 && !/[a-z]{3,}/i.test(r.diagnosticCode ?? '') && lhost) t = fromWholeText(r.recipient, text, lhost);
    const command = r.command ?? t?.command ?? null;
    if (!t?.diagnosticCode || !richer(t.diagnosticCode, r.diagnosticCode)) return { ...r, command };
    return { ...r, diagnosticCode: t.diagnosticCode, replyCode: r.replyCode ?? t.replyCode, status: preferredStatus(r.status, t.status), command };
  });
}

const WORD = /[a-z]{3,}/gi;
/** `text` repeats (nearly) all words of `field` and adds more, or the field has no words at all. */
function richer(text: string, field: string | null): boolean {
  if (!field) return true;
  const words = field.toLowerCase().match(WORD) ?? [];
  if (words.length === 0) return /[a-z]{3,}/i.test(text);
  // A sendmail session transcript (">>> RCPT To: <<< 550 ...") adds noise, not information,
  // unless the field itself was cut after the first line of a multi-line reply ("552-5.7.0 ...").
  if (/>>> |<<< /.test(text) && !/^[245]\d\d-/.test(field)) return false;
  const lower = text.toLowerCase();
  const shared = words.filter((w) => lower.includes(w)).length;
  return text.length > field.length && shared >= words.length * 0.8;
}

/** The report names no usable address: `recipient` comes from elsewhere, the text is the reason. */
function fromWholeText(recipient: string, text: string, lhost: Lhost): BounceRecipient {
  const notice = cutNotification(text, lhost.rules);
  const diagnosticCode = diagnosticFrom(notice.split('\n'), recipient, lhost.rules.drop);
  return {
    recipient,
    action: 'failed',
    status: findStatus(diagnosticCode),
    replyCode: findReplyCode(diagnosticCode),
    diagnosticCode,
    remoteMta: null,
    reportingMta: null,
    command: findCommand(notice),
  };
}

function isBounceSender(from: string): boolean {
  return /(?:mailer-daemon|postmaster|mail delivery)/i.test(from);
}

function originalRecipient(original: Headers | null): string | undefined {
  if (!original) return undefined;
  return findAddress(original.get('to') ?? original.get('delivered-to') ?? original.get('x-original-to')) ?? undefined;
}

/** The bounced message's sender appears in every bounce text and is never a failed recipient. */
function senderAddresses(h: Headers, original: Headers | null): Set<string> {
  const out = new Set<string>();
  for (const v of [h.get('to'), h.get('from'), original?.get('from'), original?.get('return-path'), original?.get('sender')]) {
    for (const m of (v ?? '').matchAll(ADDRESS_RE)) out.add(m[0].toLowerCase());
  }
  return out;
}

/**
 * RFC 3834 auto-replies. Bounces also carry "Auto-Submitted: auto-replied" (Exim sets it), so
 * that header alone only counts when no bounce format was recognised.
 */
function isAutoReply(h: Headers, subject: string | null, looksLikeBounce: boolean): boolean {
  if (AUTO_REPLY_SUBJECT.test(subject ?? '')) return true;
  if (h.get('x-autoreply') || h.get('x-autorespond') || h.get('x-autoreply-from') || h.get('x-mail-autoreply')) return true;
  if (/^auto[_-]?reply$/i.test(h.get('precedence') ?? '')) return true;
  return !looksLikeBounce && (h.get('auto-submitted') ?? '').toLowerCase().startsWith('auto-replied');
}

/** Provider abuse reports that predate ARF, and mail-client unsubscribe requests. */
function isComplaint(subject: string | null, text: string): boolean {
  return /^\s*complaint about message from/i.test(subject ?? '') ||
    /\bemail abuse report for an email message\b|sent this email to unsubscribe from the message/i.test(text);
}

/**
 * An abuse report names no failed recipient (recipients stay empty, as for auto-replies); the
 * address that complained is the hint.
 */
function feedbackReport(parts: Collected, subject: string | null, date: string | null): BounceReport {
  const fields = parseHeaderBlock(parts.feedback);
  const complainant = findAddress(fields.get('original-rcpt-to')) ?? findAddress(parts.original?.get('to'));
  const report: BounceReport = { kind: 'feedback', provider: null, recipients: [], subject, date };
  return complainant ? { ...report, originalRecipientHint: complainant } : report;
}
