// An OpenAI-compatible embeddings server for tests and the KB evaluation: POST /v1/embeddings answers
// deterministic vectors (character uni/bi/tri-grams hashed into `dim` buckets, L2-normalised), so texts
// sharing words or characters get close vectors. It records every request and can be told to fail.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEmbeddings {
  url: string;
  /** inputs of every successful or failed request, in order */
  requests: { model: string; input: string[] }[];
  /** total number of texts received */
  readonly texts: number;
  dim: number;
  /** answer every request with this HTTP status until set back to null */
  failWith: number | null;
  close(): Promise<void>;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function fakeVector(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  const chars = [...text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ')];
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= chars.length; i++) {
      const gram = chars.slice(i, i + n).join('');
      if (!gram.trim()) continue;
      const h = fnv1a(gram);
      v[h % dim]! += (h & 0x80000000 ? 1 : -1) * n;
    }
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export async function startFakeEmbeddings(dim = 64): Promise<FakeEmbeddings> {
  const state = { requests: [] as { model: string; input: string[] }[], dim, failWith: null as number | null };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return send(404, { error: { message: 'not found' } });
      let parsed: { model?: string; input?: string | string[] };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        return send(400, { error: { message: 'invalid JSON' } });
      }
      const input = Array.isArray(parsed.input) ? parsed.input : [String(parsed.input ?? '')];
      state.requests.push({ model: String(parsed.model), input });
      if (state.failWith) return send(state.failWith, { error: { message: 'told to fail' } });
      send(200, {
        object: 'list',
        model: parsed.model,
        data: input.map((t, index) => ({ object: 'embedding', index, embedding: fakeVector(t, state.dim) })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    get texts() {
      return state.requests.reduce((n, r) => n + r.input.length, 0);
    },
    get dim() {
      return state.dim;
    },
    set dim(d: number) {
      state.dim = d;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(s: number | null) {
      state.failWith = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
