// One diagnosis as the API and the chatbot flow give it: the deterministic engine, then domain
// checks as evidence (when a domain is named), knowledge references, the optional LLM, and storage.
import { hash, randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import type { Diagnosis, Evidence } from '../core/diagnosis.js';
import { categoryOf, type RootCause } from '../core/taxonomy.js';
import { diagnose, screenedInput, type DiagnoseContext, type DiagnoseInput } from '../diagnosis/index.js';
import { localize } from '../diagnosis/steps/index.js';
import { evidenceForDiagnosis, relevantChecks, runDomainChecks } from '../dns/index.js';
import { domainDeps } from './domain-deps.js';
import { referencesFor } from '../knowledge/index.js';
import { cacheFor as knowledgeGeneration } from '../knowledge/state.js';
import { explainDiagnosis, llmFor, llmMetrics } from '../llm/index.js';
import { diagnosisHistory, storedResult, type StoredResult } from './diagnosis-history.js';
import { Lru } from './lru.js';
import { perContext, type AppContext } from './context.js';

export interface DiagnosisRequest extends DiagnoseInput {
  context?: DiagnoseContext & { sendingIp?: string };
  /** ask the model to explain even when the engine is confident */
  explain?: boolean;
}

/** Domain checks should not make a chat answer slow: past this, the answer goes without them. */
const DOMAIN_CHECK_BUDGET_MS = 5_000;
/** a domain finding this sure may name the concrete cause of a related bounce (5.7.26 → SPF) */
const REFINE_CONFIDENCE = 0.8;

/** A diagnosis as the API sends it: JSON (UTF-8), with its id. */
export interface DiagnosisOutcome {
  id: string;
  json: Buffer;
}

export async function runDiagnosis(
  ctx: AppContext,
  tenantId: string,
  input: DiagnosisRequest,
  opts: { source: 'api' | 'conversation' | 'cli' },
): Promise<Diagnosis & { id: string }> {
  // a copy of its own: the caller may change it, the cache's answer must stay as it is
  return JSON.parse((await diagnoseToJson(ctx, tenantId, input, opts)).json.toString()) as Diagnosis & { id: string };
}

/**
 * The engine's answer with knowledge references (cached per input), then domain evidence and the
 * model on top where asked, stored behind the answer. Returns the answer as JSON.
 */
export async function diagnoseToJson(
  ctx: AppContext,
  tenantId: string,
  input: DiagnosisRequest,
  opts: { source: 'api' | 'conversation' | 'cli' },
): Promise<DiagnosisOutcome> {
  const det = await deterministic(ctx, input);
  let shaped: Shaped;
  if (input.context?.domain) shaped = (await finish(ctx, det, input)).shaped;
  else {
    // the first asker of an input finishes it; the others take its answer where the model was
    // skipped (it would be again: the key holds `explain`), else they ask the model themselves
    let own = false;
    const first = (det.finished ??= ((own = true), finish(ctx, det, input)));
    if (own) first.catch(() => det.finished === first && delete det.finished);
    const done = await first;
    if (own || done.plain) {
      if (!own) llmMetrics(ctx).calls.inc({ status: 'skipped' });
      shaped = done.shaped;
    } else shaped = (await finish(ctx, det, input)).shaped;
  }
  const d = shaped.diagnosis;

  const id = randomUUID();
  const now = new Date().toISOString();
  await diagnosisHistory(ctx).push({
    id, tenantId, source: opts.source, createdAt: now, input: det.storedInput,
    rootCause: d.rootCause, reason: d.reason, confidence: d.confidence, result: shaped.stored,
  });
  return { id, json: splice(shaped.head, now, id) };
}

/** The answer's bytes: the cached pieces with the time (ISO 8601, ASCII) between them and the id at the end, in one allocation. */
function splice(head: Buffer[], now: string, id: string): Buffer {
  const tail = `,"id":"${id}"}`;
  let size = tail.length + (head.length - 1) * (now.length + 2);
  for (const h of head) size += h.length;
  const out = Buffer.allocUnsafe(size);
  let at = head[0]!.copy(out, 0);
  for (let i = 1; i < head.length; i++) {
    at += out.write(`"${now}"`, at, 'latin1');
    at += head[i]!.copy(out, at);
  }
  out.write(tail, at, 'latin1');
  return out;
}

/** Domain evidence and the model on top of the deterministic answer, as JSON. */
async function finish(ctx: AppContext, det: Deterministic, input: DiagnosisRequest): Promise<{ shaped: Shaped; plain: boolean }> {
  const threshold = ctx.config.CONFIDENCE_THRESHOLD;
  let d = det.base;
  if (input.context?.domain) d = await withDomainEvidence(ctx, d, input.context.domain, input.context.sendingIp, threshold);
  d = await explainDiagnosis(ctx, llmFor(ctx), { diagnosis: d, inputText: det.inputText, references: d.references, explain: input.explain ?? false, threshold });
  // neither domain checks nor the model changed it: the same input gives the same answer
  return { shaped: shape(d), plain: !input.context?.domain && (d.llm as { status?: string } | undefined)?.status === 'skipped' };
}

/** What the engine and the knowledge base say about one input: the same for the same input. */
interface Deterministic {
  base: Diagnosis;
  /** what the engine read (no NUL, which PostgreSQL text cannot hold; no secrets) */
  inputText: string;
  /** the redacted input as stored, JSON */
  storedInput: string;
  /** the first asker's final answer (without domain checks); reused where the model was skipped */
  finished?: Promise<{ shaped: Shaped; plain: boolean }>;
}

interface Shaped {
  diagnosis: Diagnosis;
  /** the answer's JSON without its closing brace, encoded, split where ticket.timestamp is the time of the diagnosis */
  head: Buffer[];
  /** the same with null there, stored once per tenant and content */
  stored: StoredResult;
}

/** Stands in for "now" in cached answers; never seen outside this module. */
const NOW_MARK = new Date(1);
const NOW_TOKEN = `\u0001now:${randomUUID()}`;
const NOW_TOKEN_JSON = JSON.stringify(NOW_TOKEN);

function shape(d: Diagnosis): Shaped {
  const json = JSON.stringify(d);
  const parts = json.split(NOW_TOKEN_JSON);
  const last = parts.length - 1;
  return {
    diagnosis: d,
    head: parts.map((p, i) => Buffer.from(i === last ? p.slice(0, -1) : p)),
    stored: storedResult(last === 0 ? json : parts.join('null')),
  };
}

/** Inputs longer than this are diagnosed each time (chat questions and bounces are far shorter). */
const MAX_CACHED_INPUT_CHARS = 16_384;
const CACHE_ENTRIES = 2_000;
interface CacheEntry {
  /** the knowledge cache generation the references came from (a sync starts a new one) */
  kb: unknown;
  det: Promise<Deterministic>;
  settled: boolean;
  /** asked for again while it was computed */
  joined: boolean;
}

const deterministicCache = perContext((ctx) => ({
  lru: new Lru<string, CacheEntry>(CACHE_ENTRIES),
  /** keys asked for once: an input is kept from its second asking on, so one-off texts do not churn the cache */
  seen: new Lru<string, true>(CACHE_ENTRIES * 10),
  lookups: lookupCounters(ctx.metrics.counter('mailmedic_diagnosis_cache_total', 'Deterministic diagnosis cache lookups by result (hit, miss, bypass)', ['result'])),
}));

/** One child per label value, bound once: labelled inc() hashes its labels on every call. */
function lookupCounters(c: Counter<string>) {
  return { hit: c.labels('hit'), miss: c.labels('miss'), bypass: c.labels('bypass') };
}

function cacheKey(input: DiagnosisRequest): string | null {
  const text = input.text ?? '';
  const email = input.email;
  if (text.length + (email?.length ?? 0) > MAX_CACHED_INPUT_CHARS) return null;
  // everything the engine, the references and the stored input depend on (the threshold and the
  // model are the context's own); lengths first, so text and e-mail cannot run into each other.
  // A hash, not the text: the cache must not keep what users paste (passwords, codes) in memory.
  const head = `${input.locale ?? ''}|${input.explain ? 1 : 0}|${input.context ? JSON.stringify(input.context) : ''}|${text.length}|${email === undefined ? '' : `${typeof email}:${email.length}`}|`;
  // the one-shot hash: a third of createHash().update().digest() for inputs this short
  if (typeof email === 'object') return hash('sha256', Buffer.concat([Buffer.from(head + text), email]), 'base64url');
  return hash('sha256', head + text + (email ?? ''), 'base64url');
}

async function deterministic(ctx: AppContext, input: DiagnosisRequest): Promise<Deterministic> {
  const key = cacheKey(input);
  const cache = deterministicCache(ctx);
  if (key === null) {
    cache.lookups.bypass.inc();
    return computeDeterministic(ctx, input);
  }
  const kb = knowledgeGeneration(ctx.db);
  const hit = cache.lru.get(key);
  (hit?.kb === kb ? cache.lookups.hit : cache.lookups.miss).inc();
  if (hit?.kb === kb) {
    if (!hit.settled) hit.joined = true;
    return hit.det;
  }
  // one computation per input at a time: concurrent askers of a new question share it
  const repeated = hit !== undefined || cache.seen.get(key) !== undefined;
  const entry: CacheEntry = { kb, det: computeDeterministic(ctx, input), settled: false, joined: false };
  cache.lru.set(key, entry);
  entry.det.then(
    () => {
      entry.settled = true;
      if (repeated || entry.joined || cache.lru.get(key) !== entry) return;
      cache.lru.delete(key);
      cache.seen.set(key, true);
    },
    () => cache.lru.get(key) === entry && cache.lru.delete(key),
  );
  return entry.det;
}

async function computeDeterministic(ctx: AppContext, input: DiagnosisRequest): Promise<Deterministic> {
  const d = await diagnose(input, { confidenceThreshold: ctx.config.CONFIDENCE_THRESHOLD, now: NOW_MARK });
  if (d.ticket.timestamp === NOW_MARK.toISOString()) d.ticket = { ...d.ticket, timestamp: NOW_TOKEN };
  const inputText = screenedInput(input.text ?? '');
  const references = await referencesFor(ctx, { rootCause: d.rootCause, lang: d.language, query: inputText.slice(0, 500), provider: d.provider });
  const storedInput = JSON.stringify({
    text: inputText || undefined,
    email: input.email === undefined ? undefined : `[${Buffer.byteLength(input.email)} bytes, see evidence]`,
    locale: input.locale,
    context: input.context,
  });
  return { base: { ...d, references }, inputText, storedInput };
}

async function withDomainEvidence(
  ctx: AppContext,
  d: Diagnosis,
  domain: string,
  sendingIp: string | undefined,
  threshold: number,
): Promise<Diagnosis> {
  const candidates = [d.rootCause, ...d.alternatives.map((a) => a.rootCause)].filter((c) => c !== 'unknown');
  let timer: NodeJS.Timeout | undefined;
  const report = await Promise.race([
    runDomainChecks(
      // only the checks that can confirm or refine these candidates (no port-25 probe for a DMARC bounce)
      { domain, lang: d.language, ...(sendingIp ? { sendingIps: [sendingIp] } : {}), ...(candidates.length ? { checks: relevantChecks(candidates) } : {}) },
      domainDeps(ctx),
    ).catch((err: Error) => err),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DOMAIN_CHECK_BUDGET_MS))),
  ]).finally(() => clearTimeout(timer));
  const note = (text: string): Evidence => ({ source: `dns:${domain}`, text: '', note: text });
  if (report === null) return { ...d, evidence: [...d.evidence, note('domain checks took too long and were left out')] };
  if (report instanceof Error) return { ...d, evidence: [...d.evidence, note(`domain checks could not run: ${report.message}`)] };

  const support = evidenceForDiagnosis(candidates.length ? candidates : [d.rootCause], report);
  const out: Diagnosis = { ...d, domainFindings: report.findings };
  const best = support[0];
  if (!best) return out;
  const confirms = best.rootCause === d.rootCause;
  const refines = !confirms && best.confidence >= REFINE_CONFIDENCE;
  if (!confirms && !refines) {
    return { ...out, evidence: [...d.evidence, ...best.evidence] };
  }
  const rootCause = best.rootCause as RootCause;
  const confidence = Math.max(d.confidence, best.confidence);
  const advice = refines ? localize(rootCause, d.language, d.provider) : null;
  const escalate =
    d.escalate.reason === 'low_confidence' && confidence >= threshold ? { needed: false, reason: 'none', priority: 'normal' as const } : d.escalate;
  return {
    ...out,
    rootCause,
    category: categoryOf(rootCause),
    confidence,
    evidence: [...d.evidence, ...best.evidence],
    ...(advice ? { summary: advice.summary, steps: advice.steps } : {}),
    alternatives: refines
      ? [{ rootCause: d.rootCause, confidence: d.confidence }, ...d.alternatives.filter((a) => a.rootCause !== rootCause)]
      : d.alternatives,
    escalate,
    ticket: advice ? { ...d.ticket, problemType: advice.title } : d.ticket,
  };
}
