// RFC 3464 delivery-status fields: one per-message block, then one block per recipient.
// Works on the message/delivery-status part and on DSN text pasted into a plain body.
import { cleanStatus, findAddress, findCommand, findReplyCode, findStatus, squash } from './codes.js';
import { verdictIn } from '../rules/verdicts.js';
import { joinReplyLines } from './text.js';
import type { BounceRecipient } from './types.js';

const FIELD = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;
const RECIPIENT_FIELDS = new Set(['final-recipient', 'original-recipient', 'x-actual-recipient']);
const DSN_FIELDS = new Set([
  'reporting-mta', 'arrival-date', 'received-from-mta', 'x-postfix-queue-id', 'x-postfix-sender', 'dsn-gateway',
  'original-envelope-id', 'final-recipient', 'original-recipient', 'x-actual-recipient', 'action', 'status',
  'remote-mta', 'diagnostic-code', 'last-attempt-date', 'will-retry-until', 'final-log-id', 'x-display-name',
]);

type DsnBlock = Map<string, string>;

/** Splits DSN text into field blocks; continuation lines (leading blank) are unfolded. */
function parseDsnBlocks(text: string): DsnBlock[] {
  const blocks: DsnBlock[] = [];
  let current: DsnBlock = new Map();
  let last: string | null = null;
  const flush = (): void => {
    if (current.size > 0) blocks.push(current);
    current = new Map();
    last = null;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') { flush(); continue; }
    if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
      continue;
    }
    const m = FIELD.exec(line);
    if (!m) { last = null; continue; }
    const name = m[1]!.toLowerCase();
    // A second recipient field without a blank line starts the next recipient (broken MTAs).
    if (RECIPIENT_FIELDS.has(name) && current.has(name)) flush();
    if (!current.has(name)) current.set(name, m[2]!.trim());
    last = name;
  }
  flush();
  return blocks.filter((b) => [...b.keys()].some((k) => DSN_FIELDS.has(k)));
}

/** "rfc822; <a@b>" → "a@b" */
function addressField(value: string | undefined): string | null {
  if (!value) return null;
  return findAddress(value.replace(/^[^;]*;/, ''));
}

/** "smtp; 550 5.1.1 ..." → "550 5.1.1 ..." */
export function stripDiagnosticType(value: string | undefined): string | null {
  if (!value) return null;
  const text = joinReplyLines(squash(value.replace(/^\s*(?:smtp|x-[a-z0-9-]+|mta|local|unix|rfc\d+)\s*;\s*/i, '')));
  return text === '' ? null : text;
}

function diagnosticTypeOf(value: string | undefined): string | null {
  const m = /^\s*([a-z][a-z0-9-]*)\s*;/i.exec(value ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

function mtaField(value: string | undefined): string | null {
  if (!value) return null;
  const v = value.replace(/^[^;]*;\s*/, '').trim();
  return v === '' ? null : v;
}

/**
 * The remote server's own enhanced code (in the diagnostic) is more specific than the one the
 * reporting MTA put in Status (often a generic X.0.0, or 4.4.7 for "gave up"), if both agree on
 * the class (temporary / permanent).
 */
export function preferredStatus(field: string | null, fromDiagnostic: string | null): string | null {
  if (!field) return fromDiagnostic;
  if (!fromDiagnostic || fromDiagnostic[0] !== field[0]) return field;
  return fromDiagnostic;
}

/** Recipients whose Action is failed/delayed, or that carry a 4xx/5xx status. */
export function recipientsFromDsn(text: string): BounceRecipient[] {
  const blocks = parseDsnBlocks(text);
  const perMessage = blocks.find((b) => b.has('reporting-mta') && !b.has('final-recipient'));
  const reportingMta = mtaField(perMessage?.get('reporting-mta'));
  const recipients: BounceRecipient[] = [];
  for (const b of blocks) {
    if (!b.has('final-recipient') && !b.has('original-recipient')) continue;
    const recipient = addressField(b.get('final-recipient')) ?? addressField(b.get('original-recipient')) ?? addressField(b.get('x-actual-recipient'));
    if (!recipient) continue;
    const action = b.get('action')?.trim().toLowerCase().split(/\s/)[0] ?? null;
    const diagnosticCode = stripDiagnosticType(b.get('diagnostic-code'));
    const status = preferredStatus(cleanStatus(b.get('status')), findStatus(diagnosticCode));
    if (action && /^(delivered|relayed|expanded)$/.test(action)) continue;
    if (!action && status?.startsWith('2')) continue;
    recipients.push({
      recipient,
      action: action === 'failure' ? 'failed' : action,
      status,
      replyCode: findReplyCode(diagnosticCode),
      diagnosticCode,
      remoteMta: mtaField(b.get('remote-mta')),
      reportingMta: mtaField(b.get('reporting-mta')) ?? reportingMta,
      command: findCommand(diagnosticCode),
      diagnosticType: diagnosticTypeOf(b.get('diagnostic-code')),
      verdict: verdictIn((f) => b.get(f), 'recipient'),
    });
  }
  return recipients;
}
