// Support conversations: the chatbot flow with diagnosis, slot filling and hand-over to a person.
import { z } from 'zod';
import { Lang } from '../../core/taxonomy-schemas.js';
import { createConversation, handleUserMessage } from '../../support/service.js';
import { getConversation, listMessages } from '../../support/store.js';
import { FontMissingError, transcriptJson, transcriptPdf, transcriptText } from '../../support/transcript.js';
import { HttpError, notFound } from '../errors.js';
import type { RouteModule } from '../types.js';

const MAX_TEXT = 20_000;
const MAX_ATTACHMENT = 2 * 1024 * 1024;

const Id = z.object({ id: z.string().min(1).max(64) });

const Attachment = z.object({
  kind: z.enum(['email', 'log', 'text']).optional(),
  name: z.string().max(200).optional(),
  content: z.string().min(1, 'attachment content must not be empty').max(MAX_ATTACHMENT, `an attachment may be at most ${MAX_ATTACHMENT} characters`),
});

export const conversationRoutes: RouteModule = (app, ctx) => {
  app.post('/conversations', {
    schema: {
      tags: ['conversations'],
      summary: 'Start a support conversation',
      body: z.object({
        channel: z.string().trim().min(1).max(50),
        user: z.object({
          mailbox: z.email('user.mailbox must be an e-mail address').max(320).optional(),
          name: z.string().max(200).optional(),
          role: z.enum(['user', 'admin']).default('user'),
          /** the calling system completed a second factor for this user */
          verified: z.boolean().default(false),
          locale: Lang.optional(),
        }).default({ role: 'user', verified: false }),
        metadata: z.record(z.string(), z.unknown()).optional().refine((m) => !m || JSON.stringify(m).length <= 16_384, 'metadata must be at most 16 KB as JSON'),
      }),
    },
  }, async (req, reply) => {
    const c = await createConversation(ctx, req.auth.tenantId, req.body);
    return reply.code(201).send({ id: c.id });
  });

  app.post('/conversations/:id/messages', {
    schema: {
      tags: ['conversations'],
      summary: "Send the user's message; returns the bot's turn (reply, diagnosis, questions, hand-over)",
      params: Id,
      body: z.object({
        text: z.string().max(MAX_TEXT, `text must be at most ${MAX_TEXT} characters`).default(''),
        attachments: z.array(Attachment).max(3, 'at most 3 attachments per message').optional(),
      }).refine((b) => b.text.trim() !== '' || (b.attachments?.length ?? 0) > 0, { message: 'send text or at least one attachment', path: ['text'] }),
    },
  }, async (req) => handleUserMessage(ctx, req.auth.tenantId, req.params.id, req.body));

  app.get('/conversations/:id', {
    schema: { tags: ['conversations'], summary: 'A conversation with its messages (agent replies included)', params: Id },
  }, async (req) => {
    const c = await getConversation(ctx.db, req.auth.tenantId, req.params.id);
    if (!c) throw notFound('conversation');
    const messages = await listMessages(ctx.db, c.id);
    return {
      id: c.id, channel: c.channel, state: c.state, language: c.language, user: c.user, metadata: c.metadata, ticketId: c.ticketId,
      template: c.memory.template, createdAt: c.createdAt, updatedAt: c.updatedAt,
      messages: messages.map((m) => ({ role: m.role, text: m.text, at: m.createdAt })),
    };
  });

  app.get('/conversations/:id/transcript', {
    schema: {
      tags: ['conversations'],
      summary: 'The transcript as text, JSON or PDF (Chinese rendered with a CJK font)',
      params: Id,
      querystring: z.object({ format: z.enum(['txt', 'json', 'pdf']).default('txt') }),
    },
  }, async (req, reply) => {
    const c = await getConversation(ctx.db, req.auth.tenantId, req.params.id);
    if (!c) throw notFound('conversation');
    const messages = await listMessages(ctx.db, c.id);
    const name = `conversation-${c.id}`;
    if (req.query.format === 'json') return transcriptJson(c, messages);
    if (req.query.format === 'txt') {
      return reply.type('text/plain; charset=utf-8').header('content-disposition', `inline; filename="${name}.txt"`).send(transcriptText(c, messages));
    }
    try {
      const pdf = await transcriptPdf(c, messages);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}.pdf"`).send(pdf);
    } catch (err) {
      if (err instanceof FontMissingError) throw new HttpError(501, 'font_missing', err.message);
      throw err;
    }
  });
};
