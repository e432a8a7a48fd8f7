// LLM-written hand-over notes, when a model is configured: queued after the ticket opens, so the
// turn never waits on a model; the deterministic note stays when the model is unavailable.
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { completeJson, llmFor } from '../llm/index.js';
import { listMessages, setTicketSummary, type Ticket } from './store.js';

export const SUMMARY_JOB = 'support.ticket-summary';
const SummaryAnswer = z.object({ summary: z.string().min(1).max(4000) });

export async function enqueueLlmSummary(ctx: AppContext, ticketId: string): Promise<void> {
  if (!llmFor(ctx)) return;
  await ctx.jobs.enqueue(SUMMARY_JOB, { ticketId }, { jobId: `summary-${ticketId}`, attempts: 2, backoffMs: 2000 });
}

export async function writeLlmSummary(ctx: AppContext, ticketId: string): Promise<'ok' | 'skipped'> {
  const r = await ctx.db.query<Pick<Ticket, 'conversationId' | 'diagnosis' | 'template' | 'summary'>>(
    `SELECT conversation_id AS "conversationId", diagnosis, template, summary FROM tickets WHERE id = $1`,
    [ticketId],
  );
  const t = r.rows[0];
  if (!t?.conversationId) return 'skipped';
  const messages = await listMessages(ctx.db, t.conversationId, 200);
  const conversation = messages.map((m) => `${m.role}: ${m.text}`).join('\n');
  const answer = await completeJson(ctx, llmFor(ctx), {
    prompt: 'ticket-summary',
    lang: t.summary.lang,
    schema: SummaryAnswer,
    vars: { conversation, diagnosis: { diagnosis: t.diagnosis, template: t.template } },
  });
  if (!answer.value) return 'skipped';
  await setTicketSummary(ctx.db, ticketId, { text: answer.value.summary, lang: t.summary.lang, source: 'llm' });
  return 'ok';
}
