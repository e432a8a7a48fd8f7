// One diagnosis as the API and the chatbot flow give it: the deterministic engine, then domain
// checks as evidence (when a domain is named), knowledge references, the optional LLM, and storage.
import { randomUUID } from 'node:crypto';
import type { Diagnosis, Evidence } from '../core/diagnosis.js';
import { categoryOf, type RootCause } from '../core/taxonomy.js';
import { diagnose, screenedInput, type DiagnoseContext, type DiagnoseInput } from '../diagnosis/index.js';
import { localize } from '../diagnosis/steps/index.js';
import { evidenceForDiagnosis, relevantChecks, runDomainChecks } from '../dns/index.js';
import { domainDeps } from './domain-deps.js';
import { referencesFor } from '../knowledge/index.js';
import { explainDiagnosis, llmFor } from '../llm/index.js';
import { createBatcher } from '../store/batch.js';
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

export async function runDiagnosis(
  ctx: AppContext,
  tenantId: string,
  input: DiagnosisRequest,
  opts: { source: 'api' | 'conversation' | 'cli' },
): Promise<Diagnosis & { id: string }> {
  const threshold = ctx.config.CONFIDENCE_THRESHOLD;
  let d = await diagnose(input, { confidenceThreshold: threshold });
  if (input.context?.domain) d = await withDomainEvidence(ctx, d, input.context.domain, input.context.sendingIp, threshold);
  // what the engine read (no NUL, which PostgreSQL text cannot hold; no secrets)
  const inputText = screenedInput(input.text ?? '');
  d.references = await referencesFor(ctx, { rootCause: d.rootCause, lang: d.language, query: inputText.slice(0, 500), provider: d.provider });
  d = await explainDiagnosis(ctx, llmFor(ctx), { diagnosis: d, inputText, references: d.references, explain: input.explain ?? false, threshold });

  const stored = {
    text: inputText || undefined,
    email: input.email === undefined ? undefined : `[${Buffer.byteLength(input.email)} bytes, see evidence]`,
    locale: input.locale,
    context: input.context,
  };
  const id = await storeFor(ctx)({ tenantId, source: opts.source, input: JSON.stringify(stored), diagnosis: d });
  return { ...d, id };
}

interface StoredDiagnosis {
  tenantId: string;
  source: string;
  input: string;
  diagnosis: Diagnosis;
}

/** Diagnoses are written in groups (one statement for all that arrive together). */
const storeFor = perContext((ctx) =>
  createBatcher<StoredDiagnosis, string>(async (rows) => {
    // one VALUES row per diagnosis, each value its own parameter (no array encoding of large JSON)
    const ids = rows.map(() => randomUUID());
    const params: unknown[] = [];
    const values = rows.map((x, i) => {
      params.push(ids[i], x.tenantId, x.source, x.input, x.diagnosis.rootCause, x.diagnosis.reason, x.diagnosis.confidence, JSON.stringify(x.diagnosis));
      const b = i * 8;
      return `($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}::jsonb, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}::jsonb)`;
    });
    await ctx.db.query(
      `INSERT INTO diagnoses (id, tenant_id, source, input, root_cause, reason, confidence, result) VALUES ${values.join(', ')}`,
      params,
    );
    return ids;
  }, 100),
);

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
