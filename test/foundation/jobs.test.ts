import { afterEach, describe, expect, it } from 'vitest';
import type { JobQueue } from '../../src/jobs/index.js';
import { JOB_BACKENDS, openTestJobs } from '../helpers/backends.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms: ${JSON.stringify(v)}`);
    await sleep(25);
  }
}

describe.each(JOB_BACKENDS)('job queue: %s', (backend) => {
  const open: JobQueue[] = [];
  const make = async () => {
    const q = await openTestJobs(backend);
    open.push(q);
    return q;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close(2000)));
  });

  it('runs a job with progress and returns its result', async () => {
    const q = await make();
    q.define<{ n: number }>('double', async (job) => {
      await job.progress({ step: 'half' });
      return job.data.n * 2;
    });
    await q.startWorkers();
    const id = await q.enqueue('double', { n: 21 });
    const info = await waitFor(() => q.get('double', id), (i) => i?.state === 'completed');
    expect(info!.result).toBe(42);
    expect(info!.progress).toEqual({ step: 'half' });
  });

  it('retries failed jobs with backoff, then fails', async () => {
    const q = await make();
    let calls = 0;
    q.define('flaky', async (job) => {
      calls++;
      if (job.attempt < 3) throw new Error(`try ${job.attempt}`);
      return 'ok';
    });
    q.define('hopeless', async () => {
      throw new Error('always');
    });
    await q.startWorkers();
    const a = await q.enqueue('flaky', {}, { attempts: 3, backoffMs: 20 });
    const b = await q.enqueue('hopeless', {}, { attempts: 2, backoffMs: 20 });
    expect((await waitFor(() => q.get('flaky', a), (i) => i?.state === 'completed'))!.result).toBe('ok');
    const failed = await waitFor(() => q.get('hopeless', b), (i) => i?.state === 'failed');
    expect(failed!.error).toBe('always');
    expect(calls).toBe(3);
  });

  it('ignores a second enqueue with the same job id', async () => {
    const q = await make();
    let runs = 0;
    q.define('once', async () => {
      runs++;
      await sleep(100);
    });
    await q.startWorkers();
    await q.enqueue('once', {}, { jobId: 'same:1' });
    await q.enqueue('once', {}, { jobId: 'same:1' });
    await waitFor(() => q.get('once', 'same:1'), (i) => i?.state === 'completed');
    await sleep(150);
    expect(runs).toBe(1);
  });

  it('cancels a running job through its abort signal', async () => {
    const q = await make();
    let sawAbort = false;
    q.define('long', async (job) => {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 10_000);
        job.signal.addEventListener('abort', () => {
          sawAbort = true;
          clearTimeout(t);
          resolve();
        });
      });
      if (job.signal.aborted) throw new Error('aborted');
    });
    await q.startWorkers();
    const id = await q.enqueue('long', {});
    await waitFor(() => q.get('long', id), (i) => i?.state === 'active');
    expect(await q.cancel('long', id)).toBe(true);
    const info = await waitFor(() => q.get('long', id), (i) => i?.state === 'cancelled');
    expect(info!.state).toBe('cancelled');
    expect(sawAbort).toBe(true);
  });

  it('cancels a waiting job before it runs', async () => {
    const q = await make();
    let ran = false;
    q.define('later', async () => {
      ran = true;
    });
    const id = await q.enqueue('later', {}, { delayMs: 5_000 });
    expect(await q.cancel('later', id)).toBe(true);
    await q.startWorkers();
    await sleep(100);
    expect(ran).toBe(false);
    expect(await q.cancel('later', 'no-such-job')).toBe(false);
  });

  it('runs repeating schedules and stops after unschedule', async () => {
    const q = await make();
    let ticks = 0;
    q.define('tick', async () => {
      ticks++;
    });
    await q.startWorkers();
    await q.schedule('tick', 'every-100ms', { everyMs: 100 }, {});
    await q.schedule('tick', 'every-100ms', { everyMs: 100 }, {}); // replacing, not doubling
    await waitFor(async () => ticks, (n) => n >= 3, 5_000);
    await q.unschedule('tick', 'every-100ms');
    await sleep(250);
    const after = ticks;
    await sleep(300);
    expect(ticks).toBe(after);
    await expect(q.schedule('tick', 'bad', { cron: 'not a cron' }, {})).rejects.toThrow();
  });

  it('close() waits for the running job to finish', async () => {
    const q = await make();
    let finished = false;
    q.define('slow', async () => {
      await sleep(300);
      finished = true;
    });
    await q.startWorkers();
    const id = await q.enqueue('slow', {});
    await waitFor(() => q.get('slow', id), (i) => i?.state === 'active');
    open.splice(open.indexOf(q), 1);
    await q.close(5_000);
    expect(finished).toBe(true);
  });

  it('reports counts per name and state', async () => {
    const q = await make();
    q.define('counted', async () => 1);
    await q.startWorkers();
    const id = await q.enqueue('counted', {});
    await waitFor(() => q.get('counted', id), (i) => i?.state === 'completed');
    expect((await q.counts()).counted?.completed).toBe(1);
  });
});
