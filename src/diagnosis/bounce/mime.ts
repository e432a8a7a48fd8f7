// A small MIME reader for bounce messages. mailparser merges message/delivery-status into the
// text body and loses part boundaries; a bounce needs the parts themselves (the DSN, the human
// text, the returned original), so this walks the tree and decodes each leaf on its own.
// Everything works on a latin1 "byte string" so 8-bit bytes survive until a charset decodes them.

export interface Headers {
  /** lower-case name → decoded values in order */
  get(name: string): string | undefined;
  all(name: string): string[];
  /** the unfolded, undecoded header block (for scanning names like X-Autoreply) */
  raw: string;
}

export interface MimePart {
  headers: Headers;
  /** lower-case type/subtype */
  type: string;
  params: Record<string, string>;
  /** decoded text for text/* and message/* leaves, '' otherwise */
  text: string;
  parts: MimePart[];
  /** parsed child for message/rfc822 (the returned original or a forwarded bounce) */
  message: MimePart | null;
}

const MAX_DEPTH = 8;
const MAX_PARTS = 300;

/** Latin1 view of the bytes: one char per byte, so offsets are byte offsets. */
export function toByteString(raw: string | Buffer): string {
  return typeof raw === 'string' ? Buffer.from(raw, 'utf8').toString('latin1') : raw.toString('latin1');
}

const ISO_2022_JP = /\x1b\$[@B]/;

function decodeBytes(bytes: string, charset: string | undefined): string {
  const buf = Buffer.from(bytes, 'latin1');
  let label = normaliseCharset(charset);
  // Japanese MTAs write ISO-2022-JP (7-bit escapes) into parts that declare no charset, e.g. the
  // Diagnostic-Code of a delivery-status part
  if (label === 'utf-8' && ISO_2022_JP.test(bytes)) label = 'iso-2022-jp';
  if (label === 'utf-8' || label === 'us-ascii') return buf.toString('utf8');
  try {
    return new TextDecoder(label).decode(buf);
  } catch {
    return buf.toString('utf8'); // unknown label: UTF-8 is the most likely truth
  }
}

function normaliseCharset(charset: string | undefined): string {
  const c = (charset ?? '').trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (!c || c === 'us-ascii' || c === 'ascii' || c === 'utf8' || c === 'unknown-8bit' || c === 'x-unknown') return 'utf-8';
  if (c === 'gb2312' || c === 'x-gbk' || c === 'cp936') return 'gbk';
  return c;
}

/** RFC 2047 encoded words, with 8-bit raw header bytes read as UTF-8 (else GB18030). */
function decodeHeaderValue(value: string): string {
  let text = value;
  if (/[\x80-\xff]/.test(text)) {
    const buf = Buffer.from(text, 'latin1');
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      text = new TextDecoder('gb18030').decode(buf);
    }
  }
  return text
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (_m, cs: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('latin1')
        : data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return decodeBytes(bytes, cs.split('*')[0]);
    });
}

export function parseHeaderBlock(block: string): Headers {
  const map = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const list = map.get(name) ?? [];
    list.push(decodeHeaderValue(m[2]!.trim()));
    map.set(name, list);
  }
  return {
    get: (name) => map.get(name.toLowerCase())?.[0],
    all: (name) => map.get(name.toLowerCase()) ?? [],
    raw: unfolded,
  };
}

function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [head = '', ...rest] = (value ?? '').split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase().replace(/\*\d*\*?$/, '')] = p.slice(eq + 1).trim().replace(/^"(.*)"$/s, '$1');
  }
  const type = head.trim().toLowerCase();
  return { type: /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type) ? type : 'text/plain', params };
}

function decodeTransfer(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  if (enc === 'quoted-printable') {
    return body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return body;
}

/** Splits at the first empty line; text without a header block is all body. */
function splitHeadBody(bytes: string): { head: string; body: string } {
  if (!/^[!-9;-~]+[ \t]*:/.test(bytes)) return { head: '', body: bytes };
  const m = /\r?\n\r?\n/.exec(bytes);
  if (!m) return { head: bytes, body: '' };
  return { head: bytes.slice(0, m.index), body: bytes.slice(m.index + m[0].length) };
}

function splitMultipart(raw: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  // Tolerate delimiter lines indented by a broken generator.
  const body = raw.includes(`\n ${delimiter}`) || raw.includes(`\n\t${delimiter}`) ? raw.split(/\n[ \t]+(?=--)/).join('\n') : raw;
  const parts: string[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0 && parts.length < MAX_PARTS) {
    const lineEnd = body.indexOf('\n', pos);
    if (body.startsWith(`${delimiter}--`, pos) || lineEnd < 0) break;
    let next = body.indexOf(`\n${delimiter}`, lineEnd);
    const end = next < 0 ? body.length : next;
    parts.push(body.slice(lineEnd + 1, end).replace(/\r$/, ''));
    if (next < 0) break;
    pos = next + 1;
  }
  return parts;
}

/** Drops <style>/<script>/<head> blocks with indexOf scanning (no regex backtracking). */
function dropBlocks(html: string): string {
  let out = '';
  let pos = 0;
  const lower = html.toLowerCase();
  const open = /<(style|script|head)\b/g;
  for (let m = open.exec(lower); m; m = open.exec(lower)) {
    const close = lower.indexOf(`</${m[1]}`, m.index);
    out += html.slice(pos, m.index) + ' ';
    if (close < 0) return out;
    const gt = lower.indexOf('>', close);
    pos = gt < 0 ? html.length : gt + 1;
    open.lastIndex = pos;
  }
  return out + html.slice(pos);
}

function htmlToText(html: string): string {
  return dropBlocks(html)
    .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h\d|table|blockquote)\s*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(/<[^>]{0,2000}>/g, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d{1,6});/g, (_m, d: string) => String.fromCodePoint(Math.min(Number(d), 0x10ffff)))
    .replace(/&#x([0-9a-f]{1,6});/gi, (_m, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]+\n/g, '\n');
}

/** The first "--x" line whose x appears again as a delimiter: the boundary actually used. */
function guessBoundary(body: string): string {
  const candidates = /^--(\S{5,}?)(?:--)?[ \t]*\r?$/gm;
  for (let i = 0, m = candidates.exec(body); m && i < 20; i++, m = candidates.exec(body)) {
    if (body.indexOf(`\n--${m[1]}`, m.index + m[0].length) >= 0) return m[1]!;
  }
  return '';
}

export function parseMime(bytes: string, depth = 0, budget = { parts: 0 }): MimePart {
  const { head, body } = splitHeadBody(bytes);
  const headers = parseHeaderBlock(head);
  const { type, params } = parseContentType(headers.get('content-type'));
  const part: MimePart = { headers, type, params, text: '', parts: [], message: null };
  budget.parts++;
  if (type.startsWith('multipart/') && depth < MAX_DEPTH) {
    // Some generators declare one boundary and use another: fall back to the first "--x" line.
    let boundary = params.boundary ?? '';
    if (!boundary || !body.includes(`--${boundary}`)) boundary = guessBoundary(body);
    for (const child of boundary ? splitMultipart(body, boundary) : []) {
      if (budget.parts >= MAX_PARTS) break;
      part.parts.push(parseMime(child, depth + 1, budget));
    }
    // A multipart without usable boundaries is read as text (broken generators exist).
    if (part.parts.length === 0) part.text = decodeBytes(body, params.charset);
    return part;
  }
  // Attachments (images, PDFs) say nothing about the failure: leave them encoded.
  if (!type.startsWith('text/') && !type.startsWith('message/')) return part;
  const decoded = decodeTransfer(body, headers.get('content-transfer-encoding'));
  if ((type === 'message/rfc822' || type === 'message/global') && depth < MAX_DEPTH) {
    part.message = parseMime(decoded, depth + 1, budget);
    part.text = decodeBytes(decoded, type === 'message/global' ? 'utf-8' : params.charset);
    return part;
  }
  const text = decodeBytes(decoded, params.charset);
  part.text = type === 'text/html' ? htmlToText(text) : text;
  return part;
}

/** Depth-first list of leaf parts, not descending into attached messages. */
export function leaves(part: MimePart): MimePart[] {
  if (part.parts.length === 0) return [part];
  return part.parts.flatMap(leaves);
}
