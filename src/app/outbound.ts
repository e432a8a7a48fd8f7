// Outbound HTTP for webhooks and integrations. The address guard is applied to the address the
// connection actually uses (inside the DNS lookup), so a hostname that resolves to a private or
// metadata address is refused even if it changed since it was configured.
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AddressGuard } from '../dns/guard.js';

export interface OutboundResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export class OutboundError extends Error {
  constructor(
    message: string,
    readonly kind: 'guard' | 'network' | 'timeout' | 'invalid_url',
  ) {
    super(message);
  }
}

const MAX_RESPONSE = 1024 * 1024;

export async function sendHttp(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; guard: AddressGuard; timeoutMs?: number },
): Promise<OutboundResponse> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new OutboundError(`"${url}" is not a valid URL`, 'invalid_url');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new OutboundError(`only http and https URLs are allowed, not ${target.protocol}`, 'invalid_url');
  }
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as unknown as LookupAddress[];
      for (const a of list) {
        const d = init.guard.check(a.address);
        if (!d.allowed) {
          return callback(new OutboundError(`refusing to connect to ${hostname} (${a.address}): ${d.reason}`, 'guard'), '', 4);
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = init.timeoutMs ?? 10_000;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = request(
      target,
      {
        method: init.method ?? 'POST',
        headers: { 'user-agent': 'MailMedic/1', ...init.headers, ...(init.body ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) },
        lookup,
        timeout: timeoutMs,
      },
      (res) => {
        let size = 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESPONSE) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', (e) => reject(new OutboundError(e.message, 'network')));
      },
    );
    req.on('timeout', () => req.destroy(new OutboundError(`no answer from ${target.host} within ${timeoutMs} ms`, 'timeout')));
    req.on('error', (e) => reject(e instanceof OutboundError ? e : new OutboundError(e.message, 'network')));
    if (init.body) req.write(init.body);
    req.end();
  });
}

/** Signature header value: HMAC-SHA256 over `${timestamp}.${body}` (replay-resistant with the timestamp). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookDelivery {
  url: string;
  secret: string;
  /** the same key on every retry, so receivers can drop duplicates */
  idempotencyKey: string;
  event: string;
  payload: unknown;
}

/** One attempt; throws on a network error or a non-2xx answer (the job queue retries). */
export async function deliverWebhook(d: WebhookDelivery, guard: AddressGuard, now = Date.now()): Promise<OutboundResponse> {
  const body = JSON.stringify({ event: d.event, id: d.idempotencyKey, data: d.payload });
  const timestamp = Math.floor(now / 1000);
  const res = await sendHttp(d.url, {
    guard,
    body,
    headers: {
      'content-type': 'application/json',
      'x-mailmedic-event': d.event,
      'x-mailmedic-signature': signWebhook(d.secret, timestamp, body),
      'idempotency-key': d.idempotencyKey,
    },
  });
  if (res.status < 200 || res.status >= 300) {
    throw new OutboundError(`webhook answered HTTP ${res.status}`, 'network');
  }
  return res;
}
