// One user turn of a support conversation: redact, fill the template, diagnose, ask the policy,
// and carry out its decision (reply, questions, or a hand-over ticket). Storage and queues here;
// the decisions themselves live in policy.ts.
import type { AppContext } from '../app/context.js';
import type { Diagnosis, Evidence, Reference } from '../core/diagnosis.js';
import { redact, type SecretKind } from '../core/redact.js';
import type { Lang } from '../core/taxonomy.js';
import { runDiagnosis } from '../app/diagnose-service.js';
import { diagnose } from '../diagnosis/index.js';
import { localize } from '../diagnosis/steps/index.js';
import { HttpError, notFound } from '../api/errors.js';
import { nowOf } from './clock.js';
import { createHandoffDelivery, enqueueHandoffDelivery } from './handoff.js';
import { intentsOf, type Intents } from './intents.js';
import { askText, handoffText, QUESTIONS, stepsText, TEXT } from './messages.js';
import { decide, emptyMemory, normalise, route, type Decision, type DiagnosisDigest, type HandoffReason, type Priority, type Route } from './policy.js';
import { handoffSettingsOf, supportSettingsOf } from './settings.js';
import { idleSecondsOf, scheduleIdleOffer } from './idle.js';
import { getTenant } from '../store/tenants.js';
import { emptyTemplate, extractSlots, mergeTemplate, TEMPLATE_FIELDS, type Template, type TemplateField } from './slots.js';
import {
  addMessages, addTicketEvent, getConversationAndSettings, insertConversation, listMessages, openTicket, saveConversation, saveTurn,
  type Conversation, type ConversationUser, type StoredMemory, type Ticket,
} from './store.js';
import { deterministicSummary } from './summary.js';
import { enqueueLlmSummary } from './summary-job.js';

export interface Attachment {
  kind?: 'email' | 'log' | 'text';
  name?: string;
  content: string;
}

export interface TurnInput {
  text: string;
  attachments?: Attachment[];
}

export interface HandoffInfo {
  ticketId: string;
  ticketNumber: number;
  reason: HandoffReason;
  priority: Priority;
  queue: string;
  channel: 'standard' | 'emergency';
  expectedWait: { minutes: number | null; opensAt: string | null };
  duplicate: boolean;
}

export interface TurnResult {
  conversationId: string;
  /** null while a person owns the conversation (the bot stays silent) */
  reply: string | null;
  language: Lang;
  state: Conversation['state'];
  diagnosis: Omit<DigestWithEvidence, 'title'> | null;
  ask: { field: TemplateField; question: string }[];
  handoff: HandoffInfo | null;
  /** kinds of secret removed from the message before it was stored */
  redacted: SecretKind[];
}

const MAX_PROBLEM_TEXT = 8000;
const MAX_RECENT = 5;
const MAX_EVIDENCE = 10;
const MAX_REFERENCES = 3;
const MAX_TURN_RETRIES = 5;

interface DigestWithEvidence extends DiagnosisDigest {
  evidence: Evidence[];
  /** knowledge articles the answer cites */
  references: Pick<Reference, 'articleId' | 'title' | 'lang' | 'anchor'>[];
}

interface Memory extends StoredMemory {
  problemText: string;
  diagnosis: DigestWithEvidence | null;
}

const HAN = /\p{Script=Han}/u;
const LATIN_WORDS = /[A-Za-z]{2,}/g;

/** Pasted machine text (reply codes, log lines) says nothing about the language the user reads. */
const MACHINE_TEXT = /\b[245]\d\d[ -][245]?|\b[245]\.\d{1,3}\.\d{1,3}\b|\b0x[0-9a-f]{8}\b/i;

/** The user's language: Chinese as soon as they write Chinese; English when they write a sentence of it. */
function languageOf(text: string, previous: Lang): Lang {
  if (HAN.test(text)) return 'zh';
  if (MACHINE_TEXT.test(text)) return previous;
  return (text.match(LATIN_WORDS)?.length ?? 0) >= 3 ? 'en' : previous;
}

function looksLikeEmail(a: Attachment): boolean {
  if (a.kind === 'email') return true;
  if (a.kind) return false;
  return /^(?:[\w-]+:.*\r?\n)+/m.test(a.content.slice(0, 4000)) && /^(?:from|received|content-type|subject|message-id):/im.test(a.content.slice(0, 8000));
}

function digestOf(d: Diagnosis, lang: Lang): DigestWithEvidence {
  return {
    rootCause: d.rootCause,
    reason: d.reason,
    category: d.category,
    confidence: d.confidence,
    summary: d.summary,
    steps: d.steps,
    title: d.rootCause === 'unknown' ? null : localize(d.rootCause, lang, d.provider).title,
    errorCode: [d.smtp.replyCode, d.smtp.enhancedStatus].filter(Boolean).join(' ') || null,
    provider: d.provider,
    evidence: d.evidence.slice(0, MAX_EVIDENCE),
    references: d.references.slice(0, MAX_REFERENCES).map((r) => ({ articleId: r.articleId, title: r.title, lang: r.lang, anchor: r.anchor })),
    ...(d.id ? { id: d.id } : {}),
  };
}

const better = (next: DigestWithEvidence | null, prev: DigestWithEvidence | null): DigestWithEvidence | null => {
  if (!next) return prev;
  if (!prev || prev.rootCause === 'unknown') return next;
  return next.rootCause !== 'unknown' && next.confidence >= prev.confidence ? next : prev;
};

/** A message that only carries an intent ("转人工", "yes", "thanks, works now") is not problem text. */
function isOnlyIntent(text: string, intents: Intents): boolean {
  return (intents.human || intents.affirm || intents.resolved || intents.stillFails) && normalise(text).length <= 24;
}

/**
 * The full diagnosis (knowledge references, optional model, stored per tenant) for new problem
 * text. The engine alone is cheap: when it only repeats the known, confident answer for the
 * conversation so far, the full run is skipped (null) — it would add nothing but cost.
 */
async function diagnoseTurn(
  ctx: AppContext,
  tenantId: string,
  input: { text?: string; email?: string; lang: Lang; template: Template },
  known: DiagnosisDigest | null,
): Promise<Diagnosis | null> {
  const t = input.template;
  const request = { text: input.text, email: input.email, locale: input.lang, context: { ...(t.mailbox ? { mailbox: t.mailbox } : {}), ...(t.client ? { client: t.client } : {}) } };
  if (known && known.rootCause !== 'unknown') {
    const quick = await diagnose(request, { confidenceThreshold: ctx.config.CONFIDENCE_THRESHOLD });
    if (quick.rootCause === known.rootCause && quick.confidence <= known.confidence) return null;
  }
  return runDiagnosis(ctx, tenantId, request, { source: 'conversation' });
}

export async function createConversation(
  ctx: AppContext,
  tenantId: string,
  input: { channel: string; user: Partial<ConversationUser>; metadata?: Record<string, unknown>; externalKey?: string },
): Promise<Conversation> {
  const now = nowOf(ctx);
  const user: ConversationUser = {
    role: input.user.role ?? 'user',
    verified: input.user.verified ?? false,
    ...(input.user.mailbox ? { mailbox: input.user.mailbox.toLowerCase() } : {}),
    ...(input.user.name ? { name: redact(input.user.name).text } : {}),
    ...(input.user.locale ? { locale: input.user.locale } : {}),
  };
  const template = { ...emptyTemplate(), mailbox: user.mailbox ?? null };
  const memory: Memory = { ...emptyMemory(template), diagnosis: null, since: now.toISOString(), problemText: '' };
  const metadata = JSON.parse(redact(JSON.stringify(input.metadata ?? {})).text) as Record<string, unknown>;
  const conv = await insertConversation(ctx.db, { tenantId, channel: input.channel, user, metadata, language: user.locale ?? 'en', memory, externalKey: input.externalKey, now });
  const tenant = await getTenant(ctx.db, tenantId);
  await scheduleIdleOffer(ctx, { tenantId, conversationId: conv.id, since: memory.since }, idleSecondsOf(ctx, tenant?.settings));
  return conv;
}

/** Handles one user message; retries when another turn of the same conversation landed first. */
export async function handleUserMessage(ctx: AppContext, tenantId: string, conversationId: string, input: TurnInput): Promise<TurnResult> {
  for (let attempt = 1; ; attempt++) {
    const found = await getConversationAndSettings(ctx.db, tenantId, conversationId);
    if (!found) throw notFound('conversation');
    const result = await runTurn(ctx, found.conv, found.settings, input);
    if (result) return result;
    if (attempt >= MAX_TURN_RETRIES) throw new HttpError(409, 'conflict', 'the conversation is receiving several messages at once; send this one again');
  }
}

async function runTurn(ctx: AppContext, conv: Conversation, tenantSettings: Record<string, unknown>, input: TurnInput): Promise<TurnResult | null> {
  const now = nowOf(ctx);
  const cleaned = redact(input.text);
  const attachments = (input.attachments ?? []).map((a) => ({ ...a, content: redact(a.content) }));
  const found = new Set<SecretKind>([...cleaned.found, ...attachments.flatMap((a) => a.content.found)]);
  const text = cleaned.text;
  const storedUserMessage = {
    role: 'user' as const,
    text,
    data: attachments.length ? { attachments: attachments.map((a) => ({ kind: a.kind ?? (looksLikeEmail({ content: a.content.text }) ? 'email' : 'text'), name: a.name ?? null, content: a.content.text.slice(0, 200_000) })) } : {},
    at: now,
  };
  const memory = conv.memory as Memory;
  const base: Omit<TurnResult, 'reply' | 'state' | 'language'> = { conversationId: conv.id, diagnosis: null, ask: [], handoff: null, redacted: [...found] };

  // A person owns the conversation: store the message on the ticket, say nothing.
  if (conv.state === 'handoff') {
    const saved = await ctx.db.tx(async (q) => {
      if (!(await saveConversation(q, conv, now))) return false;
      await addMessages(q, conv.id, [storedUserMessage]);
      if (conv.ticketId) await addTicketEvent(q, conv.ticketId, { kind: 'user_message', actor: 'user', data: { conversationId: conv.id, text: text.slice(0, 4000) }, at: now });
      return true;
    });
    return saved ? { ...base, reply: null, state: 'handoff', language: conv.language } : null;
  }

  const lang = languageOf(text, conv.language);
  const intents = intentsOf(text);
  const attached = attachments.map((a) => ({ text: a.content.text, email: looksLikeEmail({ ...a, content: a.content.text }) }));
  const slots = extractSlots([text, ...attached.map((a) => a.text)].filter(Boolean).join('\n'), { expecting: memory.expecting });
  let template = mergeTemplate(memory.template, slots);

  // Diagnose what the user typed so far, and each attachment on its own (a bounce e-mail as an
  // e-mail, a log excerpt as text, each read in full up to the engine's limit); keep the best answer.
  const newProblem = isOnlyIntent(text, intents) ? '' : text;
  const problemText = (memory.problemText ? `${memory.problemText}\n${newProblem}` : newProblem).slice(-MAX_PROBLEM_TEXT);
  let best = memory.diagnosis;
  const consider = (d: Diagnosis | null) => {
    if (d) best = better(digestOf(d, lang), best);
  };
  if (newProblem.trim()) consider(await diagnoseTurn(ctx, conv.tenantId, { text: problemText, lang, template }, best));
  for (const a of attached) {
    const input = a.email ? { email: a.text } : { text: a.text };
    consider(await diagnoseTurn(ctx, conv.tenantId, { ...input, lang, template }, best));
  }
  if (best && best.rootCause !== 'unknown') {
    template = mergeTemplate(template, { problemType: localize(best.rootCause, lang, best.provider).title, errorCode: best.errorCode });
  }

  const settings = supportSettingsOf(tenantSettings);
  const nextMemory: Memory = { ...memory, template, diagnosis: best, problemText, userTurns: memory.userTurns + 1 };
  const decision = decide({
    memory: { ...memory, template },
    intents,
    text,
    diagnosis: best,
    now,
    startedAt: new Date(memory.since),
    idleSeconds: idleSecondsOf(ctx, tenantSettings),
    confidenceThreshold: ctx.config.CONFIDENCE_THRESHOLD,
  });
  nextMemory.recent = newProblem ? [...memory.recent, normalise(newProblem)].slice(-MAX_RECENT) : memory.recent;
  nextMemory.expecting = decision.action === 'ask' || decision.action === 'answer' ? decision.ask : [];
  for (const f of nextMemory.expecting) nextMemory.asked = { ...nextMemory.asked, [f]: (nextMemory.asked[f] ?? 0) + 1 };
  if (decision.action === 'ask') nextMemory.askRounds = memory.askRounds + 1;
  if (decision.action === 'answer') nextMemory.botAnswers = memory.botAnswers + 1;
  if ((decision.action === 'ask' || decision.action === 'answer') && decision.offerHuman) nextMemory.offeredHuman = true;

  const warning = found.size ? TEXT.secretWarning[lang] : null;
  const digestOut = best ? { ...withoutTitle(best), summary: localize(best.rootCause, lang, best.provider).summary, steps: localize(best.rootCause, lang, best.provider).steps } : null;

  if (decision.action === 'handoff') {
    return handOver(ctx, { conv, memory: nextMemory, decision, lang, settings, tenantSettings, storedUserMessage, warning, base: { ...base, diagnosis: digestOut }, now });
  }

  const ask = decision.action === 'resolved' ? [] : decision.ask;
  const parts: string[] = [];
  if (warning) parts.push(warning);
  if (decision.action === 'resolved') parts.push(TEXT.resolved[lang]);
  else if (decision.action === 'answer') {
    const advice = localize(best!.rootCause, lang, best!.provider);
    parts.push(stepsText(lang, advice.summary, advice.steps));
    if (ask.length) parts.push(`${TEXT.askAfterAnswer[lang]}\n${askText(lang, ask)}`);
  } else {
    parts.push(best || problemText.trim() ? TEXT.needMore[lang] : TEXT.greet[lang]);
    if (ask.length) parts.push(askText(lang, ask));
  }
  if (decision.action !== 'resolved' && decision.offerHuman) parts.push(TEXT.offerHuman[lang]);
  const reply = parts.join('\n\n');
  const state = decision.action === 'resolved' ? 'resolved' : 'bot';
  const botMessage = { role: 'bot' as const, text: reply, data: { action: decision.action, ask, rootCause: best?.rootCause ?? null }, at: now };
  if (!(await saveTurn(ctx.db, { ...conv, state, language: lang, memory: nextMemory }, [storedUserMessage, botMessage], now))) return null;
  return { ...base, diagnosis: digestOut, reply, state, language: lang, ask: ask.map((f) => ({ field: f, question: QUESTIONS[f][lang] })) };
}

const withoutTitle = ({ title: _t, ...rest }: DigestWithEvidence) => rest;

interface HandoverArgs {
  conv: Conversation;
  memory: Memory;
  decision: Extract<Decision, { action: 'handoff' }>;
  lang: Lang;
  settings: ReturnType<typeof supportSettingsOf>;
  tenantSettings: Record<string, unknown>;
  storedUserMessage: { role: 'user'; text: string; data: Record<string, unknown>; at: Date };
  warning: string | null;
  base: Omit<TurnResult, 'reply' | 'state' | 'language'>;
  now: Date;
}

/** Tenant-scoped duplicate key: same mailbox and same problem (root cause, else error code). */
export function dedupeKeyOf(template: Template, d: DiagnosisDigest | null): string | null {
  const problem = d && d.rootCause !== 'unknown' ? d.rootCause : template.errorCode;
  return template.mailbox && problem ? `${template.mailbox.toLowerCase()}|${problem}` : null;
}

async function handOver(ctx: AppContext, a: HandoverArgs): Promise<TurnResult | null> {
  const { conv, memory, decision, lang, now } = a;
  const user = { role: conv.user.role, verified: conv.user.verified };
  const r: Route = route({ kind: decision.kind, priority: decision.priority, user, settings: a.settings, now });
  const history = await listMessages(ctx.db, conv.id);
  const template = { ...memory.template, timestamp: memory.template.timestamp ?? memory.since };
  const missing = TEMPLATE_FIELDS.filter((f) => !template[f]);
  const summaryText = deterministicSummary({ lang, template, diagnosis: memory.diagnosis, reason: decision.reason, messages: [...history, a.storedUserMessage], botAnswers: memory.botAnswers });
  const webhookConfigured = Boolean(handoffSettingsOf(a.tenantSettings).webhook);

  const outcome = await ctx.db.tx(async (q) => {
    const { ticket, duplicate } = await openTicket(q, {
      tenantId: conv.tenantId,
      conversationId: conv.id,
      kind: decision.kind,
      priority: decision.priority,
      reason: decision.reason,
      queue: r.queue,
      channel: r.channel,
      mailbox: template.mailbox?.toLowerCase() ?? null,
      dedupeKey: dedupeKeyOf(template, memory.diagnosis),
      template: { ...template, missing },
      diagnosis: memory.diagnosis ? { ...memory.diagnosis } : null,
      evidence: memory.diagnosis?.evidence ?? [],
      summary: { text: summaryText, lang, source: 'deterministic' },
    }, now);
    const reply = [a.warning, handoffText({
      lang, reason: decision.reason, ticketNumber: ticket.number, duplicate, route: r,
      emergencyName: a.settings.emergency.name, emergencyContact: a.settings.emergency.contact, verifyHint: a.settings.verifyHint,
    })].filter(Boolean).join('\n\n');
    const nextMemory: Memory = { ...memory, expecting: [] };
    if (!(await saveConversation(q, { ...conv, state: 'handoff', language: lang, memory: nextMemory, ticketId: ticket.id }, now))) return null;
    await addMessages(q, conv.id, [a.storedUserMessage, { role: 'bot', text: reply, data: { action: 'handoff', ticketId: ticket.id, reason: decision.reason }, at: now }]);
    await addTicketEvent(q, ticket.id, duplicate
      ? { kind: 'duplicate', actor: 'bot', data: { conversationId: conv.id, reason: decision.reason, text: a.storedUserMessage.text.slice(0, 4000) }, at: now }
      : { kind: 'created', actor: 'bot', data: { conversationId: conv.id, reason: decision.reason, queue: r.queue, channel: r.channel }, at: now });
    const deliveryId = await createHandoffDelivery(q, conv.tenantId, ticket.id, duplicate ? 'ticket.updated' : 'ticket.created', webhookConfigured);
    return { ticket, duplicate, reply, deliveryId };
  }).catch((err: unknown) => {
    // The duplicate was closed between our insert and the look-up: the retry opens a new ticket.
    if ((err as Error).message === 'duplicate ticket vanished while merging') return null;
    throw err;
  });
  if (!outcome) return null;
  if (outcome.deliveryId) await enqueueHandoffDelivery(ctx, outcome.deliveryId);
  if (!outcome.duplicate) await enqueueLlmSummary(ctx, outcome.ticket.id);
  return {
    ...a.base,
    reply: outcome.reply,
    state: 'handoff',
    language: lang,
    handoff: handoffInfo(outcome.ticket, decision.reason, r, outcome.duplicate),
  };
}

function handoffInfo(ticket: Ticket, reason: HandoffReason, r: Route, duplicate: boolean): HandoffInfo {
  return {
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    reason,
    priority: ticket.priority,
    queue: ticket.queue,
    channel: ticket.channel,
    expectedWait: { minutes: r.waitMinutes, opensAt: r.opensAt?.toISOString() ?? null },
    duplicate,
  };
}
