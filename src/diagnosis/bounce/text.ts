// Recipients and diagnostics from the human-readable text of a non-DSN bounce.
//
// Every MTA family writes "which address" and "why" differently, but nearly all put each failed
// address on its own line (bare, in <>, followed by ':' or a reason) and the reason right after it.
// So the text between the start marker and the returned original is cut into blocks, one per
// address, and a block's text (minus boilerplate) is that recipient's diagnostic.
import { ADDRESS_RE, findReplyCode, findStatus, squash } from './codes.js';
import type { BounceRecipient } from './types.js';

/** Where the returned original (or its headers) starts in a bounce text. */
export const ORIGINAL_MESSAGE_MARKERS: RegExp[] = [
  /^[ \t]*[-=*_#]{2,}[^\n]*?(?:original message|copy of (?:the|your) message|unsent message|message (?:headers? )?follows?|returned message|headers? of (?:the|your) (?:original )?message|original headers|message header follows)/im,
  /^[ \t]*(?:Message headers follow|Original message headers|Original message follows|Below (?:is|this line is) a copy of|Included is a copy of the message header|The (?:original )?message header(?:s)? (?:is|are) (?:as )?follow)/im,
  /^(?:Return-Path|Received|DKIM-Signature|X-Received|Received-SPF|ARC-Seal|Message-ID|X-Originating-IP|Authentication-Results):[ \t]/im,
  /^[ \t]*-{3,}[ \t]*(?:原始邮件|原邮件|以下是原邮件|原始信件)/m,
];

export interface TextRules {
  /** the per-recipient part starts after this */
  begin?: RegExp;
  /** more markers for the start of the returned original */
  end?: RegExp[];
  /** lines that are boilerplate, not diagnostic */
  drop?: RegExp;
  /** the bounce says it will keep trying */
  delayed?: RegExp;
}

const HEADER_LIKE_LINE = /^\s*(?:from|to|cc|bcc|subject|sent|date|reply-to|return-path|sender|message-id|x-[a-z-]+)\s*:/i;
const NOT_RECIPIENT = /^(?:postmaster|mailer-daemon|mail-daemon|mailerdaemon|abuse|noreply|no-reply|bounce|bounces)@/i;
const MAX_BLOCK_LINES = 24;
const MAX_DIAGNOSTIC = 1200;

export function cutNotification(text: string, rules: TextRules): string {
  let body = text;
  if (rules.begin) {
    const m = rules.begin.exec(body);
    if (m) body = body.slice(m.index + m[0].length);
  }
  let end = body.length;
  for (const re of [...(rules.end ?? []), ...ORIGINAL_MESSAGE_MARKERS]) {
    const m = re.exec(body);
    if (m && m.index < end && m.index > 0) end = m.index;
  }
  return body.slice(0, end);
}

interface Block {
  recipient: string;
  lines: string[];
}

function addressesIn(line: string, exclude: Set<string>): string[] {
  if (HEADER_LIKE_LINE.test(line) || /MAIL FROM:\s*<[^>]*>/i.test(line) && !/RCPT TO/i.test(line)) return [];
  const found: string[] = [];
  for (const m of line.matchAll(ADDRESS_RE)) {
    const addr = m[0].replace(/^[.'"]+|[.'"]+$/g, '').toLowerCase();
    if (NOT_RECIPIENT.test(addr) || exclude.has(addr)) continue;
    // Message-ids and ids in URLs look like addresses; real ones are not preceded by '=' or '/'.
    const before = line[m.index - 1] ?? '';
    if (before === '=' || before === '/') continue;
    if (!found.includes(addr)) found.push(addr);
  }
  return found;
}

export function recipientsFromText(text: string, rules: TextRules, exclude: Set<string>): BounceRecipient[] {
  const body = cutNotification(text, rules);
  const blocks: Block[] = [];
  let current: Block | null = null;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    const addrs = addressesIn(line, exclude);
    // A line naming a new address opens a block; lines naming the current address continue it.
    const fresh = addrs.find((a) => a !== current?.recipient);
    if (fresh && !(current && addrs.includes(current.recipient))) {
      for (const a of addrs) {
        current = blocks.find((b) => b.recipient === a) ?? null;
        if (!current) {
          current = { recipient: a, lines: [] };
          blocks.push(current);
        }
      }
      current!.lines.push(line);
      continue;
    }
    if (current && current.lines.length < MAX_BLOCK_LINES) current.lines.push(line);
  }
  const delayed = rules.delayed?.test(body) ?? false;
  return blocks.map((b) => {
    const diagnosticCode = diagnosticFrom(b.lines, b.recipient, rules.drop);
    const status = findStatus(diagnosticCode);
    const replyCode = findReplyCode(diagnosticCode);
    return {
      recipient: b.recipient,
      action: delayed ? 'delayed' : 'failed',
      status,
      replyCode,
      diagnosticCode,
      remoteMta: remoteHostIn(diagnosticCode),
      reportingMta: null,
    };
  });
}

function diagnosticFrom(lines: string[], recipient: string, drop: RegExp | undefined): string | null {
  const kept = lines.filter((l) => l.trim() !== '' && !(drop && drop.test(l)));
  let text = squash(kept.join(' '));
  // The address alone (or in <>, with ':') carries no diagnostic information.
  const bare = text.replace(new RegExp(`<?${escapeRegExp(recipient)}>?:?`, 'gi'), '').replace(/^[\s*:,.\-]+/, '').trim();
  if (bare === '') return null;
  text = bare.length < text.length && text.toLowerCase().startsWith(recipient) ? bare : text;
  return text.length > MAX_DIAGNOSTIC ? `${text.slice(0, MAX_DIAGNOSTIC)}…` : text;
}

function remoteHostIn(text: string | null): string | null {
  if (!text) return null;
  const m = /\bhost\s+([a-z0-9.-]+\.[a-z]{2,})\b/i.exec(text) ?? /\b([a-z0-9-]+(?:\.[a-z0-9-]+)+)\s*\[\d{1,3}(?:\.\d{1,3}){3}\]/i.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
