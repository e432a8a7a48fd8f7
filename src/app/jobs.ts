// Job handlers of every feature, defined on the queue by `serve` (in-process) and `worker`.
import type { AppContext } from './context.js';

type JobRegistration = (ctx: AppContext) => void;

export const jobRegistrations: JobRegistration[] = [];

export function defineJobs(ctx: AppContext): void {
  for (const register of jobRegistrations) register(ctx);
}
