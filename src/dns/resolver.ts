// The one DNS interface the checks use, with a Node (c-ares) implementation: configurable
// servers, a per-query timeout, in-flight de-duplication and a small TTL cache.
import { promises as dnsp } from 'node:dns';

export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME' | 'PTR';
export interface MxRecord {
  exchange: string;
  priority: number;
}
export interface RecordMap {
  A: string;
  AAAA: string;
  MX: MxRecord;
  /** one TXT record = its character-strings, in order */
  TXT: string[];
  CNAME: string;
  PTR: string;
}

/** `nxdomain`: the name does not exist; `nodata`: it exists but has no record of this type. */
export interface Answer<T> {
  status: 'ok' | 'nxdomain' | 'nodata';
  records: T[];
}

export interface Resolver {
  query<K extends RecordType>(name: string, type: K): Promise<Answer<RecordMap[K]>>;
}

export type DnsFailure = 'SERVFAIL' | 'TIMEOUT' | 'REFUSED' | 'FAILED';

/** The server could not answer: this is "we don't know", never "the record is missing". */
export class DnsQueryError extends Error {
  constructor(
    readonly failure: DnsFailure,
    readonly qname: string,
    readonly qtype: RecordType,
    detail: string,
  ) {
    super(`DNS ${failure} for ${qtype} ${qname}: ${detail}`);
    this.name = 'DnsQueryError';
  }
}

export interface ResolverOptions {
  /** "ip" or "ip:port" entries; the system's servers when empty */
  servers?: string[];
  timeoutMs?: number;
  /** cache lifetime for types whose TTL Node does not report (MX, TXT, CNAME, PTR) */
  defaultTtlSec?: number;
  /** how long "no such record" answers are kept */
  negativeTtlSec?: number;
  maxCacheEntries?: number;
}

interface CacheEntry {
  expires: number;
  value: Promise<Answer<unknown>>;
}

const FAILURE_BY_CODE: Record<string, DnsFailure> = {
  ESERVFAIL: 'SERVFAIL',
  ETIMEOUT: 'TIMEOUT',
  ECANCELLED: 'TIMEOUT',
  EREFUSED: 'REFUSED',
  ECONNREFUSED: 'REFUSED',
};

export function createResolver(options: ResolverOptions = {}): Resolver {
  const timeoutMs = options.timeoutMs ?? 2000;
  const defaultTtl = (options.defaultTtlSec ?? 60) * 1000;
  const negativeTtl = (options.negativeTtlSec ?? 30) * 1000;
  const maxEntries = options.maxCacheEntries ?? 5000;
  const node = new dnsp.Resolver({ timeout: timeoutMs, tries: 1 });
  if (options.servers && options.servers.length > 0) node.setServers(options.servers);
  const cache = new Map<string, CacheEntry>();

  async function lookup(name: string, type: RecordType): Promise<{ answer: Answer<unknown>; ttlMs: number }> {
    try {
      let records: unknown[];
      let ttlMs = defaultTtl;
      switch (type) {
        case 'A':
        case 'AAAA': {
          const rows = type === 'A' ? await node.resolve4(name, { ttl: true }) : await node.resolve6(name, { ttl: true });
          records = rows.map((r) => r.address);
          if (rows.length > 0) ttlMs = Math.min(...rows.map((r) => r.ttl)) * 1000;
          break;
        }
        case 'MX':
          records = await node.resolveMx(name);
          break;
        case 'TXT':
          records = await node.resolveTxt(name);
          break;
        case 'CNAME':
          records = await node.resolveCname(name);
          break;
        case 'PTR':
          records = await node.resolvePtr(name);
          break;
      }
      return { answer: { status: records.length ? 'ok' : 'nodata', records }, ttlMs };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOTFOUND') return { answer: { status: 'nxdomain', records: [] }, ttlMs: negativeTtl };
      if (code === 'ENODATA') return { answer: { status: 'nodata', records: [] }, ttlMs: negativeTtl };
      throw new DnsQueryError(FAILURE_BY_CODE[code] ?? 'FAILED', name, type, code || (err as Error).message);
    }
  }

  function withDeadline<T>(p: Promise<T>, name: string, type: RecordType): Promise<T> {
    // c-ares enforces the timeout itself; this guard only covers a resolver that never calls back.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DnsQueryError('TIMEOUT', name, type, `no answer within ${timeoutMs} ms`)), timeoutMs + 500);
    });
    return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
  }

  return {
    query<K extends RecordType>(rawName: string, type: K): Promise<Answer<RecordMap[K]>> {
      const name = rawName.toLowerCase().replace(/\.$/, '');
      const key = `${type} ${name}`;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && hit.expires > now) return hit.value as Promise<Answer<RecordMap[K]>>;
      const entry: CacheEntry = { expires: now + timeoutMs + 1000, value: Promise.resolve({ status: 'nodata', records: [] }) };
      entry.value = withDeadline(lookup(name, type), name, type).then(
        ({ answer, ttlMs }) => {
          entry.expires = Date.now() + ttlMs;
          return answer;
        },
        (err: unknown) => {
          if (cache.get(key) === entry) cache.delete(key); // failures are not remembered
          throw err;
        },
      );
      cache.delete(key);
      cache.set(key, entry);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return entry.value as Promise<Answer<RecordMap[K]>>;
    },
  };
}

/** Adapter for mailauth: node-style results; missing records throw ENOTFOUND / ENODATA. */
export function mailauthResolver(resolver: Resolver) {
  return async (name: string, rrtype: string): Promise<never> => {
    const type = rrtype.toUpperCase();
    if (!['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'PTR'].includes(type)) {
      throw Object.assign(new Error(`unsupported record type ${rrtype}`), { code: 'ENOTIMP' });
    }
    let answer: Answer<unknown>;
    try {
      answer = await resolver.query(name, type as RecordType);
    } catch (err) {
      if (err instanceof DnsQueryError) {
        const code = err.failure === 'TIMEOUT' ? 'ETIMEOUT' : err.failure === 'REFUSED' ? 'EREFUSED' : 'ESERVFAIL';
        throw Object.assign(new Error(err.message), { code });
      }
      throw err;
    }
    if (answer.status === 'nxdomain') throw Object.assign(new Error(`${name} does not exist`), { code: 'ENOTFOUND' });
    if (answer.status === 'nodata') throw Object.assign(new Error(`no ${type} record at ${name}`), { code: 'ENODATA' });
    return answer.records as never;
  };
}
