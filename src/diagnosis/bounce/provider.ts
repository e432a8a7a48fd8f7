// Which provider wrote a rejection: from the remote MTA's host name, the diagnostic text, the
// reporting MTA or the bounce sender's domain. Ids are those of ../steps/providers.ts.
import type { ProviderId } from '../steps/providers.js';
import { ADDRESS_RE } from './codes.js';

const HOSTS: [ProviderId, RegExp][] = [
  ['google', /\b(?:google\.com|googlemail\.com|gmail\.com|gsmtp|aspmx\.l\.google)\b|support\.google\.com/i],
  ['microsoft', /\b(?:outlook\.com|hotmail\.com|live\.com|msn\.com|office365\.com|exchangelabs\.com|protection\.outlook|outlook\.office365)\b/i],
  ['yahoo', /\b(?:yahoo(?:dns)?\.(?:com|net|co\.jp)|ymail\.com|aol\.com|yahooinc\.com|yahoo\.com)\b/i],
  ['icloud', /\b(?:icloud\.com|me\.com|mac\.com|apple\.com)\b/i],
  ['zoho', /\bzoho(?:mail)?\.(?:com|eu|in|jp)\b/i],
  ['tencent', /\b(?:qq\.com|foxmail\.com|exmail\.qq|tencent\.com)\b/i],
  ['netease', /\b(?:163\.com|126\.com|188\.com|yeah\.net|netease\.com|qiye\.163)\b/i],
  ['aliyun', /\b(?:aliyun\.com|mxhichina\.com|alibaba-inc\.com)\b/i],
];

const LISTS: [ProviderId, RegExp][] = [
  ['spamhaus', /spamhaus/i],
  ['barracuda', /barracuda/i],
  ['spamcop', /spamcop/i],
];

function firstMatch(table: [ProviderId, RegExp][], text: string | null | undefined): ProviderId | null {
  if (!text) return null;
  for (const [id, re] of table) if (re.test(text)) return id;
  return null;
}

export function providerOf(parts: {
  remoteMta?: string | null;
  diagnostic?: string | null;
  reportingMta?: string | null;
  from?: string | null;
  lhost?: ProviderId | null;
}): ProviderId | null {
  // Addresses in the text name the recipient's domain, not the server that answered.
  const diagnostic = parts.diagnostic?.replace(ADDRESS_RE, ' ') ?? null;
  return (
    firstMatch(HOSTS, parts.remoteMta) ??
    firstMatch(HOSTS, diagnostic) ??
    firstMatch(LISTS, diagnostic) ??
    parts.lhost ??
    firstMatch(HOSTS, parts.reportingMta) ??
    firstMatch(HOSTS, parts.from) ??
    null
  );
}
