// Agent-side ticket operations: status/assignee/priority changes, replies relayed to the user's
// conversation (translated when a model is configured), and handing a conversation back to the bot.
import type { AppContext } from '../app/context.js';
import { redact } from '../core/redact.js';
import { llmFor, translate } from '../llm/index.js';
import { notFound } from '../api/errors.js';
import { getTenant } from '../store/tenants.js';
import { nowOf } from './clock.js';
import { idleSecondsOf, scheduleIdleOffer } from './idle.js';
import type { Priority } from './policy.js';
import {
  addMessages, addTicketEvent, conversationsOfTicket, getTicket, updateTicket, type Ticket, type TicketStatus,
} from './store.js';

export interface TicketPatch {
  status?: TicketStatus;
  assignee?: string | null;
  priority?: Priority;
  queue?: string;
  /** give the conversation back to the bot while the ticket stays open */
  returnToBot?: boolean;
}

const CLOSED: TicketStatus[] = ['resolved', 'closed'];

export async function patchTicket(ctx: AppContext, tenantId: string, id: string, patch: TicketPatch, actor: string): Promise<Ticket> {
  const now = nowOf(ctx);
  let returned: string[] = [];
  const ticket = await ctx.db.tx(async (q) => {
    const updated = await updateTicket(q, tenantId, id, patch, now);
    if (!updated) return null;
    const { returnToBot, ...changes } = patch;
    if (Object.keys(changes).length) await addTicketEvent(q, id, { kind: 'updated', actor, data: changes, at: now });
    if (returnToBot || (patch.status && CLOSED.includes(patch.status))) {
      // The bot speaks again from a fresh episode (no pending questions or offers), template kept.
      const back = await q.query<{ id: string }>(
        `UPDATE conversations SET state = 'bot', version = version + 1, updated_at = $2,
                memory = memory || jsonb_build_object('since', $3::text, 'expecting', '[]'::jsonb, 'offeredHuman', false,
                                                      'botAnswers', 0, 'askRounds', 0, 'recent', '[]'::jsonb)
         WHERE ticket_id = $1 AND state = 'handoff' RETURNING id`,
        [id, now, now.toISOString()],
      );
      returned = back.rows.map((r) => r.id);
      await addTicketEvent(q, id, { kind: 'returned_to_bot', actor, at: now });
    }
    return updated;
  });
  if (!ticket) throw notFound('ticket');
  if (returned.length) {
    const idle = idleSecondsOf(ctx, (await getTenant(ctx.db, tenantId))?.settings);
    for (const conversationId of returned) await scheduleIdleOffer(ctx, { tenantId, conversationId, since: now.toISOString() }, idle);
  }
  return ticket;
}

export interface AgentReplyResult {
  delivered: { conversationId: string; language: string; text: string; translated: boolean }[];
}

/** Relays an agent's reply to every conversation on the ticket, in each user's language. */
export async function agentReply(ctx: AppContext, tenantId: string, id: string, input: { text: string; agent: string }): Promise<AgentReplyResult> {
  const ticket = await getTicket(ctx.db, tenantId, id);
  if (!ticket) throw notFound('ticket');
  const text = redact(input.text).text;
  const conversations = await conversationsOfTicket(ctx.db, id);
  const llm = llmFor(ctx);
  const delivered: AgentReplyResult['delivered'] = [];
  for (const c of conversations) {
    const t = await translate(ctx, llm, { text, target: c.language });
    const translated = t.status === 'ok' || t.status === 'cached';
    delivered.push({ conversationId: c.id, language: c.language, text: t.text, translated });
  }
  const now = nowOf(ctx);
  await ctx.db.tx(async (q) => {
    for (const d of delivered) {
      await addMessages(q, d.conversationId, [{ role: 'agent', text: d.text, data: { agent: input.agent, ticketId: id, ...(d.translated ? { original: text } : {}) }, at: now }]);
    }
    await addTicketEvent(q, id, { kind: 'agent_reply', actor: input.agent, data: { text, conversations: delivered.map((d) => d.conversationId) }, at: now });
  });
  return { delivered };
}
