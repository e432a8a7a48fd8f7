// Chatwoot agent-bot webhook: point the agent bot's outgoing URL here (with this tenant's API key).
import { z } from 'zod';
import { handleChatwootEvent, type ChatwootEvent } from '../../support/chatwoot.js';
import type { RouteModule } from '../types.js';

export const chatwootRoutes: RouteModule = (app, ctx) => {
  app.post('/integrations/chatwoot/webhook', {
    // Chatwoot's agent bot cannot send headers: the key goes in the webhook URL (?api_key=).
    config: { keyInQuery: true },
    schema: {
      tags: ['integrations'],
      summary: "Chatwoot agent-bot events: answers `message_created` through Chatwoot's API, hands over by setting the conversation to open",
      body: z.looseObject({ event: z.string().max(100).optional() }),
    },
  }, async (req) => {
    const outcome = await handleChatwootEvent(ctx, req.auth.tenantId, req.body as ChatwootEvent);
    if (!outcome.handled) return outcome;
    return {
      handled: true, conversationId: outcome.conversationId, replied: outcome.replied, handedOver: outcome.handedOver,
      ticketId: outcome.result?.handoff?.ticketId ?? null,
    };
  });
};
