// The part of Chatwoot's application API the agent-bot integration uses, on 127.0.0.1: post a
// message into a conversation and toggle a conversation's status. Requests are recorded.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatwootRecord {
  method: string;
  path: string;
  token: string | undefined;
  body: Record<string, unknown>;
}

export interface FakeChatwoot {
  url: string;
  token: string;
  accountId: number;
  requests: ChatwootRecord[];
  /** messages the bot posted, per conversation id */
  messages: Map<number, string[]>;
  status: Map<number, string>;
  close(): Promise<void>;
}

export async function startFakeChatwoot(opts: { token?: string; accountId?: number } = {}): Promise<FakeChatwoot> {
  const token = opts.token ?? 'bot-token-123';
  const accountId = opts.accountId ?? 7;
  const requests: ChatwootRecord[] = [];
  const messages = new Map<number, string[]>();
  const status = new Map<number, string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        return send(400, { error: 'invalid JSON' });
      }
      const tok = req.headers['api_access_token'];
      requests.push({ method: req.method ?? '', path: req.url ?? '', token: Array.isArray(tok) ? tok[0] : tok, body });
      if (tok !== token) return send(401, { errors: ['Invalid Access Token'] });
      const m = /^\/api\/v1\/accounts\/(\d+)\/conversations\/(\d+)\/(messages|toggle_status)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) return send(404, { error: 'not found' });
      if (Number(m[1]) !== accountId) return send(404, { error: 'account not found' });
      const conv = Number(m[2]);
      if (m[3] === 'messages') {
        if (typeof body.content !== 'string' || !body.content) return send(422, { error: 'content required' });
        messages.set(conv, [...(messages.get(conv) ?? []), body.content]);
        return send(200, { id: requests.length, content: body.content, message_type: 1, conversation_id: conv });
      }
      if (!['open', 'resolved', 'pending', 'snoozed'].includes(String(body.status))) return send(422, { error: 'bad status' });
      status.set(conv, String(body.status));
      return send(200, { meta: {}, payload: { success: true, conversation_id: conv, current_status: body.status } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    accountId,
    requests,
    messages,
    status,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
