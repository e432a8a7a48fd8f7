// The dialogue policy: a pure function of (conversation memory, the new message, the diagnosis so
// far, the clock) → what the bot does next. Routing of a hand-over (queue, channel, wait) is pure
// too. Nothing here touches storage or the network.
import type { Category, RootCause } from '../core/taxonomy.js';
import type { Intents } from './intents.js';
import { serviceStatus, type ServiceHours } from './hours.js';
import type { SupportSettings } from './settings.js';
import type { Template, TemplateField } from './slots.js';

/** What the conversation keeps of a diagnosis. */
export interface DiagnosisDigest {
  id?: string;
  rootCause: RootCause;
  reason: string;
  category: Category;
  confidence: number;
  summary: string;
  steps: string[];
  title: string | null;
  errorCode: string | null;
  provider: string | null;
}

export interface Memory {
  template: Template;
  /** times each field was asked */
  asked: Partial<Record<TemplateField, number>>;
  /** fields asked in the bot's last turn (a bare answer fills them) */
  expecting: TemplateField[];
  askRounds: number;
  diagnosis: DiagnosisDigest | null;
  /** turns in which the bot gave fix steps */
  botAnswers: number;
  userTurns: number;
  offeredHuman: boolean;
  /** normalised recent user messages, for "the user repeats the problem" */
  recent: string[];
}

export type HandoffReason = 'user_request' | 'security' | 'low_confidence' | 'repeated' | 'timeout';
export type TicketKind = 'security' | 'outage' | 'config' | 'other';
export type Priority = 'urgent' | 'high' | 'normal' | 'low';

export type Decision =
  | { action: 'handoff'; reason: HandoffReason; kind: TicketKind; priority: Priority }
  | { action: 'answer'; ask: TemplateField[]; offerHuman: boolean }
  | { action: 'ask'; ask: TemplateField[]; offerHuman: boolean }
  | { action: 'resolved' };

export interface PolicyInput {
  memory: Memory;
  intents: Intents;
  /** the user's (redacted) text of this turn */
  text: string;
  /** the best diagnosis after this turn (null: nothing diagnosable said yet) */
  diagnosis: DiagnosisDigest | null;
  now: Date;
  startedAt: Date;
  idleSeconds: number;
  confidenceThreshold: number;
}

export const MAX_ASK_PER_TURN = 2;
const MAX_ASK_ROUNDS = 2;
const REPEAT_SIMILARITY = 0.8;

/** Which missing fields matter for a kind of problem, most useful first (never secrets). */
const RELEVANT: Record<'unknown' | Category, TemplateField[]> = {
  unknown: ['errorText', 'mailbox', 'client', 'steps', 'network'],
  delivery: ['errorText', 'mailbox', 'timestamp'],
  config: ['errorText', 'client', 'os', 'network', 'mailbox'],
  security: ['mailbox', 'timestamp'],
};
/** Root causes where the network path matters to the fix. */
const NETWORK_CAUSES = new Set<RootCause>(['tls_failure', 'connection_failed', 'starttls_required']);
const OUTAGE_CAUSES = new Set<RootCause>(['server_error']);

export const emptyMemory = (template: Template): Memory => ({
  template, asked: {}, expecting: [], askRounds: 0, diagnosis: null, botAnswers: 0, userTurns: 0, offeredHuman: false, recent: [],
});

export const normalise = (text: string): string => text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '').slice(0, 300);

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < s.length - 1; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** Dice similarity of character bigrams: works for Chinese (no spaces) and English alike. */
export function similarity(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b ? 1 : 0;
  const x = bigrams(a);
  const y = bigrams(b);
  let common = 0;
  for (const g of x) if (y.has(g)) common++;
  return (2 * common) / (x.size + y.size);
}

const isLow = (d: DiagnosisDigest | null, threshold: number): boolean =>
  !d || d.rootCause === 'unknown' || d.confidence < threshold;

/** Missing fields worth asking for now, given what is known and what was asked already. */
export function fieldsToAsk(memory: Memory, diagnosis: DiagnosisDigest | null, threshold: number): TemplateField[] {
  const key = isLow(diagnosis, threshold) ? 'unknown' : diagnosis!.category;
  const wanted = [...RELEVANT[key]];
  if (diagnosis && NETWORK_CAUSES.has(diagnosis.rootCause) && !wanted.includes('network')) wanted.push('network');
  const t = memory.template;
  return wanted.filter((f) => {
    if (memory.asked[f]) return false;
    if (f === 'errorText') return !t.errorText && !t.errorCode;
    return !t[f];
  });
}

export function classifyTicket(diagnosis: DiagnosisDigest | null, intents: Intents): { kind: TicketKind; priority: Priority } {
  if (intents.security || diagnosis?.category === 'security') return { kind: 'security', priority: 'high' };
  if (intents.outage || (diagnosis && OUTAGE_CAUSES.has(diagnosis.rootCause))) return { kind: 'outage', priority: 'urgent' };
  const urgentBump = (p: Priority): Priority => (intents.urgent ? 'high' : p);
  if (diagnosis?.category === 'config') return { kind: 'config', priority: urgentBump('normal') };
  return { kind: 'other', priority: urgentBump('normal') };
}

export function decide(input: PolicyInput): Decision {
  const { memory, intents, diagnosis, confidenceThreshold: threshold } = input;
  const handoff = (reason: HandoffReason): Decision => ({ action: 'handoff', reason, ...classifyTicket(diagnosis, intents) });

  if (intents.security || diagnosis?.category === 'security') return handoff('security');
  if (intents.human) return handoff('user_request');
  if (memory.offeredHuman && intents.affirm) return handoff('timeout');
  if (intents.resolved) return { action: 'resolved' };

  const said = normalise(input.text);
  const repeats = said.length >= 6 && memory.recent.some((r) => similarity(r, said) >= REPEAT_SIMILARITY);
  if (memory.botAnswers > 0 && (intents.stillFails || repeats)) return handoff('repeated');

  const offerHuman = !memory.offeredHuman && input.now.getTime() - input.startedAt.getTime() >= input.idleSeconds * 1000;
  const ask = fieldsToAsk(memory, diagnosis, threshold).slice(0, MAX_ASK_PER_TURN);
  if (isLow(diagnosis, threshold)) {
    // Low confidence: ask what is missing; once that was asked (or nothing is left), a person takes over.
    if (ask.length && memory.askRounds < MAX_ASK_ROUNDS) return { action: 'ask', ask, offerHuman };
    return handoff('low_confidence');
  }
  // Confident: answer; ask only for what the fix itself depends on (e.g. the client for set-up steps).
  return { action: 'answer', ask: diagnosis!.category === 'config' ? ask.filter((f) => f === 'client').slice(0, 1) : [], offerHuman };
}

// ---------------------------------------------------------------------------------------------
// Routing a hand-over

export interface Route {
  queue: string;
  channel: 'standard' | 'emergency';
  /** minutes until a person answers, when known */
  waitMinutes: number | null;
  /** next service opening when the ticket waits for it, and the zone to show it in */
  opensAt: Date | null;
  timezone: string;
  /** the user asked as an admin but is not verified: standard support only */
  needsVerification: boolean;
}

export interface RouteInput {
  kind: TicketKind;
  priority: Priority;
  user: { role: 'user' | 'admin'; verified: boolean };
  settings: SupportSettings;
  now: Date;
}

export function route(input: RouteInput): Route {
  const { settings: s, kind, priority, user } = input;
  const advanced = user.role === 'admin' && user.verified;
  const needsVerification = user.role === 'admin' && !user.verified;
  const status = serviceStatus(s as ServiceHours, input.now);
  const queueFor = (k: keyof typeof s.queues, fallback: string): string => s.queues[k] ?? fallback;
  const base = { opensAt: null, timezone: s.timezone, needsVerification };
  if (!status.open && (kind === 'security' || priority === 'urgent')) {
    return { ...base, queue: queueFor('emergency', 'emergency'), channel: 'emergency', waitMinutes: s.emergency.waitMinutes };
  }
  const queue = advanced ? queueFor('advanced', 'advanced') : queueFor(kind, kind === 'other' ? 'general' : kind);
  if (status.open) return { ...base, queue, channel: 'standard', waitMinutes: s.waitMinutes };
  return { ...base, queue, channel: 'standard', waitMinutes: null, opensAt: status.nextOpen };
}
