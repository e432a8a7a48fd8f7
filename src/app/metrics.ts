import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue } from '../jobs/types.js';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  counter(name: string, help: string, labels?: string[]): Counter<string>;
  histogram(name: string, help: string, labels?: string[], buckets?: number[]): Histogram<string>;
  gauge(name: string, help: string, labels?: string[]): Gauge<string>;
  trackJobs(jobs: JobQueue): void;
}

/** One registry per context, so tests can build several apps in one process. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mailmedic_' });
  const cache = new Map<string, Counter<string> | Histogram<string> | Gauge<string>>();
  // Features ask for their metrics by name; the same name returns the same instrument.
  const get = <M>(name: string, make: () => M): M => {
    if (!cache.has(name)) cache.set(name, make() as never);
    return cache.get(name) as M;
  };
  return {
    registry,
    httpDuration: new Histogram({
      name: 'mailmedic_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    counter: (name, help, labelNames = []) =>
      get(name, () => new Counter({ name, help, labelNames, registers: [registry] })),
    histogram: (name, help, labelNames = [], buckets) =>
      get(name, () => new Histogram({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) })),
    gauge: (name, help, labelNames = []) => get(name, () => new Gauge({ name, help, labelNames, registers: [registry] })),
    trackJobs(jobs) {
      new Gauge({
        name: 'mailmedic_jobs',
        help: 'Jobs by queue name and state',
        labelNames: ['name', 'state'],
        registers: [registry],
        async collect() {
          this.reset();
          const counts = await jobs.counts().catch(() => ({}));
          for (const [name, byState] of Object.entries(counts))
            for (const [state, n] of Object.entries(byState)) this.set({ name, state }, n ?? 0);
        },
      });
    },
  };
}
