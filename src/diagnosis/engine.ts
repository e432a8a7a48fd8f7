// Assembles a full Diagnosis from chat text and/or a bounce e-mail: classification per text or per
// failed recipient, localized summary and steps, escalation, and the support ticket template.
import type { Diagnosis, Evidence, TicketTemplate } from '../core/diagnosis.js';
import { redact } from '../core/redact.js';
import { categoryOf, type Lang } from '../core/taxonomy.js';
import { parseBounce } from './bounce/index.js';
import type { BounceReport } from './bounce/types.js';
import { classifyText, detectProvider, MAX_SCAN_CHARS, type Classification, type ClassifyHints } from './classify.js';
import { detectLanguage } from './language.js';
import { statusMeaning } from './reply.js';
import { localize } from './steps/index.js';

export interface DiagnoseContext {
  mailbox?: string;
  domain?: string;
  provider?: string;
  client?: string;
  direction?: 'outbound' | 'inbound';
}

export interface DiagnoseInput {
  text?: string;
  email?: string | Buffer;
  locale?: Lang;
  context?: DiagnoseContext;
}

export interface DiagnoseOptions {
  /** below this confidence the answer is escalated to a human (default 0.6) */
  confidenceThreshold?: number;
  now?: Date;
}

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
/** Longest error text copied into the ticket. */
const TICKET_TEXT_CHARS = 2000;

interface Scored {
  cls: Classification;
  source: string;
  text: string;
}

/** Control characters other than tab/CR/LF, and U+FFFD left by invalid UTF-8. */
const JUNK = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]/g;

/** Caps and screens a text; returns the usable text and notes about what was done to it. */
function screenText(text: string, notes: Evidence[]): string {
  let t = text;
  if (t.length > MAX_SCAN_CHARS) {
    notes.push({ source: 'input', text: '', note: `input is ${t.length} characters; only the first ${MAX_SCAN_CHARS} were read` });
    t = t.slice(0, MAX_SCAN_CHARS);
  }
  const junk = t.match(JUNK)?.length ?? 0;
  if (t.length > 0 && junk / t.length > 0.1) {
    notes.push({ source: 'input', text: '', note: 'input looks like binary data or text in a broken encoding; nothing was read from it' });
    return '';
  }
  return junk ? t.replace(JUNK, ' ') : t;
}

/** User text as the engine reads it: capped, screened for binary, secrets redacted. Callers that
 *  store or forward the input use this too, so they never keep more than the engine saw. */
export function screenedInput(text: string, notes: Evidence[] = []): string {
  return redact(screenText(text, notes)).text;
}

const ADDRESS = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/;
const CLIENTS: [RegExp, string][] = [
  [/\boutlook\b(?!\.com)/i, 'Outlook'], [/foxmail/i, 'Foxmail'], [/thunderbird/i, 'Thunderbird'], [/apple mail|iphone 邮件|iphone mail|ios mail/i, 'Apple Mail'],
  [/网易邮箱大师|mail master/i, '网易邮箱大师'], [/企业微信|wecom/i, 'WeCom'], [/钉钉|dingtalk/i, 'DingTalk'], [/\bgmail app\b/i, 'Gmail app'],
  [/webmail|网页版|web 版|浏览器/i, 'Webmail'],
];
const SYSTEMS: [RegExp, string][] = [
  [/windows|win10|win11/i, 'Windows'], [/mac ?os|macbook|os x/i, 'macOS'], [/\bios\b|iphone|ipad/i, 'iOS'], [/android|安卓/i, 'Android'],
  [/linux|ubuntu|centos|debian/i, 'Linux'],
];
const NETWORKS: [RegExp, string][] = [[/vpn/i, 'VPN'], [/wi-?fi|无线/i, 'Wi-Fi'], [/4g|5g|移动网络|流量/i, 'mobile data'], [/公司网络|内网|office network/i, 'office network']];

function firstMatch(text: string, table: [RegExp, string][]): string | null {
  for (const [re, name] of table) if (re.test(text)) return name;
  return null;
}

function buildTicket(args: {
  cls: Classification; title: string; text: string; context: DiagnoseContext; timestamp: string; recipient: string | null;
}): TicketTemplate {
  const { cls, text, context } = args;
  const code = [cls.smtp.replyCode, cls.smtp.enhancedStatus].filter(Boolean).join(' ');
  const ticket: Omit<TicketTemplate, 'missing'> = {
    problemType: cls.rootCause === 'unknown' ? null : args.title,
    mailbox: context.mailbox ?? text.match(ADDRESS)?.[0] ?? args.recipient,
    errorCode: code || null,
    errorText: text ? text.slice(0, TICKET_TEXT_CHARS) : null,
    steps: null,
    client: context.client ?? firstMatch(text, CLIENTS),
    os: firstMatch(text, SYSTEMS),
    network: firstMatch(text, NETWORKS),
    timestamp: args.timestamp,
  };
  const missing = Object.entries(ticket).filter(([, v]) => v === null).map(([k]) => k);
  return { ...ticket, missing };
}

/** The bounce's Date header as ISO 8601, or null when absent or unreadable. */
function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** The text classified for one failed recipient: its diagnostic, with the DSN status when the text lacks one. */
export function recipientText(r: BounceReport['recipients'][number]): string {
  const diag = r.diagnosticCode ?? '';
  // the DSN Status field carries the enhanced code when the diagnostic text does not
  if (r.status && !/[245]\.\d{1,3}\.\d{1,3}/.test(diag)) return `${r.replyCode ?? ''} ${r.status} ${diag}`.trim();
  return diag;
}

/** What a bounce says about one failed recipient besides its text: the classifier's hints (the provider aside). */
export function recipientHints(report: BounceReport, r: BounceReport['recipients'][number]): ClassifyHints {
  return {
    command: r.command ?? null, status: r.status, action: r.action, diagnosticType: r.diagnosticType ?? null,
    verdict: r.verdict ?? null, mta: report.mta ?? null,
  };
}

export async function diagnose(input: DiagnoseInput, opts: DiagnoseOptions = {}): Promise<Diagnosis> {
  const threshold = opts.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  const now = opts.now ?? new Date();
  const context = input.context ?? {};
  const hints = { provider: context.provider ?? null, direction: context.direction };
  const notes: Evidence[] = [];
  const scored: Scored[] = [];
  const recipients: Diagnosis['recipients'] = [];

  const rawText = typeof input.text === 'string' ? input.text : '';
  const text = screenedInput(rawText, notes);
  if (text.trim()) scored.push({ cls: classifyText(text, hints), source: 'text', text });

  let report: BounceReport | null = null;
  if (input.email !== undefined && input.email !== null) {
    try {
      report = await parseBounce(input.email);
    } catch (err) {
      notes.push({ source: 'email', text: '', note: `the e-mail could not be read: ${(err as Error).message}` });
    }
  }
  if (report?.note) notes.push({ source: 'email', text: '', note: report.note });
  for (const r of report?.recipients ?? []) {
    const diag = screenedInput(recipientText(r), notes);
    const provider = report?.provider ?? detectProvider(r.remoteMta) ?? hints.provider;
    const cls = classifyText(diag, { ...recipientHints(report!, r), provider, direction: hints.direction });
    scored.push({ cls, source: `recipient:${r.recipient}`, text: diag });
    recipients.push({
      recipient: r.recipient,
      action: r.action,
      status: r.status ?? cls.smtp.enhancedStatus,
      diagnostic: r.diagnosticCode === null ? null : diag,
      remoteMta: r.remoteMta,
      reason: cls.reason,
      rootCause: cls.rootCause,
      confidence: cls.confidence,
    });
  }
  if (report && report.kind !== 'bounce' && report.kind !== 'delay') {
    notes.push({ source: 'email', text: report.subject ?? '', note: `the e-mail is ${report.kind === 'not_bounce' ? 'not a bounce' : `a ${report.kind} message, not a bounce`}` });
  }

  // the overall answer: the most confident classification (first one on ties)
  let top: Scored | null = null;
  for (const s of scored) if (!top || s.cls.confidence > top.cls.confidence) top = s;
  const cls: Classification = top?.cls ?? classifyText('');

  // auto-replies and abuse reports are answers of their own kind, not failures
  let reason = cls.reason;
  if (report?.kind === 'vacation' && !top) reason = 'vacation';
  if (report?.kind === 'feedback' && !top) reason = 'feedback';
  const notFailure = reason === 'vacation' || reason === 'feedback';

  const langSource = text || scored.map((s) => s.text).join(' ');
  const language = detectLanguage(langSource, input.locale);
  const provider = cls.provider ?? report?.provider ?? context.provider ?? null;
  const advice = localize(cls.rootCause, language, provider);
  const category = categoryOf(cls.rootCause);

  let escalate: Diagnosis['escalate'] = { needed: false, reason: 'none', priority: 'normal' };
  if (category === 'security') escalate = { needed: true, reason: 'security', priority: 'high' };
  else if (!notFailure && (cls.rootCause === 'unknown' || cls.confidence < threshold)) {
    escalate = { needed: true, reason: 'low_confidence', priority: 'normal' };
  }

  const evidence: Evidence[] = [
    ...(top ? top.cls.evidence.map((e) => ({ ...e, source: top.source })) : []),
    ...notes,
  ];

  return {
    reason,
    rootCause: cls.rootCause,
    category,
    confidence: cls.confidence,
    language,
    summary: advice.summary,
    steps: advice.steps,
    evidence,
    smtp: { ...cls.smtp, statusMeaning: statusMeaning(cls.smtp.replyCode, cls.smtp.enhancedStatus, language, provider) },
    provider,
    recipients,
    alternatives: cls.alternatives,
    escalate,
    ticket: buildTicket({
      cls, title: advice.title, text: top?.text ?? text, context, timestamp: isoDate(report?.date) ?? now.toISOString(),
      recipient: recipients[0]?.recipient ?? report?.originalRecipientHint ?? null,
    }),
    references: [],
  };
}
