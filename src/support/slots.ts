// The standard problem template and how it is filled from what the user wrote. Pure functions.
import { parseCodes } from '../diagnosis/index.js';
import { CLIENTS, CLIENT_VERSION, NETWORKS, OTHER_CODES, STEPS, SYSTEMS, TIMES } from './data/slots.js';

export const TEMPLATE_FIELDS = ['problemType', 'mailbox', 'errorCode', 'errorText', 'timestamp', 'steps', 'client', 'os', 'network'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type Template = Record<TemplateField, string | null>;

export const emptyTemplate = (): Template =>
  Object.fromEntries(TEMPLATE_FIELDS.map((f) => [f, null])) as Template;

const ADDRESS = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
/** "my mailbox is x", "我的邮箱是 x", "账号 x" — an address the user calls their own */
const OWN_ADDRESS = /(?:my (?:mailbox|address|email|e-mail|account)(?: address)?(?: is|:)?|我的(?:邮箱|账号|帐号|地址)(?:地址)?(?:是|为|:|：)?|邮箱(?:是|为|:|：)|账号(?:是|为|:|：)|from)\s*([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{3,255})/i;

function firstMatch(text: string, table: [RegExp, string][]): string | null {
  for (const [re, name] of table) {
    const m = re.exec(text);
    if (m) return name || m[0].trim().replace(/\s+/g, ' ');
  }
  return null;
}

function clientOf(text: string): string | null {
  for (const [re, name] of CLIENTS) {
    const m = re.exec(text);
    if (!m) continue;
    const version = CLIENT_VERSION.exec(text.slice(m.index + m[0].length));
    return version ? `${name} ${version[1]}` : name;
  }
  return null;
}

export interface SlotOptions {
  /** fields the bot asked for in its previous turn: a bare answer fills them */
  expecting?: TemplateField[];
}

/** Fields found in one message (only the ones present). */
export function extractSlots(text: string, opts: SlotOptions = {}): Partial<Template> {
  const t = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const out: Partial<Template> = {};
  const own = OWN_ADDRESS.exec(t)?.[1]?.replace(/[.,;:]+$/, '');
  const addresses = t.match(ADDRESS) ?? [];
  if (own) out.mailbox = own.toLowerCase();
  else if (opts.expecting?.includes('mailbox') && addresses.length) out.mailbox = addresses[0]!.toLowerCase();

  const codes = parseCodes(t);
  const smtp = [codes.replyCode, codes.enhancedStatus].filter(Boolean).join(' ');
  const other = OTHER_CODES.exec(t);
  const code = smtp || (other ? (other[1] ?? other[0]) : '');
  if (code) {
    out.errorCode = code;
    // the message that carries the code is the error text (bounces and client dialogs)
    out.errorText = t.trim().slice(0, 2000);
  } else if (opts.expecting?.includes('errorText') && t.trim().length >= 8) {
    out.errorText = t.trim().slice(0, 2000);
  }

  const client = clientOf(t);
  if (client) out.client = client;
  const os = firstMatch(t, SYSTEMS);
  if (os) out.os = os;
  const network = firstMatch(t, NETWORKS);
  if (network) out.network = network;
  for (const re of TIMES) {
    const m = re.exec(t);
    if (m) {
      out.timestamp = m[0].trim();
      break;
    }
  }
  const steps = STEPS.exec(t);
  if (steps) out.steps = steps[0].trim();
  else if (opts.expecting?.includes('steps') && t.trim().length >= 6) out.steps = t.trim().slice(0, 500);
  return out;
}

/** Keeps what is known; new values fill gaps, and a longer error text replaces a shorter one. */
export function mergeTemplate(base: Template, found: Partial<Template>): Template {
  const next = { ...base };
  for (const f of TEMPLATE_FIELDS) {
    const v = found[f];
    if (!v) continue;
    if (next[f] === null || (f === 'errorText' && v.length > (next[f]?.length ?? 0)) || (f === 'client' && v.startsWith(next[f] ?? '\0'))) next[f] = v;
  }
  return next;
}
