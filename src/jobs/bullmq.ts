import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue, JobState, Repeat } from './types.js';

const CANCELLED = 'job cancelled';
/** BullMQ refuses ':' in custom job ids (it separates its own key parts). */
const safeId = (id: string) => id.replace(/:/g, '_');

/** BullMQ on Redis: any number of `mailmedic worker` processes on any machine share the queues.
 *  `prefix` namespaces the Redis keys (tests use their own). */
export async function createBullmqQueue(url: string, prefix = 'mailmedic'): Promise<JobQueue> {
  const PREFIX = prefix;
  const CANCEL_CHANNEL = `${PREFIX}:cancel`;
  // ioredis reconnects by itself; without a listener it would print every failed attempt.
  // Commands that fail while Redis is away reject, and /readyz reports the outage.
  const connect = () => {
    const c = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    c.on('error', () => {});
    return c;
  };
  const conn = connect();
  try {
    await conn.connect();
    await conn.ping();
  } catch (err) {
    conn.disconnect();
    throw new Error(`cannot connect to REDIS_URL: ${(err as Error).message}`);
  }
  const queues = new Map<string, Queue>();
  // Schedules live in Redis. A Redis that restarts without persistence forgets them, so every
  // process re-applies the ones it created whenever its connection comes back (upserts: harmless).
  const schedules = new Map<string, () => Promise<unknown>>();
  let lost = false;
  conn.on('close', () => (lost = true));
  conn.on('ready', () => {
    if (!lost) return;
    lost = false;
    for (const apply of schedules.values()) void apply().catch(() => {});
  });
  const handlers = new Map<string, { fn: JobHandler<any>; concurrency: number }>();
  const workers = new Map<string, Worker>();
  // connections we hand to BullMQ Workers: BullMQ does not close connections it was given
  const workerConnections: Redis[] = [];
  let sub: Redis | null = null;

  const queueFor = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: conn, prefix: PREFIX });
      q.on('error', () => {});
      queues.set(name, q);
    }
    return q;
  };

  // The state is read before the job's data, so a job seen as completed also has its result.
  const toInfo = (job: Job, raw: string): JobInfo => {
    let state: JobState =
      raw === 'completed' || raw === 'failed' || raw === 'active' || raw === 'delayed' ? raw : 'waiting';
    if (state === 'failed' && job.failedReason === CANCELLED) state = 'cancelled';
    const progress = typeof job.progress === 'object' && job.progress ? (job.progress as Record<string, unknown>) : null;
    return {
      id: job.id!,
      name: job.name,
      state,
      progress,
      attempts: job.attemptsMade,
      result: job.returnvalue ?? undefined,
      error: job.failedReason || undefined,
    };
  };

  const workerConnection = () => {
    const c = connect();
    workerConnections.push(c);
    return c;
  };

  const bull: JobQueue = {
    kind: 'bullmq',
    define(name, fn, opts) {
      handlers.set(name, { fn, concurrency: opts?.concurrency ?? 1 });
    },
    async enqueue(name, data, opts: EnqueueOptions = {}) {
      const job = await queueFor(name).add(name, data, {
        jobId: opts.jobId === undefined ? undefined : safeId(opts.jobId),
        attempts: opts.attempts ?? 1,
        backoff: { type: 'exponential', delay: opts.backoffMs ?? 1000 },
        delay: opts.delayMs,
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
      });
      return job.id!;
    },
    async schedule(name, scheduleId, repeat: Repeat, data) {
      const opts = 'everyMs' in repeat ? { every: repeat.everyMs } : { pattern: repeat.cron, tz: repeat.tz };
      const apply = () => queueFor(name).upsertJobScheduler(scheduleId, opts, { name, data });
      await apply();
      schedules.set(`${name}/${scheduleId}`, apply);
    },
    async unschedule(name, scheduleId) {
      schedules.delete(`${name}/${scheduleId}`);
      await queueFor(name).removeJobScheduler(scheduleId);
    },
    async cancel(name, id) {
      const job = await queueFor(name).getJob(safeId(id));
      if (!job) return false;
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') return false;
      if (state === 'active') {
        // The job may run on another machine: every worker process listens on this channel.
        await conn.publish(CANCEL_CHANNEL, JSON.stringify({ name, id: job.id }));
        return true;
      }
      await job.remove();
      return true;
    },
    async get(name, id) {
      const queue = queueFor(name);
      const raw = await queue.getJobState(safeId(id));
      if (raw === 'unknown') return null;
      const job = await queue.getJob(safeId(id));
      return job ? toInfo(job, raw) : null;
    },
    async startWorkers() {
      sub = connect();
      await sub.connect();
      await sub.subscribe(CANCEL_CHANNEL);
      sub.on('message', (_channel, message) => {
        try {
          const { name, id } = JSON.parse(message) as { name: string; id: string };
          workers.get(name)?.cancelJob(id, CANCELLED);
        } catch {
          /* malformed message: ignore */
        }
      });
      for (const [name, h] of handlers) {
        const worker = new Worker(
          name,
          async (job: Job, _token?: string, signal?: AbortSignal) => {
            const controller = new AbortController();
            signal?.addEventListener('abort', () => controller.abort(), { once: true });
            try {
              return await h.fn({
                id: job.id!,
                name,
                data: job.data,
                attempt: job.attemptsMade + 1,
                signal: controller.signal,
                progress: (value) => job.updateProgress(value),
              });
            } catch (err) {
              if (controller.signal.aborted) throw new UnrecoverableError(CANCELLED);
              throw err;
            }
          },
          { connection: workerConnection(), prefix: PREFIX, concurrency: h.concurrency },
        );
        worker.on('error', () => {}); // connection errors are retried by ioredis; /readyz reports them
        workers.set(name, worker);
      }
    },
    async counts() {
      const out: Record<string, Partial<Record<JobState, number>>> = {};
      for (const name of new Set([...handlers.keys(), ...queues.keys()])) {
        out[name] = await queueFor(name).getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
      }
      return out;
    },
    async ping() {
      await conn.ping();
    },
    async close(timeoutMs = 25_000) {
      const graceful = Promise.all([...workers.values()].map((w) => w.close()));
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
      if ((await Promise.race([graceful.then(() => 'done' as const), timer])) === 'timeout') {
        await Promise.all([...workers.values()].map((w) => w.close(true)));
      }
      await Promise.all([...queues.values()].map((q) => q.close()));
      for (const c of workerConnections) c.disconnect();
      sub?.disconnect();
      await conn.quit().catch(() => conn.disconnect());
    },
  };
  return bull;
}
