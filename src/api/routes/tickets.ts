// Hand-over tickets for agents: list, read (template, diagnosis, evidence, summary, events,
// webhook deliveries), update, reply to the user, give the conversation back to the bot.
import { z } from 'zod';
import { listDeliveries, transcriptUrl } from '../../support/handoff.js';
import { getTicket, isUuid, listTicketEvents, listTickets } from '../../support/store.js';
import { agentReply, patchTicket } from '../../support/tickets.js';
import { notFound } from '../errors.js';
import type { RouteModule } from '../types.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const Status = z.enum(['open', 'pending', 'resolved', 'closed']);

export const ticketRoutes: RouteModule = (app, ctx) => {
  app.get('/tickets', {
    schema: {
      tags: ['tickets'],
      summary: 'Tickets, most important first (security > outage > config > other)',
      querystring: z.object({
        status: Status.optional(),
        queue: z.string().max(100).optional(),
        mailbox: z.string().max(320).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
    },
  }, async (req) => ({ tickets: await listTickets(ctx.db, req.auth.tenantId, req.query) }));

  app.get('/tickets/:id', {
    schema: { tags: ['tickets'], summary: 'A ticket with its events, transcript link and webhook deliveries', params: Id },
  }, async (req) => {
    const t = await getTicket(ctx.db, req.auth.tenantId, req.params.id);
    if (!t) throw notFound('ticket');
    return {
      ...t,
      events: await listTicketEvents(ctx.db, t.id),
      transcript: t.conversationId ? transcriptUrl(ctx, t.conversationId) : null,
      deliveries: await listDeliveries(ctx.db, req.auth.tenantId, t.id),
    };
  });

  app.patch('/tickets/:id', {
    schema: {
      tags: ['tickets'],
      summary: 'Change status, assignee, priority or queue; resolving (or returnToBot) gives the conversation back to the bot',
      params: Id,
      body: z.object({
        status: Status.optional(),
        assignee: z.string().trim().min(1).max(200).nullable().optional(),
        priority: z.enum(['urgent', 'high', 'normal', 'low']).optional(),
        queue: z.string().trim().min(1).max(100).optional(),
        returnToBot: z.boolean().optional(),
      }).refine((b) => Object.keys(b).length > 0, 'send at least one field to change'),
    },
  }, async (req) => patchTicket(ctx, req.auth.tenantId, req.params.id, req.body, `key:${req.auth.keyId}`));

  app.post('/tickets/:id/replies', {
    schema: {
      tags: ['tickets'],
      summary: "An agent's reply, relayed to the user's conversation (translated to the user's language when a model is configured)",
      params: Id,
      body: z.object({ text: z.string().trim().min(1, 'text must not be empty').max(20_000), agent: z.string().trim().min(1).max(200).optional() }),
    },
  }, async (req) => agentReply(ctx, req.auth.tenantId, req.params.id, { text: req.body.text, agent: req.body.agent ?? `key:${req.auth.keyId}` }));

  app.get('/tickets/:id/deliveries', {
    schema: { tags: ['tickets'], summary: 'Hand-over webhook delivery log of a ticket', params: Id },
  }, async (req) => {
    if (!isUuid(req.params.id) || !(await getTicket(ctx.db, req.auth.tenantId, req.params.id))) throw notFound('ticket');
    return { deliveries: await listDeliveries(ctx.db, req.auth.tenantId, req.params.id) };
  });

  app.get('/handoff/deliveries', {
    schema: {
      tags: ['tickets'],
      summary: 'Hand-over webhook delivery log of the tenant (newest first)',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    },
  }, async (req) => ({ deliveries: await listDeliveries(ctx.db, req.auth.tenantId, undefined, req.query.limit) }));
};
