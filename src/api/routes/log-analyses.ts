// /v1/log-analyses: upload a mail server log (multipart, streamed, gzip accepted), follow the
// analysis job, read the report and page through the parsed deliveries (issue 6). Admin only.
import { rm } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { ROOT_CAUSES } from '../../core/taxonomy.js';
import { LOG_FORMATS } from '../../logs/analyze.js';
import { cancelOrDelete, readAnalysis, readEvents, spoolUpload, startAnalysis, UploadTooLargeError } from '../../logs/service.js';
import { HttpError, notFound } from '../errors.js';
import type { RouteModule, ZodApp } from '../types.js';

const IdParams = z.object({ id: z.uuid({ error: 'must be an analysis id (UUID)' }) });

const AnalysisOut = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  fileName: z.string(),
  format: z.string(),
  sizeBytes: z.number(),
  progress: z.object({ bytes: z.number(), lines: z.number(), totalBytes: z.number() }),
  error: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  /** the LogReport (see src/logs/report.ts) once status is done */
  report: z.unknown().nullable(),
});

const EventOut = z.object({
  at: z.string(), queueId: z.string().nullable(), sender: z.string().nullable(), recipient: z.string(), domain: z.string(),
  status: z.string(), relay: z.string().nullable(), delay: z.number().nullable(), dsn: z.string().nullable(),
  reason: z.string().nullable(), rootCause: z.string().nullable(),
});

export const logAnalysisRoutes: RouteModule = async (app, ctx) => {
  // multipart only in this scope, with the upload limit of this route
  await app.register(async (scope: ZodApp) => {
    await scope.register(multipart, { limits: { fileSize: ctx.config.LOG_UPLOAD_MAX_BYTES, files: 1, fields: 5 } });

    scope.post('/log-analyses', {
      config: { roles: ['admin'] },
      schema: {
        tags: ['logs'],
        summary: 'Upload a Postfix, Exim, Sendmail, Exchange or Microsoft 365 log (multipart field "file", gzip accepted); the analysis runs as a job',
        querystring: z.object({ format: z.enum(LOG_FORMATS).default('auto') }),
        response: { 202: z.object({ id: z.string(), reused: z.boolean() }) },
      },
    }, async (req, reply) => {
      if (!req.isMultipart()) throw new HttpError(415, 'unsupported_media_type', 'send the log as multipart/form-data with a field named "file"');
      const file = await req.file().catch((err: unknown) => { throw multipartError(err); });
      if (!file) throw new HttpError(400, 'validation_error', 'no file in the upload: send a multipart field named "file"');
      let upload;
      try {
        upload = await spoolUpload(file.file, ctx.config.LOG_UPLOAD_MAX_BYTES, ctx.config.LOG_SPOOL_DIR);
      } catch (err) {
        throw multipartError(err);
      }
      if (file.file.truncated || upload.bytes === 0) {
        await rm(upload.path, { force: true }); // refused: nothing stays in the spool
        throw file.file.truncated
          ? new HttpError(413, 'payload_too_large', `the upload exceeds ${ctx.config.LOG_UPLOAD_MAX_BYTES} bytes`)
          : new HttpError(400, 'validation_error', 'the uploaded file is empty');
      }
      const started = await startAnalysis(ctx, req.auth.tenantId, upload, file.filename || 'upload', req.query.format);
      return reply.code(202).send(started);
    });
  });

  app.get('/log-analyses/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['logs'], summary: 'Status, progress and (when done) the report of a log analysis', params: IdParams, response: { 200: AnalysisOut } },
  }, async (req) => {
    const a = await readAnalysis(ctx, req.auth.tenantId, req.params.id);
    if (!a) throw notFound('log analysis');
    return {
      id: a.id, status: a.status as z.infer<typeof AnalysisOut>['status'], fileName: a.fileName, format: a.format, sizeBytes: a.sizeBytes,
      progress: { bytes: a.bytesDone, lines: a.linesDone, totalBytes: a.sizeBytes }, error: a.error,
      createdAt: a.createdAt, finishedAt: a.finishedAt, report: a.status === 'done' ? a.report : null,
    };
  });

  app.delete('/log-analyses/:id', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['logs'], summary: 'Cancel a running analysis (nothing partial is kept) or delete a finished one', params: IdParams,
      response: { 200: z.object({ id: z.string(), result: z.enum(['cancelled', 'deleted']) }) },
    },
  }, async (req) => {
    const result = await cancelOrDelete(ctx, req.auth.tenantId, req.params.id);
    if (!result) throw notFound('log analysis');
    return { id: req.params.id, result };
  });

  app.get('/log-analyses/:id/events', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['logs'],
      summary: 'Page through the parsed deliveries of an analysis, filtered by root cause, recipient domain or status',
      params: IdParams,
      querystring: z.object({
        rootCause: z.enum(ROOT_CAUSES).optional(),
        domain: z.string().max(253).optional(),
        status: z.enum(['sent', 'forwarded', 'deferred', 'bounced', 'expired']).optional(),
        cursor: z.string().regex(/^\d{1,15}$/, 'must be the nextCursor of a previous page').optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: { 200: z.object({ events: z.array(EventOut), nextCursor: z.string().nullable() }) },
    },
  }, async (req) => {
    const a = await readAnalysis(ctx, req.auth.tenantId, req.params.id);
    if (!a) throw notFound('log analysis');
    const q = req.query;
    const page = await readEvents(ctx, req.auth.tenantId, req.params.id, {
      rootCause: q.rootCause, domain: q.domain, status: q.status, cursor: q.cursor === undefined ? undefined : Number(q.cursor), limit: q.limit,
    });
    return page as { events: z.infer<typeof EventOut>[]; nextCursor: string | null };
  });
};

/** Upload problems as 4xx with a message (size limit, broken multipart), never a 500. */
function multipartError(err: unknown): Error {
  if (err instanceof HttpError) return err;
  if (err instanceof UploadTooLargeError) return new HttpError(413, 'payload_too_large', err.message);
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) return new HttpError(413, 'payload_too_large', 'the upload exceeds LOG_UPLOAD_MAX_BYTES');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new HttpError(e.statusCode, 'bad_upload', e.message ?? 'invalid upload');
  if (e.code === 'ECONNRESET' || /aborted|Unexpected end/i.test(e.message ?? '')) return new HttpError(400, 'bad_upload', 'the upload ended early');
  return err instanceof Error ? err : new Error(String(err));
}
