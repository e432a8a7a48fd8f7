// The report model and its construction from a finished Tally. Evidence lines are redacted here,
// the only place lines leave the analyzer.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redact } from '../core/redact.js';
import { categoryOf, type Category, type Reason, type RootCause } from '../core/taxonomy.js';
import { fixSteps, FailureClassifier } from './classify.js';
import { detectIncidents, seriesOf, type IncidentWindow, type Series } from './incidents.js';
import { bruteForce, relayAttempts, suspectAccounts, type BruteForce, type RelayAttempt, type SuspectAccount } from './security.js';
import { TRAFFIC, type FailureGroup, type Tally } from './tally.js';
import { iso } from './time.js';

export interface ReportOptions {
  /** extra warnings from the reader */
  truncatedGzip?: boolean;
  oversizedLines?: number;
  /** override the knowledge article lookup (tests) */
  references?: (rootCause: RootCause) => KnowledgeRef[];
  /** where knowledge/{en,zh}/ articles are (KNOWLEDGE_DIR; default: the package's knowledge/) */
  knowledgeDir?: string;
}

export interface KnowledgeRef { articleId: string; lang: 'en' | 'zh'; path: string }

export interface Totals {
  received: number; delivered: number; forwarded: number; deferred: number; deferrals: number; bounced: number;
  rejected: number; rejectedPercent: number; rejectWarnings: number; held: number; discarded: number;
  bytesReceived: number; bytesDelivered: number; senders: number; sendingHosts: number; recipients: number;
  recipientHosts: number; expired: number; connectionFailures: number; authFailures: number; contentFilterHops: number;
}

export interface FailureSummary {
  kind: FailureGroup['kind']; rootCause: RootCause; reason: Reason; category: Category; target: string; count: number;
  firstSeen: string; lastSeen: string; replyCode: string | null; enhancedStatus: string | null; provider: string | null;
  text: string; examples: string[];
}

export interface Incident {
  id: string; scope: IncidentWindow['scope']; rootCause: RootCause; category: Category; target: string;
  start: string; end: string; count: number; affectedSenders: number; affectedRecipients: number; headline: string;
  replyCode: string | null; enhancedStatus: string | null; evidence: string[]; title: string; summary: string; steps: string[];
  references: KnowledgeRef[]; narrative?: string;
}

export type TrafficRow = Record<(typeof TRAFFIC)[number], number>;

export interface LogReport {
  version: 1;
  input: {
    files: { name: string; bytes: number; format: string }[];
    lines: number; parsedLines: number; emptyLines: number; unparsedLines: number; parsedShare: number;
    truncatedLines: number; oversizedLines: number; outOfOrderLines: number; formats: Record<string, number>;
    from: string | null; to: string | null;
  };
  totals: Totals;
  traffic: { perDay: ({ date: string } & TrafficRow)[]; perHour: ({ hour: number } & TrafficRow)[] };
  topSenderDomains: { domain: string; messages: number; bytes: number }[];
  topRecipientDomains: { domain: string; delivered: number; bytes: number; deferred: number; bounced: number }[];
  delays: { count: number; p50: number | null; p90: number | null; p99: number | null };
  failures: FailureSummary[];
  incidents: Incident[];
  security: { bruteForce: BruteForce[]; suspectAccounts: SuspectAccount[]; relayAttempts: RelayAttempt[] };
  unparsed: { program: string; count: number; example: string }[];
  classifier: { distinctTexts: number };
  warnings: string[];
}

const clean = (line: string): string => redact(line).text;
const TOP = 20;

/** The package's knowledge/ folder, found upwards from this module (source or dist/ bundle). */
function packageKnowledgeDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return join(d, 'knowledge');
}

const refCache = new Map<string, KnowledgeRef[]>();

/** Knowledge articles named after the root cause ({dir}/{en,zh}/rc-<cause>.md). */
export function knowledgeRefs(rootCause: RootCause, dir?: string): KnowledgeRef[] {
  const base = dir ? resolve(dir) : packageKnowledgeDir();
  const key = `${base}\n${rootCause}`;
  let refs = refCache.get(key);
  if (!refs) {
    const id = `rc-${rootCause.replace(/_/g, '-')}`;
    refs = (['en', 'zh'] as const)
      .map((lang) => ({ articleId: id, lang, path: `knowledge/${lang}/${id}.md` }))
      .filter((r) => existsSync(join(base, r.lang, `${r.articleId}.md`)));
    refCache.set(key, refs);
  }
  return refs;
}

function row(a: Float64Array): TrafficRow {
  return { received: a[0]!, delivered: a[1]!, deferred: a[2]!, bounced: a[3]!, rejected: a[4]! };
}

function hhmm(t: number): string {
  return new Date(t).toISOString().slice(11, 16);
}

const VERB: Record<string, string> = {
  deferred: 'defers', bounced: 'rejects', expired: 'expires messages', rejected: 'is rejected by this server',
  connection: 'is unreachable', mixed: 'fails',
};

function headline(w: IncidentWindow, code: string | null): string {
  const who = w.scope === 'server' ? 'the whole server' : w.target;
  const verb = w.scope === 'server' ? 'fails deliveries' : VERB[w.kind] ?? 'fails';
  const withCode = code ? ` with ${code}` : '';
  return `from ${hhmm(w.start)} to ${hhmm(w.end)} ${who} ${verb}${withCode} (${w.rootCause}): ${w.count} messages`;
}

/** Groups with the most failures first (the first one's text represents them). */
function byCount(groups: FailureGroup[]): FailureGroup[] {
  return [...groups].sort((a, b) => b.count - a.count || a.index - b.index);
}

/** Up to `max` example lines in the hours from start to end, from groups sorted by byCount. */
function examplesIn(sorted: FailureGroup[], start: number, end: number, max: number): string[] {
  const out: string[] = [];
  const h0 = Math.floor(start / 3_600_000), h1 = Math.floor(end / 3_600_000);
  for (const g of sorted) {
    for (const [h, l] of g.examples) {
      if (out.length === max) return out;
      if (h >= h0 && h <= h1) out.push(clean(l));
    }
  }
  return out;
}

function mostCommon(groups: FailureGroup[], pick: (g: FailureGroup) => string | null | undefined): string | null {
  const m = new Map<string, number>();
  for (const g of groups) { const v = pick(g); if (v) m.set(v, (m.get(v) ?? 0) + g.count); }
  let best: string | null = null, n = 0;
  for (const [k, c] of m) if (c > n || (c === n && best !== null && k < best)) { best = k; n = c; }
  return best;
}

export function buildReport(tally: Tally, files: LogReport['input']['files'], opts: ReportOptions = {}): LogReport {
  const refs = opts.references ?? ((rc: RootCause) => knowledgeRefs(rc, opts.knowledgeDir));
  const unparsedLines = [...tally.unparsed.values()].reduce((a, u) => a + u.count, 0);
  const nonEmpty = tally.lines - tally.emptyLines;
  const dlvTotal = tally.delivered + tally.rejected + tally.discarded;
  const totals: Totals = {
    received: tally.received, delivered: tally.delivered, forwarded: tally.forwarded, deferred: tally.deferred,
    deferrals: tally.deferrals, bounced: tally.bounced, rejected: tally.rejected,
    rejectedPercent: dlvTotal ? Math.round((tally.rejected / dlvTotal) * 1000) / 10 : 0,
    rejectWarnings: tally.rejectWarnings, held: tally.held, discarded: tally.discarded,
    bytesReceived: tally.bytesReceived, bytesDelivered: tally.bytesDelivered, senders: tally.senders.size,
    sendingHosts: tally.sendingHosts, recipients: tally.recipients.size, recipientHosts: tally.recipientHosts,
    expired: tally.expired, connectionFailures: tally.connectionFailures, authFailures: tally.authFailures,
    contentFilterHops: tally.filterHops,
  };

  const classifier = new FailureClassifier();
  for (const g of tally.groupList) {
    g.cls = classifier.classify(g.sample, g.dir);
    // The MTA's own status says what happened even when the text alone is not conclusive.
    if (g.kind === 'expired' && g.cls.rootCause === 'unknown') g.cls = { ...g.cls, rootCause: 'message_expired', reason: 'expired' };
  }
  const series: Series[] = seriesOf(tally.groupList);
  const failures: FailureSummary[] = [...series]
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind) || a.rootCause.localeCompare(b.rootCause) || a.target.localeCompare(b.target))
    .slice(0, 500)
    .map((sr) => {
      const sorted = byCount(sr.groups);
      const top = sorted[0]!;
      const cls = top.cls!;
      const first = Math.min(...sr.groups.map((g) => g.first));
      const last = Math.max(...sr.groups.map((g) => g.last));
      return {
        kind: sr.kind, rootCause: sr.rootCause, reason: cls.reason, category: categoryOf(sr.rootCause), target: sr.target,
        count: sr.count, firstSeen: iso(first), lastSeen: iso(last), replyCode: cls.replyCode, enhancedStatus: cls.enhancedStatus,
        provider: cls.provider, text: clean(top.sample), examples: examplesIn(sorted, first, last, 3),
      };
    });

  const incidents: Incident[] = detectIncidents(tally, series).slice(0, 100).map((w, i) => {
    const code = mostCommon(w.groups, (g) => g.cls?.enhancedStatus ?? g.cls?.replyCode);
    const provider = mostCommon(w.groups, (g) => g.cls?.provider);
    const fix = fixSteps(w.rootCause, provider);
    return {
      id: `inc-${i + 1}`, scope: w.scope, rootCause: w.rootCause, category: categoryOf(w.rootCause), target: w.target,
      start: iso(w.start), end: iso(w.end), count: w.count, affectedSenders: w.affectedSenders,
      affectedRecipients: w.affectedRecipients, headline: headline(w, code),
      replyCode: mostCommon(w.groups, (g) => g.cls?.replyCode), enhancedStatus: mostCommon(w.groups, (g) => g.cls?.enhancedStatus),
      evidence: examplesIn(byCount(w.groups), w.start, w.end, 5), title: fix.title, summary: fix.summary, steps: fix.steps,
      references: refs(w.rootCause),
    };
  });

  const warnings = [...tally.warnings];
  if (opts.truncatedGzip) warnings.push('the gzip data ends early (truncated file): the report covers the part that could be read');
  if (opts.oversizedLines) warnings.push(`${opts.oversizedLines} line(s) longer than 1 MiB were cut and their rest skipped`);
  if (tally.truncatedLines) warnings.push(`${tally.truncatedLines} line(s) longer than 64 KiB: only their first 64 KiB were parsed`);
  if (tally.outOfOrder) warnings.push(`${tally.outOfOrder} line(s) were out of time order (by more than a minute); counts are unaffected, queue correlation may be`);
  if (tally.evicted) warnings.push(`${tally.evicted} queue ids without a final "removed" line were evicted to bound memory`);
  if (tally.failuresDropped) warnings.push(`${tally.failuresDropped} failures beyond the incident-detection budget were counted but not windowed`);
  if (nonEmpty > 0 && unparsedLines / nonEmpty > 0.5) warnings.push(`${unparsedLines} of ${nonEmpty} lines were not recognised as a supported mail log (see unparsed)`);
  if (tally.lines === 0) warnings.push('the input is empty');

  const days = [...tally.perDay].sort((a, b) => a[0] - b[0]);
  return {
    version: 1,
    input: {
      files, lines: tally.lines, parsedLines: nonEmpty - unparsedLines, emptyLines: tally.emptyLines, unparsedLines,
      parsedShare: nonEmpty ? Math.round(((nonEmpty - unparsedLines) / nonEmpty) * 10000) / 10000 : 0,
      truncatedLines: tally.truncatedLines, oversizedLines: opts.oversizedLines ?? 0, outOfOrderLines: tally.outOfOrder,
      formats: Object.fromEntries([...tally.formats].sort()),
      from: Number.isFinite(tally.firstT) ? iso(tally.firstT) : null, to: Number.isFinite(tally.lastT) ? iso(tally.lastT) : null,
    },
    totals,
    traffic: {
      perDay: days.map(([d, a]) => ({ date: iso(d * 86_400_000).slice(0, 10), ...row(a) })),
      perHour: tally.perHour.map((a, hour) => ({ hour, ...row(a) })),
    },
    topSenderDomains: [...tally.senderDomains]
      .sort((a, b) => b[1].msgs - a[1].msgs || a[0].localeCompare(b[0])).slice(0, TOP)
      .map(([domain, d]) => ({ domain, messages: d.msgs, bytes: d.bytes })),
    topRecipientDomains: [...tally.recipientDomains]
      .sort((a, b) => b[1].delivered - a[1].delivered || a[0].localeCompare(b[0])).slice(0, TOP)
      .map(([domain, d]) => ({ domain, ...d })),
    delays: { count: tally.delayCount, p50: tally.delayPercentile(0.5), p90: tally.delayPercentile(0.9), p99: tally.delayPercentile(0.99) },
    failures,
    incidents,
    security: {
      bruteForce: bruteForce(tally).slice(0, 50).map((b) => ({ ...b, example: clean(b.example) })),
      suspectAccounts: suspectAccounts(tally).slice(0, 50),
      relayAttempts: relayAttempts(tally, series, 50),
    },
    unparsed: [...tally.unparsed]
      .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
      .map(([program, u]) => ({ program, count: u.count, example: clean(u.example) })),
    classifier: { distinctTexts: classifier.calls },
    warnings,
  };
}
