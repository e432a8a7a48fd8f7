// DNS blocklists queried by default, with what each documented return code means.
import type { Text } from './common.js';

export interface BlocklistZone {
  zone: string;
  name: string;
  ipv6: boolean;
  /** answer address → meaning of the listing */
  codes: Record<string, Text>;
  /** answers that mean "your query was refused", not "listed" */
  errorCodes: Record<string, Text>;
  removalUrl: string;
}

const SPAMHAUS_XBL: Text = {
  en: 'XBL: the IP shows signs of a compromised host (malware, open proxy) sending mail',
  zh: 'XBL：该 IP 疑似被入侵的主机（恶意软件、开放代理）在发信',
};
const SPAMHAUS_PBL: Text = {
  en: 'PBL: the IP is in an end-user/dynamic range that should not send mail directly to other servers; send through your provider\'s relay',
  zh: 'PBL：该 IP 属于终端用户/动态地址段，不应直接向其他服务器发信；请通过邮箱服务商的中继发信',
};

export const DEFAULT_BLOCKLISTS: BlocklistZone[] = [
  {
    zone: 'zen.spamhaus.org',
    name: 'Spamhaus ZEN',
    ipv6: true,
    codes: {
      '127.0.0.2': { en: 'SBL: the IP is a known spam source or spam operation', zh: 'SBL：该 IP 是已知的垃圾邮件来源或垃圾邮件团伙' },
      '127.0.0.3': { en: 'SBL CSS: automated detection of snowshoe spam from the IP', zh: 'SBL CSS：自动检测到该 IP 发送分散式（snowshoe）垃圾邮件' },
      '127.0.0.4': SPAMHAUS_XBL,
      '127.0.0.5': SPAMHAUS_XBL,
      '127.0.0.6': SPAMHAUS_XBL,
      '127.0.0.7': SPAMHAUS_XBL,
      '127.0.0.9': { en: 'DROP: the whole network is on Spamhaus\'s do-not-route list', zh: 'DROP：整个网段在 Spamhaus 的禁止路由列表中' },
      '127.0.0.10': SPAMHAUS_PBL,
      '127.0.0.11': SPAMHAUS_PBL,
    },
    errorCodes: {
      '127.255.255.252': { en: 'the query was malformed (typing error in the zone name)', zh: '查询格式错误（区域名称拼写错误）' },
      '127.255.255.254': { en: 'Spamhaus refuses queries sent through public/open resolvers; use your own resolver or a DQS key', zh: 'Spamhaus 拒绝来自公共/开放 DNS 的查询；请使用自己的解析器或 DQS 密钥' },
      '127.255.255.255': { en: 'the resolver exceeded Spamhaus\'s free query volume', zh: '解析器超出了 Spamhaus 免费查询额度' },
    },
    removalUrl: 'https://check.spamhaus.org/',
  },
  {
    zone: 'b.barracudacentral.org',
    name: 'Barracuda BRBL',
    ipv6: false,
    codes: { '127.0.0.2': { en: 'listed on the Barracuda Reputation Block List (poor sending reputation)', zh: '被列入 Barracuda 信誉黑名单（发信信誉差）' } },
    errorCodes: {},
    removalUrl: 'https://www.barracudacentral.org/rbl/removal-request',
  },
  {
    zone: 'bl.spamcop.net',
    name: 'SpamCop',
    ipv6: false,
    codes: { '127.0.0.2': { en: 'listed by SpamCop after recent spam reports from recipients', zh: '因近期收件人举报垃圾邮件而被 SpamCop 列入' } },
    errorCodes: {},
    removalUrl: 'https://www.spamcop.net/bl.shtml',
  },
];

/** Zone names from configuration → zones; unknown zones are queried with no code table. */
export function blocklistsFor(zones: string[]): BlocklistZone[] {
  return zones.map(
    (zone) =>
      DEFAULT_BLOCKLISTS.find((z) => z.zone === zone.toLowerCase()) ?? {
        zone: zone.toLowerCase(), name: zone, ipv6: false, codes: {}, errorCodes: {}, removalUrl: `the ${zone} operator's website`,
      },
  );
}
