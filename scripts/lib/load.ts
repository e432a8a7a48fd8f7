// Load generator run as its own process (so it does not share the event loop with the server
// under test): autocannon against one URL, bodies rotated from a list; prints one JSON line.
import autocannon from 'autocannon';

interface LoadSpec {
  url: string;
  connections: number;
  durationSec: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  bodies?: string[];
  /** replace [<id>] in each body with a fresh id per request (distinct texts without a long list) */
  idReplacement?: boolean;
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
const requests = spec.bodies?.length
  ? spec.bodies.map((body) => ({ method: spec.method ?? 'POST', body, headers: spec.headers }))
  : [{ method: spec.method ?? 'GET', headers: spec.headers }];
const result = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.durationSec, requests, idReplacement: spec.idReplacement ?? false });
console.log(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    total: result.requests.total,
    statuses: result.statusCodeStats,
  }),
);
