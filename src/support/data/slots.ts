// How template fields show up in what users write (zh and en). Each table maps a pattern to the
// value stored in the ticket; the first matching row wins, so specific rows come first.

/** [pattern, client name]; a version right after the match is appended (Outlook 2016, Foxmail 7.2). */
export const CLIENTS: [RegExp, string][] = [
  [/outlook\s*(?:for\s*)?mac/i, 'Outlook for Mac'],
  [/new outlook|新版\s*outlook/i, 'new Outlook'],
  [/\boutlook\b(?![.\w]*\.com)/i, 'Outlook'],
  [/foxmail/i, 'Foxmail'],
  [/thunderbird|雷鸟/i, 'Thunderbird'],
  [/网易邮箱大师|mail\s?master/i, '网易邮箱大师'],
  [/qq\s*邮箱\s*(?:app|客户端)/i, 'QQ Mail app'],
  [/企业微信|wecom/i, 'WeCom'],
  [/钉钉|dingtalk/i, 'DingTalk'],
  [/iphone\s*(?:mail|邮件)|ios\s*(?:mail|邮件)|苹果手机自带邮件|iphone 自带邮件/i, 'iPhone Mail'],
  [/apple\s*mail|mac\s*(?:mail|邮件)/i, 'Apple Mail'],
  [/gmail\s*(?:app|应用)/i, 'Gmail app'],
  [/spark\b/i, 'Spark'],
  [/em\s?client/i, 'eM Client'],
  [/webmail|网页版|web\s*版|浏览器|网页邮箱/i, 'Webmail'],
  [/(?:手机|安卓|android).{0,6}(?:自带|系统)邮件/i, 'Android mail app'],
];

/** A client version: a year (2016, 365) or a dotted number. */
export const CLIENT_VERSION = /^\s*(?:v(?:ersion)?\s*|版本\s*)?(365|20\d\d|\d{1,3}(?:\.\d{1,4}){0,3})\b/i;

export const SYSTEMS: [RegExp, string][] = [
  [/windows\s*(?:11|10|7|8(?:\.1)?|server\s*20\d\d)|win\s?(?:11|10|7)/i, ''],
  [/windows|电脑|台式机|笔记本/i, 'Windows'],
  [/mac\s?os\s*(?:\d{2}(?:\.\d)?)?|macbook|os\s?x|苹果电脑/i, ''],
  [/\bios\s*\d{1,2}(?:\.\d)*|\bios\b|iphone|ipad/i, ''],
  [/android\s*\d{1,2}|android|安卓/i, ''],
  [/harmonyos|鸿蒙/i, 'HarmonyOS'],
  [/ubuntu|debian|centos|linux|deepin|统信|麒麟/i, ''],
];

export const NETWORKS: [RegExp, string][] = [
  [/vpn|代理|proxy/i, 'VPN / proxy'],
  [/公司网络|公司网|办公网|内网|办公室|office network|at (?:the )?office|corporate network|company network/i, 'office network'],
  [/家里|家庭宽带|家中|在家|home network|at home/i, 'home network'],
  [/4g|5g|移动网络|移动数据|流量|mobile data|cellular/i, 'mobile data'],
  [/酒店|机场|咖啡|公共\s*wi-?fi|hotel|airport|public wi-?fi/i, 'public Wi-Fi'],
  [/wi-?fi|无线网/i, 'Wi-Fi'],
  [/海外|国外|出差|abroad|overseas|travel/i, 'abroad'],
];

/** When it happened: relative days, clock times, dates. */
export const TIMES: RegExp[] = [
  /\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?(?:\s*\d{1,2}[:：点]\d{0,2}分?)?/,
  /(?:今天|昨天|前天|今早|今晚|昨晚|刚才|刚刚|上午|下午|晚上|早上|中午|本周|上周|周[一二三四五六日天]|星期[一二三四五六日天])(?:[^，。,.!?！？\n]{0,8}?(?:\d{1,2}\s*[点:：]\s*\d{0,2}分?|开始|以来|起))?/,
  /(?:从|自从|since)\s*[^，。,.!?！？\n]{1,20}/i,
  /\b(?:today|yesterday|this morning|this afternoon|last night|tonight|just now|an hour ago|\d+ (?:minutes|hours|days) ago|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b(?:[^,.!?\n]{0,12}\b\d{1,2}(?::\d{2})?\s*(?:am|pm)?)?/i,
  /\bat \d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\s*(?:am|pm)?\b/i,
];

/** Sentences that describe what the user did (steps to reproduce). */
export const STEPS = /(?:每次|每当|当我|我在|我用|点击|点了|一.{1,8}就|发送给|发给|发邮件给|群发|转发|登录|添加账户|设置账户|配置)[^。！？!?\n]{2,120}|\b(?:when(?:ever)? i|every time i|after i|i (?:tried|try|clicked|click|sent|send|added|set up|configured|log(?:ged)? in))\b[^.!?\n]{2,160}/i;

/** A provider or client error number other than an SMTP code (Outlook 0x800CCC0E, 错误码 -3). */
export const OTHER_CODES = /\b0x[0-9a-f]{8}\b|(?:错误码|错误代码|error code|code)\s*[:：]?\s*(-?\d{1,6}\b|[A-Z]{2,}[-_]?\d{2,})/i;
