// Chatwoot agent-bot integration: Chatwoot posts `message_created` events, the bot answers through
// Chatwoot's application API, and a hand-over sets the Chatwoot conversation to `open` so it lands
// in the agents' inbox. An agent setting it back to `pending` returns it to the bot.
import type { AppContext } from '../app/context.js';
import { sendHttp } from '../app/outbound.js';
import { outboundGuard } from '../app/domain-deps.js';
import { getTenant } from '../store/tenants.js';
import { HttpError } from '../api/errors.js';
import { createConversation, handleUserMessage, type TurnResult } from './service.js';
import { chatwootSettingsOf, type ChatwootSettings } from './settings.js';
import { findByExternalKey, type Conversation } from './store.js';
import { patchTicket } from './tickets.js';

export interface ChatwootEvent {
  event?: string;
  id?: number | string;
  content?: string | null;
  message_type?: string | number;
  private?: boolean;
  account?: { id?: number };
  conversation?: { id?: number; status?: string; contact_inbox?: { source_id?: string } };
  sender?: { id?: number; name?: string; email?: string | null; type?: string };
}

export type ChatwootOutcome =
  | { handled: false; ignored: string }
  | { handled: true; conversationId: string; replied: boolean; handedOver: boolean; result: TurnResult | null };

async function chatwootCall(ctx: AppContext, s: ChatwootSettings, path: string, body: unknown): Promise<void> {
  const url = `${s.baseUrl.replace(/\/$/, '')}/api/v1/accounts/${s.accountId}/${path}`;
  let res;
  try {
    res = await sendHttp(url, { guard: outboundGuard(ctx), body: JSON.stringify(body), headers: { 'content-type': 'application/json', api_access_token: s.botToken }, timeoutMs: 10_000 });
  } catch (err) {
    throw new HttpError(502, 'chatwoot_unreachable', `Chatwoot could not be reached: ${(err as Error).message}`);
  }
  if (res.status < 200 || res.status >= 300) throw new HttpError(502, 'chatwoot_error', `Chatwoot answered HTTP ${res.status} to ${path}`);
}

/** Posts a bot message into the Chatwoot conversation behind one of ours (no-op for other channels). */
export async function postToChatwoot(ctx: AppContext, conv: Conversation, text: string): Promise<void> {
  const m = /^chatwoot:\d+:(\d+)$/.exec(conv.externalKey ?? '');
  const settings = m ? chatwootSettingsOf((await getTenant(ctx.db, conv.tenantId))?.settings) : null;
  if (m && settings) await chatwootCall(ctx, settings, `conversations/${m[1]}/messages`, { content: text, message_type: 'outgoing', private: false });
}

const isIncoming = (t: ChatwootEvent['message_type']): boolean => t === 'incoming' || t === 0;

export async function handleChatwootEvent(ctx: AppContext, tenantId: string, ev: ChatwootEvent): Promise<ChatwootOutcome> {
  if (ev.event !== 'message_created') return { handled: false, ignored: `event ${ev.event ?? '(none)'} is not handled` };
  if (!isIncoming(ev.message_type) || ev.private) return { handled: false, ignored: 'not an incoming customer message' };
  const chatId = ev.conversation?.id;
  if (chatId === undefined) throw new HttpError(400, 'bad_request', 'the event has no conversation.id');
  const settings = chatwootSettingsOf((await getTenant(ctx.db, tenantId))?.settings);
  if (!settings) throw new HttpError(409, 'not_configured', 'Chatwoot is not configured for this tenant: PUT /v1/settings/chatwoot with baseUrl, botToken and accountId');
  const key = `chatwoot:${ev.account?.id ?? settings.accountId}:${chatId}`;
  let conv = await findByExternalKey(ctx.db, tenantId, key);
  if (!conv) {
    const email = ev.sender?.email ?? undefined;
    conv = await createConversation(ctx, tenantId, {
      channel: 'chatwoot',
      user: { ...(email ? { mailbox: email } : {}), ...(ev.sender?.name ? { name: ev.sender.name } : {}) },
      metadata: { chatwoot: { accountId: ev.account?.id ?? settings.accountId, conversationId: chatId } },
      externalKey: key,
    }).catch(async (err: unknown) => {
      // two first messages at once: the other one created it
      const existing = await findByExternalKey(ctx.db, tenantId, key);
      if (existing) return existing;
      throw err;
    });
  }
  // An agent put the Chatwoot conversation back to pending: the bot owns it again.
  if (conv.state === 'handoff' && ev.conversation?.status === 'pending' && conv.ticketId) {
    await patchTicket(ctx, tenantId, conv.ticketId, { returnToBot: true }, 'chatwoot');
  }
  const text = (ev.content ?? '').trim();
  if (!text) return { handled: false, ignored: 'empty message' };
  const result = await handleUserMessage(ctx, tenantId, conv.id, { text });
  if (result.reply) {
    await chatwootCall(ctx, settings, `conversations/${chatId}/messages`, { content: result.reply, message_type: 'outgoing', private: false });
  }
  const handedOver = result.handoff !== null;
  if (handedOver) await chatwootCall(ctx, settings, `conversations/${chatId}/toggle_status`, { status: 'open' });
  return { handled: true, conversationId: conv.id, replied: result.reply !== null, handedOver, result };
}
