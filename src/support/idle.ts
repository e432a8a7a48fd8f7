// The idle offer: when a conversation is still unresolved a while (HANDOFF_IDLE_SECONDS, or the
// tenant's support.idleSeconds) after it started, the bot offers a person on its own, without
// waiting for the user's next message. One delayed job per bot episode (creation, or an agent
// handing the conversation back); the user's next turn makes the same offer if this one was missed.
import type { AppContext } from '../app/context.js';
import { getTenant } from '../store/tenants.js';
import { nowOf } from './clock.js';
import { TEXT } from './messages.js';
import { supportSettingsOf } from './settings.js';
import { getConversation, saveTurn, type Conversation } from './store.js';

export const IDLE_JOB = 'support.idle-offer';

export interface IdleJob {
  tenantId: string;
  conversationId: string;
  /** the bot episode the job belongs to (memory.since) */
  since: string;
}

export function idleSecondsOf(ctx: AppContext, tenantSettings: Record<string, unknown> | undefined): number {
  return supportSettingsOf(tenantSettings).idleSeconds ?? ctx.config.HANDOFF_IDLE_SECONDS;
}

export async function scheduleIdleOffer(ctx: AppContext, job: IdleJob, idleSeconds: number): Promise<void> {
  await ctx.jobs.enqueue(IDLE_JOB, job, { jobId: `idle-${job.conversationId}-${Date.parse(job.since)}`, delayMs: idleSeconds * 1000, attempts: 1 });
}

/** Posts the offer when the episode is still open, unresolved and not offered yet; returns the conversation it spoke in. */
export async function offerHumanIfIdle(ctx: AppContext, job: IdleJob, post?: (conv: Conversation, text: string) => Promise<void>): Promise<'offered' | 'skipped'> {
  const conv = await getConversation(ctx.db, job.tenantId, job.conversationId);
  if (!conv || conv.state !== 'bot' || conv.memory.since !== job.since || conv.memory.offeredHuman || conv.memory.userTurns === 0) return 'skipped';
  const now = nowOf(ctx);
  const idleSeconds = idleSecondsOf(ctx, (await getTenant(ctx.db, job.tenantId))?.settings);
  if (now.getTime() - Date.parse(conv.memory.since) < idleSeconds * 1000) return 'skipped';
  const text = TEXT.offerHuman[conv.language];
  const memory = { ...conv.memory, offeredHuman: true };
  // A user turn landing at the same moment wins; it makes the offer itself.
  if (!(await saveTurn(ctx.db, { ...conv, memory }, [{ role: 'bot', text, data: { action: 'offer' }, at: now }], now))) return 'skipped';
  await post?.(conv, text);
  return 'offered';
}
