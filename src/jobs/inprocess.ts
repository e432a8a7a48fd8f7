import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue, JobState, Repeat } from './types.js';

interface Entry {
  info: JobInfo;
  data: unknown;
  opts: EnqueueOptions;
  controller: AbortController;
  timer?: NodeJS.Timeout;
  finishedAt?: number;
}

const KEEP_FINISHED_MS = 60 * 60 * 1000;

/** Jobs run in this process: the embedded default. State lives in memory (lost on restart), which is
 *  why durable state (analysis status, alerts) is kept in the database by the handlers themselves. */
export function createInProcessQueue(): JobQueue {
  const handlers = new Map<string, { fn: JobHandler<any>; concurrency: number; running: number; queue: Entry[] }>();
  const jobs = new Map<string, Entry>(); // key name/id
  const schedules = new Map<string, NodeJS.Timeout>();
  let started = false;
  let closing = false;
  const active = new Set<Promise<void>>();

  const key = (name: string, id: string) => `${name}/${id}`;

  function pump(name: string) {
    const h = handlers.get(name);
    if (!h || !started || closing) return;
    while (h.running < h.concurrency && h.queue.length) {
      const entry = h.queue.shift()!;
      if (entry.info.state === 'cancelled') continue;
      h.running++;
      const p = run(entry, h.fn).finally(() => {
        h.running--;
        active.delete(p);
        pump(name);
      });
      active.add(p);
    }
  }

  async function run(entry: Entry, fn: JobHandler<any>) {
    const { info } = entry;
    info.state = 'active';
    info.attempts++;
    try {
      info.result = await fn({
        id: info.id,
        name: info.name,
        data: entry.data,
        attempt: info.attempts,
        signal: entry.controller.signal,
        progress: async (value) => {
          info.progress = value;
        },
      });
      info.state = entry.controller.signal.aborted ? 'cancelled' : 'completed';
    } catch (err) {
      info.error = (err as Error).message;
      if (entry.controller.signal.aborted) info.state = 'cancelled';
      else if (info.attempts < (entry.opts.attempts ?? 1) && !closing) {
        info.state = 'delayed';
        const wait = (entry.opts.backoffMs ?? 1000) * 2 ** (info.attempts - 1);
        entry.timer = setTimeout(() => submit(entry), wait);
        return;
      } else info.state = 'failed';
    }
    entry.finishedAt = Date.now();
    sweep();
  }

  function submit(entry: Entry) {
    entry.info.state = 'waiting';
    const h = handlers.get(entry.info.name);
    if (!h) throw new Error(`no handler defined for job "${entry.info.name}"`);
    h.queue.push(entry);
    pump(entry.info.name);
  }

  function sweep() {
    const cutoff = Date.now() - KEEP_FINISHED_MS;
    for (const [k, e] of jobs) if (e.finishedAt && e.finishedAt < cutoff) jobs.delete(k);
  }

  function nextDelay(repeat: Repeat): number {
    if ('everyMs' in repeat) return repeat.everyMs;
    const next = CronExpressionParser.parse(repeat.cron, { tz: repeat.tz }).next().getTime();
    return Math.max(0, next - Date.now());
  }

  const queue: JobQueue = {
    kind: 'inprocess',
    define(name, fn, opts) {
      handlers.set(name, { fn, concurrency: opts?.concurrency ?? 1, running: 0, queue: [] });
    },
    async enqueue(name, data, opts = {}) {
      if (closing) throw new Error('job queue is shutting down');
      const id = opts.jobId ?? randomUUID();
      const existing = jobs.get(key(name, id));
      if (existing && !existing.finishedAt) return id;
      const entry: Entry = {
        info: { id, name, state: 'waiting', progress: null, attempts: 0 },
        data,
        opts,
        controller: new AbortController(),
      };
      jobs.set(key(name, id), entry);
      if (opts.delayMs) {
        entry.info.state = 'delayed';
        entry.timer = setTimeout(() => submit(entry), opts.delayMs);
      } else submit(entry);
      return id;
    },
    async schedule(name, scheduleId, repeat, data) {
      if ('cron' in repeat) CronExpressionParser.parse(repeat.cron, { tz: repeat.tz }); // validate now
      await queue.unschedule(name, scheduleId);
      const tick = () => {
        const t = setTimeout(() => {
          // One run per tick: the id makes a slow run and the next tick not overlap.
          void queue.enqueue(name, data, { jobId: `${scheduleId}:${Date.now()}` }).catch(() => {});
          tick();
        }, nextDelay(repeat));
        t.unref();
        schedules.set(key(name, scheduleId), t);
      };
      tick();
    },
    async unschedule(name, scheduleId) {
      const t = schedules.get(key(name, scheduleId));
      if (t) clearTimeout(t);
      schedules.delete(key(name, scheduleId));
    },
    async cancel(name, id) {
      const entry = jobs.get(key(name, id));
      if (!entry || entry.finishedAt) return false;
      if (entry.timer) clearTimeout(entry.timer);
      const wasActive = entry.info.state === 'active';
      entry.info.state = 'cancelled';
      entry.controller.abort();
      if (!wasActive) entry.finishedAt = Date.now();
      return true;
    },
    async get(name, id) {
      const e = jobs.get(key(name, id));
      return e ? { ...e.info } : null;
    },
    async startWorkers() {
      started = true;
      for (const name of handlers.keys()) pump(name);
    },
    async counts() {
      const out: Record<string, Partial<Record<JobState, number>>> = {};
      for (const e of jobs.values()) {
        const c = (out[e.info.name] ??= {});
        c[e.info.state] = (c[e.info.state] ?? 0) + 1;
      }
      return out;
    },
    async ping() {},
    async close(timeoutMs = 25_000) {
      closing = true;
      for (const t of schedules.values()) clearTimeout(t);
      for (const e of jobs.values()) if (e.timer) clearTimeout(e.timer);
      const all = Promise.all([...active]);
      const timer = new Promise((r) => setTimeout(r, timeoutMs).unref());
      if ((await Promise.race([all.then(() => 'done'), timer])) !== 'done') {
        for (const e of jobs.values()) if (e.info.state === 'active') e.controller.abort();
        await all;
      }
    },
  };
  return queue;
}
