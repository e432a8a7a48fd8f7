// Text classifier: any SMTP reply, bounce diagnostic or user description → reason, rootCause,
// confidence and the spans that decided. Pure and synchronous; rules are compiled once into one
// phrase automaton, so a call is one linear pass plus a handful of lookups.
import { categoryOf, type Category, type Reason, type RootCause } from '../core/taxonomy.js';
import type { Evidence } from '../core/diagnosis.js';
import { confidenceOf, type MatchKind } from './confidence.js';
import { REPLY_CODES, parseCodes, statusKey, statusMeaning, STATUS_DETAILS, type SmtpCodes } from './reply.js';
import { PhraseAutomaton } from './rules/automaton.js';
import { PROVIDER_MARKERS, RULES, verdictReason, type MtaVerdict, type Rule } from './rules/index.js';

export interface ClassifyHints {
  /** provider already known (context, remote MTA); its rules win ties */
  provider?: string | null;
  /** accepted for callers that know it; the wording decides today */
  direction?: 'outbound' | 'inbound';
  /**
   * the SMTP command the reply answered (RCPT, DATA, MAIL, ...), when the bounce names it outside
   * the diagnostic text (e.g. a Sendmail transcript); same meaning as "in reply to DATA" in the text
   */
  command?: string | null;
  /**
   * the Status field the reporting MTA wrote for this recipient (RFC 3464), when the text comes
   * from a delivery status notification; it can differ from a code inside the remote reply.
   * Passing it (even null) says the text is a bounce's diagnostic: one that names no known cause
   * is then 'onhold' (a failure whose reason is not decided) rather than 'undefined'.
   */
  status?: string | null;
  /**
   * the DSN Action for this recipient (failed, delayed); a delayed recipient whose text names no
   * cause is 'expired' rather than 'onhold', the fallback Sisimai documents (Sisimai::Reason)
   */
  action?: string | null;
  /** the DSN Diagnostic-Code type; "x-unix"/"x-postfix" mean a local program, not an SMTP peer, answered */
  diagnosticType?: string | null;
  /**
   * the reporting MTA's own verdict from a field of its own (BounceRecipient.verdict, e.g. PowerMTA's
   * bounce category); one that rules/verdicts.ts maps to a reason, for this `mta`, decides it
   */
  verdict?: MtaVerdict | null;
  /** the MTA family that wrote the bounce (BounceReport.mta); enables the rules scoped to it */
  mta?: string | null;
}

const isLocalProgram = (hints: ClassifyHints | undefined): boolean =>
  hints?.diagnosticType === 'x-unix' || hints?.diagnosticType === 'x-postfix';

/**
 * What an undecided text is: a local delivery program's failure, a delivery still being retried
 * (Sisimai's fallback for "Action: delayed" is 'expired'), an undecided bounce, or nothing known.
 */
function undecidedReason(norm: string, hints: ClassifyHints | undefined): Reason {
  if (hints?.status === undefined || !norm.trim()) return 'undefined';
  return isLocalProgram(hints) ? 'mailererror' : undecidedBounce(hints);
}

const undecidedBounce = (hints: ClassifyHints | undefined): Reason => (hints?.action === 'delayed' ? 'expired' : 'onhold');

export interface Classification {
  reason: Reason;
  rootCause: RootCause;
  category: Category;
  confidence: number;
  provider: string | null;
  smtp: { replyCode: string | null; enhancedStatus: string | null; statusMeaning: string | null };
  evidence: Evidence[];
  alternatives: { rootCause: RootCause; confidence: number }[];
  ruleId: string | null;
}

/** Only this much of a text is scanned; replies and bounce diagnostics are far shorter. */
export const MAX_SCAN_CHARS = 64 * 1024;

/** Generic rule families: wording shared by many servers, not one provider's documentation. */
const GENERIC_FAMILIES = new Set(['generic', 'postfix', 'exim', 'sendmail', 'qmail']);
/** Rule families that are not the mailbox provider a user deals with. */
const NOT_PROVIDERS = new Set([...GENERIC_FAMILIES, 'dnsbl']);
const BLOCKLISTS = new Set(['spamhaus', 'barracuda', 'spamcop']);

const NON_ASCII = /[^\x00-\x7f]/;
const MESSY_SPACE = /\s{2,}|(?! )\s/;
const MESSY_SPACE_G = /\s{2,}|(?! )\s/g;

/** Same folding for phrases and texts: NFKC (full-width → ASCII), lower case, one space. */
function foldText(text: string): string {
  // pure ASCII needs no NFKC
  const nfkc = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  // replacing only runs and non-space whitespace keeps the common case allocation-free
  return MESSY_SPACE.test(nfkc) ? nfkc.replace(MESSY_SPACE_G, ' ') : nfkc;
}

// ---- compile ----------------------------------------------------------------------------------

interface Compiled {
  rule: Rule;
  anyIds: number[];
  allIds: number[];
  notIds: number[];
  status: Set<string> | null;
  vendor: boolean;
}

const patterns: string[] = [];
const patternIds = new Map<string, number>();
function patternId(phrase: string): number {
  const p = foldText(phrase).toLowerCase();
  let id = patternIds.get(p);
  if (id === undefined) {
    id = patterns.length;
    patterns.push(p);
    patternIds.set(p, id);
  }
  return id;
}

const compiled: Compiled[] = RULES.map((rule) => ({
  rule,
  anyIds: (rule.phrases ?? []).map(patternId),
  allIds: (rule.all ?? []).map(patternId),
  notIds: (rule.not ?? []).map(patternId),
  status: rule.status ? new Set(rule.status) : null,
  vendor: !GENERIC_FAMILIES.has(rule.provider),
}));

/** pattern id → phrase rules that fire on it */
const rulesByPattern: number[][] = [];
/** subject.detail (and subject) → code-only rules */
const codeRules = new Map<string, number[]>();
compiled.forEach((c, i) => {
  for (const id of c.anyIds) (rulesByPattern[id] ??= []).push(i);
  if (c.anyIds.length === 0 && c.status) {
    for (const s of c.status) {
      const list = codeRules.get(s) ?? [];
      list.push(i);
      codeRules.set(s, list);
    }
  }
});

const markerProvider: string[] = [];
for (const m of PROVIDER_MARKERS) {
  for (const word of m.markers) markerProvider[patternId(word)] = m.provider;
}

const automaton = new PhraseAutomaton(patterns);

// Per-call scratch space, reused (classifyText is synchronous and never re-entered).
const firstEnd = new Int32Array(patterns.length).fill(-1);
const seen = new Int32Array(patterns.length);
const ruleStart = new Int32Array(compiled.length).fill(-1);
const ruleEnd = new Int32Array(compiled.length);
const touched: number[] = [];

export const RULE_COUNT = compiled.length;
export const PATTERN_COUNT = patterns.length;

// ---- classify ---------------------------------------------------------------------------------

const CONTINUATION = /(?<![\w.])[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3} ?)?/g;
const HAS_CONTINUATION = /\d\d\d-/;
const DATA_PHASE = ['end of data', 'after data', 'in reply to data command'];

interface Candidate {
  index: number; // compiled index, -1 for code defaults
  reason: Reason;
  rootCause: RootCause;
  specificity: number;
  kind: MatchKind;
  start: number;
  end: number;
  ruleId: string | null;
}

const RCPT_PHASE = ['after rcpt to', 'in reply to rcpt to command', '[rcpt_to]', 'did not like our rcpt to'];

function isRcptPhase(norm: string, command: string | null | undefined): boolean {
  if (command) return /^rcpt/i.test(command.trim());
  for (const p of RCPT_PHASE) if (norm.includes(p)) return true;
  return false;
}

/**
 * "550 : User unknown" — the slot where an RCPT-stage refusal echoes the address is empty: the
 * reply answered the message (DATA), which has no single recipient to name.
 */
const EMPTY_ADDRESS_SLOT = /(?<![\w.])[45]\d\d:? : /;

function isDataPhase(norm: string, command: string | null | undefined): boolean {
  if (command) return /^(data|bdat|end of data)/i.test(command.trim());
  for (const p of DATA_PHASE) if (norm.includes(p)) return true;
  return EMPTY_ADDRESS_SLOT.test(norm);
}

/** Permanent Status values whose registered subject says the mailbox exists or the address was ambiguous. */
const FILTER_STATUS = new Set(['5.2.0', '5.2.1', '5.1.4', '5.2.4']);
/** Permanent Status values that say the address itself is bad. */
const ADDRESS_STATUS = new Set(['5.1.0', '5.1.1', '5.1.3']);

/**
 * "No such user" wording is a directory answer only when it answers RCPT or the DSN status says the
 * address is bad. Answered to DATA, carried with a security/policy status (x.7.x), or reported
 * with a mailbox-status Status field (5.2.0, 5.2.1) it is a filter that refused the message after
 * the recipient was accepted — Sisimai's 'filtered'. The root cause stays recipient_unknown.
 */
function unknownOrFiltered(norm: string, key: string | null, hints: ClassifyHints | undefined): Reason {
  if (isRcptPhase(norm, hints?.command)) return 'userunknown';
  const dsn = hints?.status ?? null;
  // x.1.1 in the remote reply is the directory's own verdict; a 5.2.x there is often a
  // Sendmail-style "550 5.2.1 ... User Unknown", so only the reporting MTA's Status decides that
  if (ADDRESS_STATUS.has(dsn ?? `5.${key}`)) return 'userunknown';
  if (dsn && FILTER_STATUS.has(dsn)) return 'filtered';
  if (key?.startsWith('7.') || isDataPhase(norm, hints?.command)) return 'filtered';
  return 'userunknown';
}

function allSeen(ids: number[]): boolean {
  for (let i = 0; i < ids.length; i++) if (firstEnd[ids[i]!]! < 0) return false;
  return true;
}

function anySeen(ids: number[]): boolean {
  for (let i = 0; i < ids.length; i++) if (firstEnd[ids[i]!]! >= 0) return true;
  return false;
}

/** The rule's other phrases are all present, none of its excluding ones, and it holds for this MTA. */
function applies(c: Compiled, mta: string | null | undefined): boolean {
  return allSeen(c.allIds) && !anySeen(c.notIds) && (!c.rule.mta || c.rule.mta === mta);
}

const meanings = new Map<string, string | null>();
/** English status meanings, memoised: the same few codes come back all the time. */
function meaningOf(reply: string | null, enhanced: string | null, provider: string | null): string | null {
  const k = `${reply}|${enhanced}|${provider}`;
  let m = meanings.get(k);
  if (m === undefined) {
    m = statusMeaning(reply, enhanced, 'en', provider);
    if (meanings.size < 10_000) meanings.set(k, m);
  }
  return m;
}

function smtpOf(codes: SmtpCodes, provider: string | null): Classification['smtp'] {
  return {
    replyCode: codes.replyCode,
    enhancedStatus: codes.enhancedStatus,
    statusMeaning: meaningOf(codes.replyCode, codes.enhancedStatus, provider),
  };
}

function statusMatches(set: Set<string>, key: string | null): boolean {
  if (!key) return false;
  return set.has(key) || set.has(key.slice(0, key.indexOf('.')));
}

/** Mailbox provider named in a short text such as a remote MTA host name, or null. */
export function detectProvider(text: string | null | undefined): string | null {
  if (!text) return null;
  const norm = (text.length > 1024 ? text.slice(0, 1024) : text).toLowerCase();
  const n = automaton.scan(norm, firstEnd, seen);
  let best: string | null = null;
  let bestAt = Infinity;
  for (let i = 0; i < n; i++) {
    const id = seen[i]!;
    const marker = markerProvider[id];
    const at = firstEnd[id]! - patterns[id]!.length;
    if (marker !== undefined && at < bestAt) {
      best = marker;
      bestAt = at;
    }
    firstEnd[id] = -1;
  }
  return best;
}

export function classifyText(text: string, hints?: ClassifyHints): Classification {
  const raw = typeof text === 'string' ? (text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text) : '';
  // full-width digits and punctuation (５５０，５.７.１) become ASCII before codes are read
  const wide = NON_ASCII.test(raw) ? raw.normalize('NFKC') : raw;
  const codes = parseCodes(wide);
  const key = codes.enhancedStatus ? statusKey(codes.enhancedStatus) : null;

  let disp = MESSY_SPACE.test(wide) ? wide.replace(MESSY_SPACE_G, ' ') : wide;
  if (disp.includes('\\n')) disp = disp.replace(/\\n/g, ' ');
  if (HAS_CONTINUATION.test(disp)) disp = disp.replace(CONTINUATION, '');
  const norm = disp.toLowerCase();
  // lower-casing can change the length of a few non-ASCII letters; then spans come from `norm`
  if (norm.length !== disp.length) disp = norm;

  const nSeen = automaton.scan(norm, firstEnd, seen);
  let markerAt = Infinity;
  let detected: string | null = null;
  for (let s = 0; s < nSeen; s++) {
    const id = seen[s]!;
    const end = firstEnd[id]!;
    const start = end - patterns[id]!.length;
    const marker = markerProvider[id];
    if (marker !== undefined && start < markerAt) {
      markerAt = start;
      detected = marker;
    }
    const refs = rulesByPattern[id];
    if (!refs) continue;
    for (const r of refs) {
      if (ruleStart[r]! < 0) touched.push(r);
      if (ruleStart[r]! < 0 || start < ruleStart[r]!) {
        ruleStart[r] = start;
        ruleEnd[r] = end;
      }
    }
  }

  const candidates: Candidate[] = [];
  const hinted = hints?.provider ?? null;
  for (const r of touched) {
    const c = compiled[r]!;
    if (!applies(c, hints?.mta) || (c.status && !statusMatches(c.status, key))) continue;
    candidates.push({
      index: r,
      reason: c.rule.reason,
      rootCause: c.rule.rootCause,
      specificity: c.rule.specificity + (hinted && c.rule.provider === hinted ? 2 : 0),
      kind: c.vendor ? 'vendor_phrase' : 'generic_phrase',
      start: ruleStart[r]!,
      end: ruleEnd[r]!,
      ruleId: c.rule.id,
    });
  }
  if (key) {
    for (const r of codeRules.get(key) ?? []) {
      const c = compiled[r]!;
      if (!applies(c, hints?.mta)) continue;
      candidates.push({
        index: r, reason: c.rule.reason, rootCause: c.rule.rootCause, specificity: c.rule.specificity,
        kind: 'vendor_code', start: -1, end: -1, ruleId: c.rule.id,
      });
    }
    const entry = STATUS_DETAILS[key];
    if (entry && entry.rootCause !== 'unknown') {
      // "x.7.0 other security status" still says more than a bare 552; x.y.0 ranks below x.y.z
      candidates.push({
        index: -1, reason: entry.reason, rootCause: entry.rootCause, specificity: key.endsWith('.0') ? 30 : 40,
        kind: 'enhanced_code', start: -1, end: -1, ruleId: null,
      });
    }
  }
  if (codes.replyCode && (codes.replyCode[0] === '4' || codes.replyCode[0] === '5')) {
    const entry = REPLY_CODES[codes.replyCode];
    if (entry) {
      candidates.push({
        index: -1, reason: entry.reason, rootCause: entry.rootCause, specificity: 20,
        kind: 'reply_code', start: -1, end: -1, ruleId: null,
      });
    }
  }

  // reset scratch space for the next call
  for (const r of touched) ruleStart[r] = -1;
  touched.length = 0;
  for (let s = 0; s < nSeen; s++) firstEnd[seen[s]!] = -1;

  let best: Candidate | null = null;
  for (const c of candidates) {
    if (!best || c.specificity > best.specificity || (c.specificity === best.specificity && c.start >= 0 && (best.start < 0 || c.start < best.start))) best = c;
  }

  const categorized = verdictReason(hints?.verdict, hints?.mta);
  if (!best) {
    const provider = hinted ?? detected;
    return {
      reason: categorized ?? undecidedReason(norm, hints), rootCause: 'unknown', category: 'delivery', confidence: 0, provider,
      smtp: smtpOf(codes, provider), evidence: [], alternatives: [], ruleId: null,
    };
  }

  const codeEntry = key ? STATUS_DETAILS[key] : undefined;
  let competitor = -1;
  const altBest = new Map<RootCause, Candidate>();
  for (const c of candidates) {
    if (c.rootCause === best.rootCause) continue;
    if (c.kind !== 'reply_code' && c.kind !== 'enhanced_code' && c.specificity > competitor) competitor = c.specificity;
    if (c.kind === 'reply_code') continue; // a bare reply code is too vague to offer as an alternative
    const prev = altBest.get(c.rootCause);
    if (!prev || c.specificity > prev.specificity) altBest.set(c.rootCause, c);
  }
  const confidence = confidenceOf({
    kind: best.kind,
    specificity: best.specificity,
    statusKey: key,
    corroborated: codeEntry?.rootCause === best.rootCause,
    competitor,
  });

  const verdict = best.index >= 0 && compiled[best.index]!.rule.verdict === true;
  let reason = best.reason === 'userunknown' && !verdict ? unknownOrFiltered(norm, key, hints) : best.reason;
  // "x.0.0" is the server saying the status is undefined; a bare reply code does not decide either
  if (best.kind === 'reply_code' && key === '0.0') reason = undecidedBounce(hints);
  // only a code, and a local program (pipe, LMTP, mailbox writer) produced it: a mailer failure
  if ((best.kind === 'reply_code' || best.kind === 'enhanced_code') && isLocalProgram(hints)) reason = 'mailererror';
  if (categorized) reason = categorized;

  const evidence: Evidence[] = [];
  if (best.start >= 0) evidence.push({ source: 'text', text: disp.slice(best.start, best.end), note: `rule ${best.ruleId}` });
  if (codes.span) {
    const note = codes.enhancedStatus && codes.span.includes(codes.enhancedStatus)
      ? `enhanced status ${codes.enhancedStatus}`
      : [codes.replyCode && `reply code ${codes.replyCode}`, codes.enhancedStatus && `enhanced status ${codes.enhancedStatus} later in the text`]
        .filter(Boolean).join('; ');
    evidence.push({ source: 'text', text: codes.span, note: best.kind === 'vendor_code' ? `${note} (rule ${best.ruleId})` : note });
  }

  const alternatives = [...altBest.values()]
    .sort((a, b) => b.specificity - a.specificity)
    .slice(0, 3)
    .map((c) => ({
      rootCause: c.rootCause,
      confidence: Math.min(confidenceOf({ kind: c.kind, specificity: c.specificity, statusKey: key, corroborated: false, competitor: best.specificity }), confidence),
    }));

  // A blocklist operator that decided is the provider to deal with (delisting); otherwise the
  // mailbox provider named in the text, else the one whose wording matched.
  const ruleProvider = best.index >= 0 ? compiled[best.index]!.rule.provider : null;
  const provider = hinted ?? (ruleProvider && BLOCKLISTS.has(ruleProvider) ? ruleProvider : null) ?? detected ??
    (ruleProvider && !NOT_PROVIDERS.has(ruleProvider) ? ruleProvider : null);
  return {
    reason,
    rootCause: best.rootCause,
    category: categoryOf(best.rootCause),
    confidence,
    provider,
    smtp: smtpOf(codes, provider),
    evidence,
    alternatives,
    ruleId: best.ruleId,
  };
}
