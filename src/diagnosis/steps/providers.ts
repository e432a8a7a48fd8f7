// Provider ids shared by the signature rules, the bounce reader and the fix-step texts.
export const PROVIDERS = [
  'google', 'microsoft', 'yahoo', 'icloud', 'zoho', 'tencent', 'netease', 'aliyun',
  'postfix', 'exim', 'sendmail', 'qmail', 'spamhaus', 'barracuda', 'spamcop', 'generic',
] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export function isProvider(id: string | null | undefined): id is ProviderId {
  return id != null && (PROVIDERS as readonly string[]).includes(id);
}
