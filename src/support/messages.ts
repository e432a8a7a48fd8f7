// Everything the bot says, in Chinese and English. Replies are assembled from these pieces.
import type { Lang } from '../core/taxonomy.js';
import { formatLocal } from './hours.js';
import type { Route } from './policy.js';
import type { TemplateField } from './slots.js';

type Text = Record<Lang, string>;

/** Questions for template fields. There is deliberately no question for passwords or codes. */
export const QUESTIONS: Record<TemplateField, Text> = {
  problemType: { zh: '您遇到的是什么问题（发不出、收不到、登录不上，还是别的）？', en: 'What is the problem: mail not sent, not received, cannot sign in, or something else?' },
  mailbox: { zh: '出问题的邮箱地址是哪个？', en: 'Which mailbox (e-mail address) is affected?' },
  errorCode: { zh: '错误代码是多少（例如 550 5.1.1）？', en: 'What is the error code (for example 550 5.1.1)?' },
  errorText: { zh: '请把完整的错误提示或退信内容复制发给我（可直接粘贴退信邮件）。', en: 'Please paste the full error message or the bounce e-mail you received.' },
  timestamp: { zh: '问题是从什么时候开始的？', en: 'When did it start?' },
  steps: { zh: '您是怎么操作时出现的（例如：发给外部邮箱时、添加账户时）？', en: 'What were you doing when it happened (e.g. sending to an outside address, adding the account)?' },
  client: { zh: '您用的是什么邮件客户端和版本（如 Outlook 2016、Foxmail 7.2、iPhone 邮件、网页版）？', en: 'Which mail client and version do you use (e.g. Outlook 2016, Thunderbird 115, iPhone Mail, webmail)?' },
  os: { zh: '电脑或手机的系统是什么（如 Windows 11、macOS、iOS 17、安卓）？', en: 'Which operating system (e.g. Windows 11, macOS, iOS 17, Android)?' },
  network: { zh: '当时用的是什么网络（公司网络、家里宽带、4G/5G、VPN）？', en: 'Which network were you on (office network, home, mobile data, VPN)?' },
};

export const TEXT = {
  greet: { zh: '您好，我是邮件问题助手。请描述您遇到的问题，最好附上错误提示。', en: 'Hello, I am the e-mail support assistant. Please describe the problem, ideally with the error message.' },
  needMore: { zh: '我还需要一些信息才能判断原因：', en: 'I need a little more information to find the cause:' },
  stepsIntro: { zh: '建议按以下步骤处理：', en: 'Please try these steps:' },
  secretWarning: {
    zh: '注意：您的消息里包含密码或验证码，我们已自动隐去，未保存。请不要把密码、授权码或验证码发给任何人，包括客服。',
    en: 'Warning: your message contained a password or verification code. It was removed and not stored. Never share passwords or codes with anyone, including support staff.',
  },
  securityAdvice: {
    zh: '这可能是账号安全事件，已按高优先级转给安全客服。请尽快在官方页面修改密码并退出其他设备的登录。',
    en: 'This looks like an account security event and has been passed to the security team with high priority. Please change your password on the official site and sign out other devices as soon as you can.',
  },
  offerHuman: { zh: '问题还没解决？回复“转人工”或“好的”，我为您联系人工客服。', en: 'Still not solved? Reply "human" or "yes" and I will bring in a person from support.' },
  resolved: { zh: '很高兴问题解决了！如果再有问题，随时告诉我。', en: 'Glad it works now! Tell me any time if something else comes up.' },
  askAfterAnswer: { zh: '为了给出更准确的步骤：', en: 'To make the steps more precise:' },
} satisfies Record<string, Text>;

const HANDOFF_REASON: Record<string, Text> = {
  user_request: { zh: '好的，已为您转接人工客服。', en: 'Sure, I have passed you to a person from support.' },
  security: { zh: '', en: '' },
  low_confidence: { zh: '这个问题我暂时无法确定原因，已转给人工客服继续处理。', en: 'I could not determine the cause with confidence, so I have passed this to a person from support.' },
  repeated: { zh: '抱歉问题还没解决，已转给人工客服跟进。', en: 'Sorry this is still not solved; I have passed it to a person from support.' },
  timeout: { zh: '好的，已为您转接人工客服。', en: 'Sure, I have passed you to a person from support.' },
};

export function handoffText(args: { lang: Lang; reason: string; ticketNumber: number; duplicate: boolean; route: Route; emergencyName: string; emergencyContact?: string; verifyHint?: string }): string {
  const { lang, route } = args;
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (args.reason === 'security') parts.push(TEXT.securityAdvice[lang]);
  else parts.push(HANDOFF_REASON[args.reason]?.[lang] ?? HANDOFF_REASON.user_request![lang]);
  parts.push(
    args.duplicate
      ? zh ? `这个问题已有处理中的工单 #${args.ticketNumber}，新信息已补充到该工单。` : `This problem already has an open ticket, #${args.ticketNumber}; I added the new information to it.`
      : zh ? `工单号：#${args.ticketNumber}。` : `Your ticket number is #${args.ticketNumber}.`,
  );
  if (route.channel === 'emergency') {
    const contact = args.emergencyContact ? (zh ? `（${args.emergencyContact}）` : ` (${args.emergencyContact})`) : '';
    parts.push(zh
      ? `现在是非服务时间，已转到 7×24 小时紧急通道「${args.emergencyName}」${contact}，预计 ${route.waitMinutes} 分钟内有人回复。`
      : `We are outside service hours, so it went to the 24×7 emergency channel "${args.emergencyName}"${contact}; expect an answer within ${route.waitMinutes} minutes.`);
  } else if (route.opensAt) {
    parts.push(zh
      ? `现在是非服务时间，工单已排队，客服将在 ${formatLocal(route.opensAt, route.timezone)} 上班后尽快回复。`
      : `We are outside service hours; your ticket is queued and a person will answer after we open at ${formatLocal(route.opensAt, route.timezone)}.`);
  } else if (route.waitMinutes !== null) {
    parts.push(zh ? `预计 ${route.waitMinutes} 分钟内有人回复。` : `Expect an answer within about ${route.waitMinutes} minutes.`);
  }
  if (route.needsVerification) parts.push(verifyText(lang, args.verifyHint));
  return parts.join('\n');
}

export function verifyText(lang: Lang, hint?: string): string {
  const how = hint ?? (lang === 'zh' ? '请在管理后台完成二次验证（如短信或身份验证器）后重新发起会话' : 'complete the second-factor check in your admin console (SMS or authenticator app), then start a new conversation');
  return lang === 'zh'
    ? `管理员级（高级）支持需要先完成身份验证：${how}。在此之前，您的问题按普通支持处理。`
    : `Admin-level (advanced) support needs a verified identity: ${how}. Until then your request is handled as standard support.`;
}

export function askText(lang: Lang, fields: TemplateField[]): string {
  return fields.map((f, i) => `${i + 1}. ${QUESTIONS[f][lang]}`).join('\n');
}

export function stepsText(lang: Lang, summary: string, steps: string[]): string {
  return [summary, TEXT.stepsIntro[lang], ...steps.map((s, i) => `${i + 1}. ${s}`)].join('\n');
}
