// One small job interface with two real implementations: BullMQ on Redis (scale-out) and
// in-process (embedded default). Handlers are written once against JobContext.

export interface JobContext<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first try */
  attempt: number;
  /** aborted when the job is cancelled or the process shuts down */
  signal: AbortSignal;
  progress(value: Record<string, unknown>): Promise<void>;
}

export type JobHandler<T = unknown> = (job: JobContext<T>) => Promise<unknown>;

export interface EnqueueOptions {
  /** idempotency: a second enqueue with the same id is ignored while the first exists */
  jobId?: string;
  attempts?: number;
  /** first retry delay; doubles per attempt */
  backoffMs?: number;
  delayMs?: number;
}

export type Repeat = { everyMs: number } | { cron: string; tz?: string };

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  progress: Record<string, unknown> | null;
  attempts: number;
  result?: unknown;
  error?: string;
}

export interface JobQueue {
  readonly kind: 'inprocess' | 'bullmq';
  /** Registers the handler for a job name. Processing starts with startWorkers(). */
  define<T>(name: string, handler: JobHandler<T>, opts?: { concurrency?: number }): void;
  enqueue<T>(name: string, data: T, opts?: EnqueueOptions): Promise<string>;
  /** Creates or replaces a repeating schedule (idempotent by scheduleId). */
  schedule<T>(name: string, scheduleId: string, repeat: Repeat, data: T): Promise<void>;
  unschedule(name: string, scheduleId: string): Promise<void>;
  /** Removes a waiting job or aborts a running one (on whichever process runs it). */
  cancel(name: string, jobId: string): Promise<boolean>;
  get(name: string, jobId: string): Promise<JobInfo | null>;
  /** Starts processing every defined job name in this process. */
  startWorkers(): Promise<void>;
  /** Job counts by state, per name (for /metrics). */
  counts(): Promise<Record<string, Partial<Record<JobState, number>>>>;
  ping(): Promise<void>;
  /** Stops taking jobs, waits for running ones (up to timeoutMs, then aborts them), releases connections. */
  close(timeoutMs?: number): Promise<void>;
}
