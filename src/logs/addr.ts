// Address and host helpers shared by the parsers.

/** Domain part of an address ('' when there is none), as given. */
export function domainOf(addr: string): string {
  const at = addr.lastIndexOf('@');
  return at < 0 ? '' : addr.slice(at + 1);
}

/**
 * pflogsumm's "sending host" for a client written as name[ip]: the IP when the name is unknown,
 * else the registrable-looking tail (mail.example.com → example.com, a.b.example.co.uk → example.co.uk).
 */
export function clientDomain(client: string): string {
  const br = client.indexOf('[');
  const name = br < 0 ? client : client.slice(0, br);
  if (name === '' || name === 'unknown') {
    const end = client.indexOf(']', br);
    return br < 0 ? client : client.slice(br + 1, end < 0 ? client.length : end);
  }
  const m = TAIL.exec(name);
  return m ? `${m[1]}.${m[2]}`.toLowerCase() : name;
}

const TAIL = /^.*\.([^.]+)\.([^.]{3}|[^.]{2,3}\.[^.]{2})$/;

/** Splits "host[1.2.3.4]" or "host[1.2.3.4]:25" into its parts. */
export function splitHostIp(s: string): { host: string; ip: string } {
  const br = s.indexOf('[');
  if (br < 0) return { host: s, ip: '' };
  const end = s.indexOf(']', br);
  return { host: s.slice(0, br), ip: s.slice(br + 1, end < 0 ? s.length : end) };
}

/** A refused client as the failure log keeps it: the IP of name[ip], else its clientDomain (no address logged). */
export function rejectClient(client: string): string {
  return splitHostIp(client).ip || clientDomain(client);
}

/**
 * A flat copy of `s`. Slices of a chunk keep the whole chunk alive; anything stored beyond the
 * current line (set members, map keys, examples) goes through own() so memory stays bounded.
 */
export function own(s: string): string {
  return (' ' + s).slice(1);
}
