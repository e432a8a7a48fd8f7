import type { Config } from '../config.js';
import { createBullmqQueue } from './bullmq.js';
import { createInProcessQueue } from './inprocess.js';
import type { JobQueue } from './types.js';

export * from './types.js';
export { createInProcessQueue } from './inprocess.js';
export { createBullmqQueue } from './bullmq.js';

/** BullMQ when REDIS_URL is set, else in-process. */
export function openJobs(config: Pick<Config, 'REDIS_URL' | 'REDIS_PREFIX'>): Promise<JobQueue> {
  return config.REDIS_URL ? createBullmqQueue(config.REDIS_URL, config.REDIS_PREFIX) : Promise.resolve(createInProcessQueue());
}
