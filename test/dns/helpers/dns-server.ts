// A real DNS server (dns2, UDP on 127.0.0.1) answering from in-memory fixture zones, with
// recursive-resolver behaviour for CNAMEs and switches for SERVFAIL and silence.
import { createServer, Packet } from 'dns2';

export type ZoneRecord =
  | { A: string }
  | { AAAA: string }
  | { MX: [number, string] }
  | { TXT: string }
  | { CNAME: string }
  | { PTR: string };

export interface Zone {
  [name: string]: ZoneRecord[];
}

export interface FixtureDnsServer {
  server: string;
  port: number;
  /** zones (name and everything below it) answered with SERVFAIL */
  servfail: Set<string>;
  /** zones that get no answer at all (the client times out) */
  silent: Set<string>;
  queries: string[];
  close(): Promise<void>;
}

const TYPE_CODES = { A: Packet.TYPE.A, AAAA: Packet.TYPE.AAAA, MX: Packet.TYPE.MX, TXT: Packet.TYPE.TXT, CNAME: Packet.TYPE.CNAME, PTR: Packet.TYPE.PTR } as const;
type TypeName = keyof typeof TYPE_CODES;

/** TXT character-strings hold at most 255 octets, so long values are split (RFC 1035 §3.3.14). */
function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 255) out.push(text.slice(i, i + 255));
  return out.length ? out : [''];
}

function resource(name: string, record: ZoneRecord): Record<string, unknown> {
  const base = { name, class: Packet.CLASS.IN, ttl: 300 };
  if ('A' in record) return { ...base, type: Packet.TYPE.A, address: record.A };
  if ('AAAA' in record) return { ...base, type: Packet.TYPE.AAAA, address: record.AAAA };
  if ('MX' in record) return { ...base, type: Packet.TYPE.MX, priority: record.MX[0], exchange: record.MX[1] };
  if ('TXT' in record) return { ...base, type: Packet.TYPE.TXT, data: chunks(record.TXT) };
  if ('CNAME' in record) return { ...base, type: Packet.TYPE.CNAME, domain: record.CNAME };
  return { ...base, type: Packet.TYPE.PTR, domain: record.PTR };
}

/** `delayMs` holds every answer back, like the round trip to a real recursive resolver. */
export async function startDnsServer(zone: Zone, options: { delayMs?: number } = {}): Promise<FixtureDnsServer> {
  const lower: Zone = Object.fromEntries(Object.entries(zone).map(([k, v]) => [k.toLowerCase(), v]));
  const servfail = new Set<string>();
  const silent = new Set<string>();
  const queries: string[] = [];
  const server = createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const q = request.questions[0];
      if (!q) return void send(response);
      const name = q.name.toLowerCase();
      const typeName = (Object.keys(TYPE_CODES) as TypeName[]).find((k) => TYPE_CODES[k] === q.type);
      queries.push(`${typeName ?? q.type} ${name}`);
      const within = (set: Set<string>) => [...set].some((z) => name === z || name.endsWith(`.${z}`));
      if (within(silent)) return;
      if (within(servfail)) {
        response.header.rcode = 2;
        return void send(response);
      }
      let current = name;
      for (let hops = 0; hops < 8; hops++) {
        const records = lower[current];
        if (!records) {
          if (current === name) response.header.rcode = 3; // NXDOMAIN
          break;
        }
        const matching = records.filter((r) => typeName !== undefined && typeName in r);
        if (matching.length > 0) {
          for (const r of matching) response.answers.push(resource(current, r) as never);
          break;
        }
        const alias = records.find((r): r is { CNAME: string } => 'CNAME' in r);
        if (!alias) break; // NODATA
        response.answers.push(resource(current, alias) as never);
        current = alias.CNAME.toLowerCase();
      }
      if (options.delayMs) setTimeout(() => void send(response), options.delayMs);
      else void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp!.port;
  return {
    server: `127.0.0.1:${port}`,
    port,
    servfail,
    silent,
    queries,
    close: () => server.close(),
  };
}
