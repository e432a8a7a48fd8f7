// Log analysis as a tenant-scoped service: uploads are spooled to disk (hashing as they stream),
// analysed by a job (BullMQ or in-process), and the report plus every parsed delivery are stored.
// Re-uploading the same bytes with the same format reuses the finished report.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../app/context.js';
import type { JobContext } from '../jobs/types.js';
import type { Queryable } from '../store/db.js';
import { z } from 'zod';
import { redact } from '../core/redact.js';
import { completeJson, llmFor } from '../llm/index.js';
import { analyzeInputs, LogInputError, type LogFormat } from './analyze.js';
import type { DeliveryEvent } from './tally.js';
import type { LogReport } from './report.js';

export const LOG_ANALYSIS_JOB = 'log-analysis';

interface JobData { tenantId: string; analysisId: string; path: string; format: LogFormat }

export class UploadTooLargeError extends Error {}
class SpoolMissingError extends Error {}

/**
 * Streams an upload to the spool (LOG_SPOOL_DIR: workers on other hosts need it shared) while
 * hashing it; enforces the byte limit.
 */
export async function spoolUpload(source: Readable, maxBytes: number, dir: string): Promise<{ path: string; sha256: string; bytes: number }> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, randomUUID());
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) return cb(new UploadTooLargeError(`the upload exceeds LOG_UPLOAD_MAX_BYTES (${maxBytes} bytes)`));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return { path, sha256: hash.digest('hex'), bytes };
}

/** Creates the analysis (or finds the finished one for the same bytes) and enqueues its job. */
export async function startAnalysis(
  ctx: AppContext, tenantId: string, upload: { path: string; sha256: string; bytes: number }, fileName: string, format: LogFormat,
): Promise<{ id: string; reused: boolean }> {
  const prior = await ctx.db.query<{ id: string }>(
    `SELECT id FROM log_analyses WHERE tenant_id = $1 AND sha256 = $2 AND format = $3 AND status = 'done' ORDER BY created_at DESC LIMIT 1`,
    [tenantId, upload.sha256, format],
  );
  if (prior.rows[0]) {
    await rm(upload.path, { force: true });
    return { id: prior.rows[0].id, reused: true };
  }
  const r = await ctx.db.query<{ id: string }>(
    `INSERT INTO log_analyses (tenant_id, file_name, format, size_bytes, sha256, status) VALUES ($1, $2, $3, $4, $5, 'queued') RETURNING id`,
    [tenantId, fileName.slice(0, 500), format, upload.bytes, upload.sha256],
  );
  const id = r.rows[0]!.id;
  await ctx.jobs.enqueue<JobData>(LOG_ANALYSIS_JOB, { tenantId, analysisId: id, path: upload.path, format }, { jobId: id });
  return { id, reused: false };
}

/** Cancels a queued/running analysis (nothing partial stays) or deletes a finished one. */
export async function cancelOrDelete(ctx: AppContext, tenantId: string, id: string): Promise<'cancelled' | 'deleted' | null> {
  const r = await ctx.db.query<{ status: string }>('SELECT status FROM log_analyses WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  const row = r.rows[0];
  if (!row) return null;
  if (row.status === 'queued' || row.status === 'running') {
    await ctx.db.query(`UPDATE log_analyses SET status = 'cancelled', finished_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    await ctx.jobs.cancel(LOG_ANALYSIS_JOB, id);
    await ctx.db.query('DELETE FROM log_events WHERE tenant_id = $1 AND analysis_id = $2', [tenantId, id]);
    return 'cancelled';
  }
  await ctx.db.query('DELETE FROM log_analyses WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return 'deleted';
}

const EVENT_BATCH = 500;
/** Longest stretch of parsing between two turns of the event loop (ms). */
const SLICE_MS = 2;

/** One statement per batch, the columns as arrays (a VALUES list cost ~45% more per row on PGlite). */
async function insertEvents(q: Queryable, tenantId: string, analysisId: string, firstSeq: number, events: DeliveryEvent[]): Promise<void> {
  if (events.length === 0) return;
  const col = <T>(f: (e: DeliveryEvent) => T): T[] => events.map(f);
  await q.query(
    `INSERT INTO log_events (tenant_id, analysis_id, seq, at, queue_id, sender, recipient, domain, status, relay, delay_s, dsn, reason, root_cause)
     SELECT $1, $2, $3 + n - 1, at, queue_id, sender, recipient, domain, status, relay, delay_s, dsn, reason, root_cause
     FROM unnest($4::timestamp[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::real[], $12::text[], $13::text[], $14::text[])
       WITH ORDINALITY AS e(at, queue_id, sender, recipient, domain, status, relay, delay_s, dsn, reason, root_cause, n)`,
    [
      tenantId, analysisId, firstSeq,
      col((e) => new Date(e.t).toISOString().slice(0, 23)), col((e) => e.qid || null), col((e) => e.sender), col((e) => e.recipient),
      col((e) => e.domain), col((e) => e.status), col((e) => e.relay || null), col((e) => e.delay), col((e) => e.dsn),
      col((e) => (e.reason === null ? null : redact(e.reason).text)), col((e) => e.rootCause),
    ],
  );
}

async function runJob(ctx: AppContext, job: JobContext<JobData>): Promise<unknown> {
  const { tenantId, analysisId, path, format } = job.data;
  const db = ctx.db;
  const still = await db.query<{ status: string }>('SELECT status FROM log_analyses WHERE tenant_id = $1 AND id = $2', [tenantId, analysisId]);
  if (still.rows[0]?.status !== 'queued' && still.rows[0]?.status !== 'running') {
    await rm(path, { force: true });
    return { skipped: true };
  }
  await db.query(`UPDATE log_analyses SET status = 'running' WHERE id = $1`, [analysisId]);
  await db.query('DELETE FROM log_events WHERE analysis_id = $1', [analysisId]); // a retried attempt starts clean
  let pending: DeliveryEvent[] = [];
  let seq = 0;
  let lastProgress = 0;
  let progress = { bytes: 0, lines: 0 };
  const write = async (batch: DeliveryEvent[], first: number, done: typeof progress | null): Promise<void> => {
    await insertEvents(db, tenantId, analysisId, first, batch);
    if (done) {
      await db.query('UPDATE log_analyses SET bytes_done = $2, lines_done = $3 WHERE id = $1', [analysisId, done.bytes, done.lines]);
      await job.progress(done);
    }
  };
  // Writes go out in order, one at a time, while the parsing goes on: waiting for the previous
  // write only, one batch overlaps the reading of the next (the database works on its own thread
  // or server). A failed write fails the analysis at the next flush or at the end.
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const batch = pending;
    pending = [];
    const done = Date.now() - lastProgress > 1000 ? { ...progress } : null; // progress to store with this batch
    if (done) lastProgress = Date.now();
    const first = seq;
    seq += batch.length;
    const before = writing;
    writing = before.then(() => write(batch, first, done));
    writing.catch(() => {}); // awaited later; not unhandled meanwhile
    return before;
  };
  // With in-process jobs the parsing shares the API's thread: it gives way every SLICE_MS.
  let sliceStart = performance.now();
  const newSlice = (): void => { sliceStart = performance.now(); };
  const afterChunk = (): Promise<void> | undefined => {
    if (pending.length >= EVENT_BATCH || Date.now() - lastProgress > 1000) return flush().then(newSlice);
    if (performance.now() - sliceStart > SLICE_MS) return new Promise<void>((resolve) => setImmediate(resolve)).then(newSlice);
    return undefined;
  };
  try {
    const size = await stat(path).then((st) => st.size, (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      // an operator's set-up problem, not the user's file: said plainly in the analysis and the log
      ctx.log.error({ analysisId, path }, 'uploaded log not found: API and log workers must share LOG_SPOOL_DIR');
      throw new SpoolMissingError('the uploaded file is not on the host that ran the analysis (LOG_SPOOL_DIR must be a directory the API and the workers share); upload it again once that is fixed');
    });
    const report: LogReport = await analyzeInputs([{ name: 'upload', path, size }], {
      format, signal: job.signal, knowledgeDir: ctx.config.KNOWLEDGE_DIR,
      onProgress: (p) => { progress = { bytes: p.bytes, lines: p.lines }; },
      onDelivery: (e) => { pending.push(e); },
      afterChunk,
    });
    if (job.signal.aborted) throw job.signal.reason ?? new Error('cancelled');
    await narrateIncidents(ctx, report);
    lastProgress = 0;
    await flush();
    await writing;
    await db.query(
      `UPDATE log_analyses SET status = 'done', finished_at = now(), report = $2, bytes_done = size_bytes, lines_done = $3
       WHERE id = $1 AND status = 'running'`,
      [analysisId, JSON.stringify(report), report.input.lines],
    );
    return { lines: report.input.lines };
  } catch (err) {
    pending = [];
    await writing.catch(() => {}); // a write still in flight would land after the clean-up
    await db.query('DELETE FROM log_events WHERE analysis_id = $1', [analysisId]);
    if (job.signal.aborted) {
      await db.query(`UPDATE log_analyses SET status = 'cancelled', finished_at = now() WHERE id = $1`, [analysisId]);
      return { cancelled: true };
    }
    // Bad input is the user's to fix (a clear message); anything else is ours (generic message, logged).
    const told = err instanceof LogInputError || err instanceof SpoolMissingError;
    const message = told ? err.message : 'the analysis failed unexpectedly';
    if (!told) ctx.log.error({ err, analysisId }, 'log analysis failed');
    await db.query(`UPDATE log_analyses SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [analysisId, message]);
    return { failed: message };
  } finally {
    await rm(path, { force: true });
  }
}

const NarrativeSchema = z.object({ narrative: z.string().trim().min(1).max(2000) });
const MAX_NARRATED = 5;

/**
 * With an LLM configured, the largest incidents get a short root-cause narrative (prompt
 * log-incident-rca). The model sees the analyzer's finding and redacted evidence only; without a
 * model, or when it fails, the report simply has no narrative.
 */
export async function narrateIncidents(ctx: AppContext, report: LogReport): Promise<void> {
  const llm = llmFor(ctx);
  if (!llm) return;
  for (const inc of report.incidents.slice(0, MAX_NARRATED)) {
    const r = await completeJson(ctx, llm, {
      prompt: 'log-incident-rca',
      lang: 'en',
      schema: NarrativeSchema,
      vars: {
        incident: {
          headline: inc.headline, rootCause: inc.rootCause, category: inc.category, scope: inc.scope, target: inc.target,
          start: inc.start, end: inc.end, messages: inc.count, affectedSenders: inc.affectedSenders,
          affectedRecipients: inc.affectedRecipients, enhancedStatus: inc.enhancedStatus, fixSteps: inc.steps,
        },
        excerpts: inc.evidence.join('\n'),
        knowledge: inc.references.map((ref) => `[${ref.articleId}] ${ref.path}`).join('\n') || '(none)',
      },
    });
    if (r.value) inc.narrative = r.value.narrative;
  }
}

/** Registers the job handler (called by src/app/jobs.ts). */
export function defineLogJobs(ctx: AppContext): void {
  ctx.jobs.define<JobData>(LOG_ANALYSIS_JOB, (job) => runJob(ctx, job), { concurrency: 1 });
}

export interface AnalysisRow {
  id: string; status: string; fileName: string; format: string; sizeBytes: number; sha256: string;
  bytesDone: number; linesDone: number; error: string | null; report: LogReport | null; createdAt: Date; finishedAt: Date | null;
}

export async function readAnalysis(ctx: AppContext, tenantId: string, id: string): Promise<AnalysisRow | null> {
  const r = await ctx.db.query<AnalysisRow>(
    `SELECT id, status, file_name AS "fileName", format, size_bytes::float8 AS "sizeBytes", sha256, bytes_done::float8 AS "bytesDone",
            lines_done::float8 AS "linesDone", error, report, created_at AS "createdAt", finished_at AS "finishedAt"
     FROM log_analyses WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return r.rows[0] ?? null;
}

export interface EventFilter { rootCause?: string; domain?: string; status?: string; cursor?: number; limit: number }

export async function readEvents(ctx: AppContext, tenantId: string, id: string, f: EventFilter) {
  const where = ['tenant_id = $1', 'analysis_id = $2', 'seq > $3'];
  const params: unknown[] = [tenantId, id, f.cursor ?? -1];
  if (f.rootCause) { params.push(f.rootCause); where.push(`root_cause = $${params.length}`); }
  if (f.domain) { params.push(f.domain.toLowerCase()); where.push(`domain = $${params.length}`); }
  if (f.status) { params.push(f.status); where.push(`status = $${params.length}`); }
  params.push(f.limit + 1);
  const r = await ctx.db.query<{ seq: string } & Record<string, unknown>>(
    `SELECT seq::text AS seq, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS') AS at, queue_id AS "queueId", sender, recipient, domain, status, relay,
            delay_s AS "delay", dsn, reason, root_cause AS "rootCause"
     FROM log_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
    params,
  );
  const rows = r.rows.slice(0, f.limit);
  const next = r.rows.length > f.limit ? rows[rows.length - 1]!.seq : null;
  return { events: rows.map(({ seq: _seq, ...e }) => e), nextCursor: next };
}
