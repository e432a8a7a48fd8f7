// Scripted support conversations (half Chinese, half English): each turn says what the user
// writes and what the bot must do. Run by dialogue.test.ts against the whole app.
import type { HandoffReason, Priority } from '../../src/support/policy.js';
import type { SupportSettings } from '../../src/support/settings.js';
import type { TemplateField } from '../../src/support/slots.js';

export interface Expect {
  /** hand-over reason this turn; null = no hand-over (the default) */
  handoff?: HandoffReason | null;
  priority?: Priority;
  channel?: 'standard' | 'emergency';
  queue?: string;
  /** the ticket is the one another dialogue opened (its name), or a new one (false) */
  duplicateOf?: string | false;
  /** fields asked this turn (exactly) */
  ask?: TemplateField[];
  reply?: RegExp[];
  replyNot?: RegExp[];
  /** the bot says nothing (a person owns the conversation) */
  silent?: boolean;
  state?: 'bot' | 'handoff' | 'resolved';
  rootCause?: string;
  /** secrets were removed from the message */
  redacted?: boolean;
  /** the hand-over waits for the next opening */
  queuedUntil?: string;
}

export type AgentAction = 'returnToBot' | 'resolveTicket';

export interface Turn {
  say: string;
  attachments?: { kind?: 'email' | 'log' | 'text'; content: string }[];
  /** seconds the fake clock moves forward before this turn */
  advance?: number;
  /** what an agent does before this turn */
  agent?: AgentAction;
  expect?: Expect;
}

export interface Dialogue {
  name: string;
  lang: 'zh' | 'en';
  user?: { mailbox?: string; role?: 'user' | 'admin'; verified?: boolean; locale?: 'zh' | 'en' };
  support?: Partial<SupportSettings>;
  /** clock at the first turn (default: Wednesday 2026-12-02 10:00 in Shanghai) */
  start?: string;
  turns: Turn[];
  /** stored text must not contain these (secrets) */
  neverStored?: string[];
}

const WED_10_SH = '2026-12-02T02:00:00Z';
const WED_20_SH = '2026-12-02T12:00:00Z';
const SAT_10_SH = '2026-12-05T02:00:00Z';
const WED_10_NY = '2026-12-02T15:00:00Z'; // 10:00 in New York (EST)
const WED_22_NY = '2026-12-03T03:00:00Z';
export const DEFAULT_START = WED_10_SH;

const AUTH_ZH = 'Outlook 2016 发邮件提示 535 5.7.8 Error: authentication failed';
const AUTH_EN = 'Thunderbird 115 says 535 5.7.8 Error: authentication failed when I send';

export const DIALOGUES: Dialogue[] = [
  // --- explicit requests for a person -----------------------------------------------------------
  { name: 'zh-explicit-zhuanrengong', lang: 'zh', user: { mailbox: 'a1@acme.cn' }, turns: [
    { say: '我的邮件发不出去', expect: { ask: ['errorText', 'client'] } },
    { say: '转人工', expect: { handoff: 'user_request', priority: 'normal', channel: 'standard', queue: 'general', reply: [/工单号：#\d+/, /15 分钟/] } },
    { say: '你好？', expect: { silent: true, state: 'handoff' } },
  ] },
  { name: 'zh-explicit-rengongfuwu', lang: 'zh', user: { mailbox: 'a2@acme.cn' }, turns: [
    { say: '我要人工服务', expect: { handoff: 'user_request', reply: [/转接人工客服/] } },
  ] },
  { name: 'zh-explicit-lianxikefu', lang: 'zh', user: { mailbox: 'a3@acme.cn' }, turns: [
    { say: '发给客户的邮件被退回，550 5.1.1 user unknown', expect: { rootCause: 'recipient_unknown', reply: [/建议按以下步骤处理/] } },
    { say: '帮我联系客服吧', expect: { handoff: 'user_request', queue: 'general' } },
  ] },
  { name: 'en-explicit-human', lang: 'en', user: { mailbox: 'b1@acme.com' }, turns: [
    { say: 'My emails are not sending', expect: { ask: ['errorText', 'client'] } },
    { say: 'human', expect: { handoff: 'user_request', reply: [/ticket number is #\d+/, /within about 15 minutes/] } },
  ] },
  { name: 'en-explicit-agent', lang: 'en', user: { mailbox: 'b2@acme.com' }, turns: [
    { say: 'Can I get an agent please', expect: { handoff: 'user_request' } },
  ] },
  { name: 'en-explicit-person', lang: 'en', user: { mailbox: 'b3@acme.com' }, turns: [
    { say: 'Mail to partner bounced: 552 5.2.2 Mailbox full', expect: { rootCause: 'mailbox_full' } },
    { say: 'I would like to talk to a person', expect: { handoff: 'user_request' } },
  ] },
  { name: 'en-not-a-request', lang: 'en', user: { mailbox: 'b4@acme.com' }, turns: [
    { say: 'Our mail transfer agent logs 554 5.7.1 Relay access denied, I do not need a human yet', expect: { rootCause: 'relay_denied', reply: [/Please try these steps/] } },
  ] },
  { name: 'zh-negated-request', lang: 'zh', user: { mailbox: 'a4@acme.cn' }, turns: [
    { say: '不用转人工，你先帮我看看：554 5.7.1 Relay access denied', expect: { rootCause: 'relay_denied', reply: [/建议按以下步骤处理/] } },
  ] },

  // --- low confidence after the missing fields were asked ------------------------------------------
  { name: 'zh-low-confidence', lang: 'zh', user: { mailbox: 'c1@acme.cn' }, turns: [
    { say: '邮件有问题', expect: { ask: ['errorText', 'client'], reply: [/还需要一些信息/] } },
    { say: '也没有什么提示，就是不太对', expect: { ask: ['steps', 'network'] } },
    { say: '不清楚，我就正常用', expect: { handoff: 'low_confidence', reply: [/无法确定原因/] } },
  ] },
  { name: 'en-low-confidence', lang: 'en', turns: [
    { say: 'something is wrong with my mail', expect: { ask: ['errorText', 'mailbox'] } },
    { say: 'no idea really, it just acts weird', expect: { ask: ['client', 'steps'] } },
    { say: 'nothing more to add, sorry', expect: { handoff: 'low_confidence', reply: [/could not determine the cause/] } },
  ] },

  // --- the user repeats the problem or says it still fails --------------------------------------------
  { name: 'zh-still-fails', lang: 'zh', user: { mailbox: 'd1@acme.cn' }, turns: [
    { say: AUTH_ZH, expect: { rootCause: 'auth_credentials_invalid' } },
    { say: '按你说的改了，还是不行', expect: { handoff: 'repeated', queue: 'config', reply: [/还没解决/] } },
  ] },
  { name: 'zh-repeats-problem', lang: 'zh', user: { mailbox: 'd2@acme.cn' }, turns: [
    { say: '邮件退回了 550 5.1.1 user unknown，收件人 wang@partner.cn', expect: { rootCause: 'recipient_unknown' } },
    { say: '邮件退回了，550 5.1.1 user unknown，收件人 wang@partner.cn！', expect: { handoff: 'repeated' } },
  ] },
  { name: 'en-still-fails', lang: 'en', user: { mailbox: 'e1@acme.com' }, turns: [
    { say: AUTH_EN, expect: { rootCause: 'auth_credentials_invalid', ask: [] } },
    { say: 'I did all of that and it still fails', expect: { handoff: 'repeated', reply: [/still not solved/] } },
  ] },
  { name: 'en-repeats-problem', lang: 'en', user: { mailbox: 'e2@acme.com' }, turns: [
    { say: 'Mail to bob@partner.com bounced with 550 5.1.1 user unknown', expect: { rootCause: 'recipient_unknown' } },
    { say: 'mail to bob@partner.com bounced with 550 5.1.1 user unknown!!', expect: { handoff: 'repeated' } },
  ] },

  // --- security events: at once, priority high --------------------------------------------------------
  { name: 'zh-security-stolen', lang: 'zh', user: { mailbox: 'f1@acme.cn' }, turns: [
    { say: '我的账号被盗了', expect: { handoff: 'security', priority: 'high', queue: 'security', reply: [/安全事件/, /修改密码/] } },
  ] },
  { name: 'zh-security-spam', lang: 'zh', user: { mailbox: 'f2@acme.cn' }, turns: [
    { say: '我的邮箱一直在自动往外发垃圾邮件，不是我发的', expect: { handoff: 'security', priority: 'high' } },
  ] },
  { name: 'zh-security-phishing', lang: 'zh', user: { mailbox: 'f3@acme.cn' }, turns: [
    { say: '收到一封冒充财务总监的钓鱼邮件，要我转账', expect: { handoff: 'security', priority: 'high', queue: 'security' } },
  ] },
  { name: 'en-security-stolen', lang: 'en', user: { mailbox: 'g1@acme.com' }, turns: [
    { say: 'I think my account was stolen, I cannot sign in anymore', expect: { handoff: 'security', priority: 'high', queue: 'security', reply: [/security event/] } },
  ] },
  { name: 'en-security-phishing', lang: 'en', user: { mailbox: 'g2@acme.com' }, turns: [
    { say: 'I received a phishing email pretending to be our CEO asking for gift cards', expect: { handoff: 'security', priority: 'high' } },
  ] },

  // --- unresolved for a while: the bot offers a person ------------------------------------------------------
  { name: 'zh-idle-offer', lang: 'zh', user: { mailbox: 'h1@acme.cn' }, turns: [
    { say: '收件人说收不到我的邮件，退信 552 5.2.2 Mailbox full', expect: { rootCause: 'mailbox_full', replyNot: [/转人工”或/] } },
    { say: '对方说已经清理了邮箱空间', advance: 200, expect: { reply: [/回复“转人工”或“好的”/] } },
    { say: '好的', expect: { handoff: 'timeout' } },
  ] },
  { name: 'en-idle-offer-custom', lang: 'en', user: { mailbox: 'i1@acme.com' }, support: { idleSeconds: 60 }, turns: [
    { say: 'Sending fails with 554 5.7.1 Relay access denied', expect: { rootCause: 'relay_denied' } },
    { say: 'Which server setting do you mean exactly?', advance: 61, expect: { reply: [/Reply "human" or "yes"/] } },
    { say: 'yes please', expect: { handoff: 'timeout' } },
  ] },
  { name: 'en-no-offer-before-idle', lang: 'en', user: { mailbox: 'i2@acme.com' }, turns: [
    { say: 'Sending fails with 554 5.7.1 Relay access denied', expect: { rootCause: 'relay_denied' } },
    { say: 'Which server setting do you mean exactly?', advance: 100, expect: { replyNot: [/Reply "human"/] } },
  ] },

  // --- after hand-over the bot is silent until an agent returns the conversation -------------------------
  { name: 'zh-silent-then-returned', lang: 'zh', user: { mailbox: 'j1@acme.cn' }, turns: [
    { say: '转人工', expect: { handoff: 'user_request' } },
    { say: '有人吗', expect: { silent: true } },
    { say: '554 5.7.1 Relay access denied', agent: 'returnToBot', expect: { state: 'bot', rootCause: 'relay_denied', reply: [/建议按以下步骤处理/] } },
  ] },
  { name: 'en-silent-then-resolved', lang: 'en', user: { mailbox: 'k1@acme.com' }, turns: [
    { say: 'talk to a person', expect: { handoff: 'user_request' } },
    { say: 'hello?', expect: { silent: true } },
    { say: 'thanks, one more question about my mailbox', agent: 'resolveTicket', expect: { state: 'bot', silent: false } },
  ] },

  // --- slot filling: ask only what is missing and relevant, one or two at a time ----------------------
  { name: 'zh-slots-client-fills', lang: 'zh', user: { mailbox: 'l1@acme.cn' }, turns: [
    { say: '我的邮件发不出去', expect: { ask: ['errorText', 'client'] } },
    { say: '用的 Foxmail 7.2，提示 535 5.7.8 authentication failed', expect: { rootCause: 'auth_credentials_invalid', ask: [] } },
  ] },
  { name: 'zh-slots-mailbox-asked', lang: 'zh', turns: [
    { say: '收不到邮件', expect: { ask: ['errorText', 'mailbox'] } },
    { say: 'zhang@acme.cn，没有错误提示', expect: { ask: ['client', 'steps'] } },
  ] },
  { name: 'en-slots-config-asks-client', lang: 'en', user: { mailbox: 'm1@acme.com' }, turns: [
    { say: 'I get 535 5.7.8 Error: authentication failed', expect: { rootCause: 'auth_credentials_invalid', ask: ['client'] } },
    { say: 'It is Outlook 2019 on Windows 11 at the office', expect: { ask: [] } },
  ] },
  { name: 'en-slots-answer-fills', lang: 'en', turns: [
    { say: 'My emails are not sending', expect: { ask: ['errorText', 'mailbox'] } },
    { say: 'sam@acme.com, the error is 550 5.1.1 user unknown', expect: { rootCause: 'recipient_unknown', ask: [] } },
  ] },

  // --- duplicates: same tenant + mailbox + problem while a ticket is open --------------------------------
  { name: 'zh-dup-first', lang: 'zh', user: { mailbox: 'dup@acme.cn' }, turns: [
    { say: AUTH_ZH, expect: { rootCause: 'auth_credentials_invalid' } },
    { say: '转人工', expect: { handoff: 'user_request', duplicateOf: false } },
  ] },
  { name: 'en-dup-second', lang: 'en', user: { mailbox: 'dup@acme.cn' }, turns: [
    { say: AUTH_EN, expect: { rootCause: 'auth_credentials_invalid' } },
    { say: 'agent', expect: { handoff: 'user_request', duplicateOf: 'zh-dup-first', reply: [/already has an open ticket, #\d+/] } },
  ] },
  { name: 'en-dup-other-problem', lang: 'en', user: { mailbox: 'dup@acme.cn' }, turns: [
    { say: 'Mail to partner bounced: 552 5.2.2 Mailbox full', expect: { rootCause: 'mailbox_full' } },
    { say: 'human please', expect: { handoff: 'user_request', duplicateOf: false } },
  ] },
  { name: 'zh-dup-third', lang: 'zh', user: { mailbox: 'dup@acme.cn' }, turns: [
    { say: AUTH_ZH, expect: { rootCause: 'auth_credentials_invalid' } },
    { say: '联系客服', expect: { handoff: 'user_request', duplicateOf: 'zh-dup-first', reply: [/已有处理中的工单 #\d+/] } },
  ] },

  // --- service hours ---------------------------------------------------------------------------------
  { name: 'zh-hours-security-emergency', lang: 'zh', user: { mailbox: 'n1@acme.cn' }, start: WED_20_SH, support: { emergency: { name: '安全值班电话', contact: '400-000-0000', waitMinutes: 30 } }, turns: [
    { say: '帐号被盗了，有人用我的邮箱发钓鱼邮件', expect: { handoff: 'security', channel: 'emergency', queue: 'emergency', reply: [/7×24 小时紧急通道「安全值班电话」/, /400-000-0000/, /30 分钟/] } },
  ] },
  { name: 'zh-hours-queued', lang: 'zh', user: { mailbox: 'n2@acme.cn' }, start: WED_20_SH, turns: [
    { say: '转人工', expect: { handoff: 'user_request', channel: 'standard', queuedUntil: '2026-12-03T01:00:00.000Z', reply: [/2026-12-03 09:00 \(Asia\/Shanghai\)/] } },
  ] },
  { name: 'zh-hours-holiday', lang: 'zh', user: { mailbox: 'n3@acme.cn' }, support: { holidays: ['2026-12-02', '2026-12-03'] }, turns: [
    { say: '人工客服', expect: { handoff: 'user_request', queuedUntil: '2026-12-04T01:00:00.000Z', reply: [/2026-12-04 09:00/] } },
  ] },
  { name: 'zh-hours-outage-emergency', lang: 'zh', user: { mailbox: 'n4@acme.cn' }, start: WED_20_SH, turns: [
    { say: '全公司都发不出去邮件 451 4.3.0 Temporary server error', expect: { rootCause: 'server_error' } },
    { say: '还是不行', expect: { handoff: 'repeated', priority: 'urgent', channel: 'emergency' } },
  ] },
  { name: 'en-hours-weekend-queued', lang: 'en', user: { mailbox: 'o1@acme.com' }, start: SAT_10_SH, turns: [
    { say: 'I need a human', expect: { handoff: 'user_request', channel: 'standard', queuedUntil: '2026-12-07T01:00:00.000Z', reply: [/after we open at 2026-12-07 09:00/] } },
  ] },
  { name: 'en-hours-new-york-open', lang: 'en', user: { mailbox: 'o2@acme.com' }, start: WED_10_NY, support: { timezone: 'America/New_York', waitMinutes: 20 }, turns: [
    { say: 'agent', expect: { handoff: 'user_request', reply: [/within about 20 minutes/] } },
  ] },
  { name: 'en-hours-security-night', lang: 'en', user: { mailbox: 'o3@acme.com' }, start: WED_22_NY, support: { timezone: 'America/New_York' }, turns: [
    { say: 'Someone hacked my mailbox and it is sending spam', expect: { handoff: 'security', channel: 'emergency', reply: [/24×7 emergency channel/] } },
  ] },

  // --- admin-level support needs a verified identity ---------------------------------------------------
  { name: 'zh-admin-unverified', lang: 'zh', user: { mailbox: 'p1@acme.cn', role: 'admin', verified: false }, turns: [
    { say: '我是管理员，需要人工服务', expect: { handoff: 'user_request', queue: 'general', reply: [/管理员级（高级）支持需要先完成身份验证/] } },
  ] },
  { name: 'en-admin-verified', lang: 'en', user: { mailbox: 'q1@acme.com', role: 'admin', verified: true }, turns: [
    { say: 'Admin here, I need a human for our domain setup', expect: { handoff: 'user_request', queue: 'advanced', replyNot: [/needs a verified identity/] } },
  ] },
  { name: 'en-admin-unverified', lang: 'en', user: { mailbox: 'q2@acme.com', role: 'admin' }, turns: [
    { say: 'I am the mail admin, get me an agent', expect: { handoff: 'user_request', queue: 'general', reply: [/Admin-level \(advanced\) support needs a verified identity/] } },
  ] },

  // --- secrets pasted: redacted before storage, the user is warned ------------------------------------------
  { name: 'zh-secret-password', lang: 'zh', user: { mailbox: 'r1@acme.cn' }, neverStored: ['Qwer1234!'], turns: [
    { say: 'Foxmail 登录失败 535 5.7.8 authentication failed，我的密码是 Qwer1234! 你帮我看看', expect: { redacted: true, rootCause: 'auth_credentials_invalid', reply: [/已自动隐去/, /不要把密码/] } },
  ] },
  { name: 'zh-secret-code', lang: 'zh', user: { mailbox: 'r2@acme.cn' }, neverStored: ['839201'], turns: [
    { say: '收到短信验证码：839201，但是还是登录不了', expect: { redacted: true, reply: [/验证码/] } },
  ] },
  { name: 'en-secret-password', lang: 'en', user: { mailbox: 's1@acme.com' }, neverStored: ['hunter2!x'], turns: [
    { say: 'Outlook keeps asking, password: hunter2!x and it says 535 5.7.8 authentication failed', expect: { redacted: true, rootCause: 'auth_credentials_invalid', reply: [/Never share passwords or codes/] } },
  ] },
  { name: 'en-secret-code', lang: 'en', user: { mailbox: 's2@acme.com' }, neverStored: ['552913'], turns: [
    { say: 'my verification code is 552913, can you log in for me and check?', expect: { redacted: true, reply: [/It was removed and not stored/] } },
  ] },

  // --- resolved by the bot ---------------------------------------------------------------------------
  { name: 'zh-resolved', lang: 'zh', user: { mailbox: 't1@acme.cn' }, turns: [
    { say: '发给客户的邮件被退回，550 5.1.1 user unknown', expect: { rootCause: 'recipient_unknown' } },
    { say: '地址写错了，改了以后可以了，谢谢', expect: { state: 'resolved', reply: [/很高兴问题解决了/] } },
  ] },
  { name: 'en-resolved', lang: 'en', user: { mailbox: 'u1@acme.com' }, turns: [
    { say: AUTH_EN, expect: { rootCause: 'auth_credentials_invalid' } },
    { say: 'The app password fixed it, it works now', expect: { state: 'resolved', reply: [/Glad it works now/] } },
  ] },

  // --- bounce e-mail as an attachment ---------------------------------------------------------------------
  { name: 'zh-bounce-attachment', lang: 'zh', user: { mailbox: 'v1@acme.cn' }, turns: [
    { say: '这是我收到的退信', attachments: [{ kind: 'email', content: [
      'From: MAILER-DAEMON@mx.acme.cn', 'To: v1@acme.cn', 'Subject: Undelivered Mail Returned to Sender', 'Content-Type: text/plain', '',
      'This is the mail system at host mx.acme.cn.', '', '<nobody@partner.cn>: host mx.partner.cn[203.0.113.5] said: 550 5.1.1',
      '    <nobody@partner.cn>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)', ''].join('\n') }],
      expect: { rootCause: 'recipient_unknown', reply: [/建议按以下步骤处理/] } },
  ] },
  { name: 'en-log-attachment', lang: 'en', user: { mailbox: 'w1@acme.com' }, turns: [
    { say: 'Here is what our server logged', attachments: [{ kind: 'log', content: 'Dec  2 10:01:02 mx postfix/smtp[123]: 4F3A21: to=<x@partner.com>, relay=mx.partner.com[203.0.113.9]:25, status=bounced (host mx.partner.com[203.0.113.9] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command))' }],
      expect: { rootCause: 'mailbox_full' } },
  ] },
];
