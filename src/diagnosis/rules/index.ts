// All signature rules and provider markers, in one list the classifier compiles once.
import { aliyunRules } from './aliyun.js';
import { amazonSesRules, sesInboundRules } from './amazonses.js';
import { cableRules } from './cable.js';
import { dnsblRules } from './dnsbl.js';
import { docomoRules } from './docomo.js';
import { eximRules } from './exim.js';
import { fmlRules } from './fml.js';
import { genericZhRules } from './generic-zh.js';
import { genericRules } from './generic.js';
import { googleRules } from './google.js';
import { icloudRules } from './icloud.js';
import { microsoftRules } from './microsoft.js';
import { mimecastRules } from './mimecast.js';
import { neteaseRules } from './netease.js';
import { orangeRules } from './orange.js';
import { postfixRules } from './postfix.js';
import { qmailRules } from './qmail.js';
import { sendmailRules } from './sendmail.js';
import { tencentRules } from './tencent.js';
import { telekomRules } from './telekom.js';
import type { ProviderMarker, Rule } from './types.js';
import { yahooRules } from './yahoo.js';
import { zohoRules } from './zoho.js';

export type { ProviderMarker, Rule } from './types.js';
export { verdictReason, type MtaVerdict } from './verdicts.js';

export const RULES: readonly Rule[] = [
  ...googleRules, ...microsoftRules, ...yahooRules, ...icloudRules, ...zohoRules, ...tencentRules, ...neteaseRules,
  ...aliyunRules, ...postfixRules, ...eximRules, ...sendmailRules, ...qmailRules, ...dnsblRules, ...amazonSesRules,
  ...sesInboundRules, ...orangeRules, ...telekomRules, ...docomoRules, ...cableRules, ...mimecastRules, ...fmlRules,
  ...genericRules, ...genericZhRules,
];

/** Mailbox providers recognised from host names, URLs and signatures in a reply. */
export const PROVIDER_MARKERS: readonly ProviderMarker[] = [
  { provider: 'google', markers: ['gsmtp', 'google.com', 'gmail', 'googlemail', 'aspmx.l.google'] },
  { provider: 'microsoft', markers: ['outlook.com', 'protection.outlook', 'hotmail', 'office365', 'exchangelabs', 'microsoft', 'live.com',
    'onmicrosoft', 'msn.com', 'storedrv', 'resolver.adr', 'resolver.rst', 'exchange online'] },
  { provider: 'yahoo', markers: ['yahoo', 'yahoodns', 'aol.com', 'verizonmedia', 'yahooinc'] },
  { provider: 'icloud', markers: ['icloud', 'me.com', 'mac.com', 'apple.com'] },
  { provider: 'zoho', markers: ['zoho'] },
  { provider: 'tencent', markers: ['qq.com', 'exmail', 'tencent', '腾讯', 'qq邮箱', 'foxmail'] },
  { provider: 'netease', markers: ['163.com', '126.com', 'netease', 'yeah.net', '网易', 'qiye.163', 'ym.163', '163邮箱', '126邮箱'] },
  { provider: 'aliyun', markers: ['aliyun', 'alibaba', 'mxhichina', '阿里', 'qiye.aliyun'] },
];
