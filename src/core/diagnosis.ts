// The Diagnosis shape returned by /v1/diagnose, the CLI and stored per tenant.
import { z } from 'zod';
import { Category, Lang, ReasonSchema, RootCauseSchema } from './taxonomy-schemas.js';

export const EvidenceSchema = z.object({
  /** where the span came from: 'text', 'email', 'recipient:<addr>', 'dns:<check>', 'log' ... */
  source: z.string(),
  /** the exact span of the input that decided it (already redacted) */
  text: z.string(),
  /** what it proves, e.g. "enhanced status 5.7.26" or "rule google.dmarc" */
  note: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const SmtpInfoSchema = z.object({
  replyCode: z.string().nullable(),
  enhancedStatus: z.string().nullable(),
  statusMeaning: z.string().nullable(),
});

export const RecipientResultSchema = z.object({
  recipient: z.string(),
  action: z.string().nullable(),
  status: z.string().nullable(),
  diagnostic: z.string().nullable(),
  remoteMta: z.string().nullable(),
  reason: ReasonSchema,
  rootCause: RootCauseSchema,
  confidence: z.number(),
});

export const EscalationSchema = z.object({
  needed: z.boolean(),
  reason: z.enum(['none', 'low_confidence', 'security', 'user_request', 'repeated', 'timeout']).or(z.string()),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
});

export const TicketTemplateSchema = z.object({
  problemType: z.string().nullable(),
  mailbox: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorText: z.string().nullable(),
  steps: z.string().nullable(),
  client: z.string().nullable(),
  os: z.string().nullable(),
  network: z.string().nullable(),
  timestamp: z.string().nullable(),
  missing: z.array(z.string()),
});
export type TicketTemplate = z.infer<typeof TicketTemplateSchema>;

export const ReferenceSchema = z.object({
  articleId: z.string(),
  title: z.string(),
  lang: Lang,
  anchor: z.string().nullable(),
  snippet: z.string(),
  score: z.number(),
});
export type Reference = z.infer<typeof ReferenceSchema>;

export const DiagnosisSchema = z.object({
  id: z.string().optional(),
  reason: ReasonSchema,
  rootCause: RootCauseSchema,
  category: Category,
  confidence: z.number().min(0).max(1),
  language: Lang,
  summary: z.string(),
  steps: z.array(z.string()),
  evidence: z.array(EvidenceSchema),
  smtp: SmtpInfoSchema,
  provider: z.string().nullable(),
  recipients: z.array(RecipientResultSchema),
  alternatives: z.array(z.object({ rootCause: RootCauseSchema, confidence: z.number() })),
  escalate: EscalationSchema,
  ticket: TicketTemplateSchema,
  references: z.array(ReferenceSchema),
  /** set by the LLM layer when it ran (issue 5) */
  llm: z.unknown().optional(),
  /** domain check findings used as evidence (issue 7) */
  domainFindings: z.array(z.unknown()).optional(),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
