import { z } from 'zod';
import { DiagnosisSchema } from '../../core/diagnosis.js';
import { Lang } from '../../core/taxonomy-schemas.js';
import { diagnoseToJson, type DiagnosisRequest } from '../../app/diagnose-service.js';
import { diagnosisHistory, findDiagnosis, listDiagnoses } from '../../app/diagnosis-history.js';
import { HttpError, notFound } from '../errors.js';
import type { RouteModule } from '../types.js';

const MAX_TEXT_CHARS = 1024 * 1024;

const Context = z.object({
  mailbox: z.string().max(320).optional(),
  domain: z.string().max(300).optional(),
  sendingIp: z.string().max(64).optional(),
  provider: z.string().max(64).optional(),
  client: z.string().max(200).optional(),
  direction: z.enum(['outbound', 'inbound']).optional(),
});

const Body = z.object({
  text: z.string().max(MAX_TEXT_CHARS, `text is limited to ${MAX_TEXT_CHARS} characters; send the error message and a few lines around it`).optional(),
  email: z.string().optional().describe('the raw bounce message (RFC 5322), as received'),
  locale: Lang.optional(),
  context: Context.optional(),
  explain: z.boolean().optional(),
});

const DiagnosisOut = DiagnosisSchema.extend({ id: z.string() });

export const diagnoseRoutes: RouteModule = (app, ctx) => {
  // A bounce can also be posted as it is (message/rfc822), and a chat line as text/plain.
  app.addContentTypeParser(['message/rfc822', 'text/plain'], { parseAs: 'buffer' }, (req, body, done) => {
    const type = req.headers['content-type'] ?? '';
    done(null, type.startsWith('message/rfc822') ? { email: body.toString('latin1') } : { text: body.toString('utf8') });
  });

  // answers already sent are stored before the app (and then the database) closes
  app.addHook('onClose', () => diagnosisHistory(ctx).flush());

  app.post('/diagnose', {
    // The engine's output is typed and schema-tested; the service hands over the answer as JSON
    // (mostly cached), so it is neither re-validated nor serialized again here. The schema still
    // documents the response in /docs.
    serializerCompiler: () => (data) => JSON.stringify(data),
    schema: {
      tags: ['diagnosis'],
      summary: 'Diagnose an SMTP error, a pasted bounce text or a raw bounce e-mail',
      description:
        'Returns the root cause, fix steps in the user\'s language, the evidence, a confidence, knowledge references and whether to hand over to a human, with the problem template filled in. JSON body, or the raw bounce as message/rfc822, or the text as text/plain.',
      body: Body,
      response: { 200: DiagnosisOut },
    },
  }, async (req, reply) => {
    const body = req.body as DiagnosisRequest;
    const hasText = typeof body.text === 'string' && body.text.trim() !== '';
    const hasEmail = typeof body.email === 'string' && body.email.trim() !== '';
    if (!hasText && !hasEmail) {
      throw new HttpError(400, 'validation_error', 'nothing to diagnose: send "text" (the error the user saw) or "email" (the raw bounce message)');
    }
    const { json } = await diagnoseToJson(ctx, req.auth.tenantId, { ...body, ...(hasText ? {} : { text: undefined }), ...(hasEmail ? {} : { email: undefined }) }, { source: 'api' });
    // JSON bytes with a JSON content type go out as they are (the typed schema describes what they hold)
    return reply.type('application/json; charset=utf-8').send(json as never);
  });

  app.get('/diagnoses', {
    schema: {
      tags: ['diagnosis'],
      summary: "This tenant's stored diagnoses, newest first",
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        before: z.coerce.date().optional(),
        rootCause: z.string().max(64).optional(),
      }),
    },
  }, async (req) => {
    return { diagnoses: await listDiagnoses(ctx, req.auth.tenantId, req.query) };
  });

  app.get('/diagnoses/:id', {
    schema: { tags: ['diagnosis'], summary: 'One stored diagnosis with its (redacted) input', params: z.object({ id: z.uuid() }) },
  }, async (req) => {
    const row = await findDiagnosis(ctx, req.auth.tenantId, req.params.id);
    if (!row) throw notFound('diagnosis');
    return { id: req.params.id, createdAt: row.createdAt, input: row.input, diagnosis: row.result };
  });
};
