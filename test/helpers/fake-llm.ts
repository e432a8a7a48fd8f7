// An OpenAI-compatible chat completions server on 127.0.0.1 for tests and evals: each request is
// answered by the next scripted reply (or by the handler when the script is empty), and every
// request is recorded so tests can check what reached the "model".
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
    [k: string]: unknown;
  };
  headers: IncomingHttpHeaders;
}

export type FakeReply =
  /** a completion whose message content is this value as JSON (a string is sent as it is) */
  | { answer: unknown; delayMs?: number; usage?: { prompt_tokens: number; completion_tokens: number } }
  /** an HTTP error; retryAfter in seconds */
  | { status: number; retryAfter?: number; delayMs?: number }
  /** never answers (until the client gives up) */
  | { hang: true };

export type FakeHandler = (req: RecordedRequest) => FakeReply;

export interface FakeLlm {
  /** base URL for LLM_BASE_URL (ends in /v1) */
  url: string;
  requests: RecordedRequest[];
  /** replies for the next requests, in order */
  enqueue(...replies: FakeReply[]): void;
  /** answers requests once the queue is empty */
  setHandler(fn: FakeHandler): void;
  reset(): void;
  close(): Promise<void>;
}

/** All message text of a request, for assertions. */
export const promptText = (r: RecordedRequest): string => r.body.messages.map((m) => m.content).join('\n');

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  let queue: FakeReply[] = [];
  let handler: FakeHandler = () => ({ status: 500 });
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return send(res, 404, { error: { message: 'not found' } });
      const recorded: RecordedRequest = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers };
      requests.push(recorded);
      const reply = queue.shift() ?? handler(recorded);
      if ('hang' in reply) return;
      const respond = () => {
        if (res.destroyed) return;
        if ('status' in reply) {
          const headers: Record<string, string> = reply.retryAfter === undefined ? {} : { 'retry-after': String(reply.retryAfter) };
          return send(res, reply.status, { error: { message: `scripted ${reply.status}`, type: 'server_error' } }, headers);
        }
        const content = typeof reply.answer === 'string' ? reply.answer : JSON.stringify(reply.answer);
        send(res, 200, {
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: recorded.body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: reply.usage
            ? { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens }
            : { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
        });
      };
      if (!reply.delayMs) return respond();
      const t = setTimeout(() => {
        timers.delete(t);
        respond();
      }, reply.delayMs);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setHandler: (fn) => void (handler = fn),
    reset() {
      requests.length = 0;
      queue = [];
      handler = () => ({ status: 500 });
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
