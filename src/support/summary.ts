// The hand-over note for the agent: deterministic from the template, diagnosis and transcript; an
// LLM-written version replaces it later when a model is configured (see jobs.ts).
import type { Lang } from '../core/taxonomy.js';
import type { DiagnosisDigest, HandoffReason } from './policy.js';
import type { Template } from './slots.js';
import type { Message } from './store.js';

const LABELS: Record<Lang, Record<string, string>> = {
  zh: {
    problem: '问题', unknown: '未确定', mailbox: '邮箱', error: '错误', client: '客户端', os: '系统', network: '网络', time: '时间', steps: '操作',
    reason: '转人工原因', botSteps: '机器人已给出处理步骤', none: '无', messages: '用户消息', missing: '缺少', confidence: '置信度',
    user_request: '用户要求人工', security: '安全事件', low_confidence: '机器人无法确定原因', repeated: '按建议操作后问题依旧', timeout: '长时间未解决',
  },
  en: {
    problem: 'Problem', unknown: 'not determined', mailbox: 'Mailbox', error: 'Error', client: 'Client', os: 'OS', network: 'Network', time: 'Time', steps: 'Steps',
    reason: 'Hand-over reason', botSteps: 'Fix steps the bot gave', none: 'none', messages: 'User messages', missing: 'Missing', confidence: 'confidence',
    user_request: 'the user asked for a person', security: 'security event', low_confidence: 'the bot could not determine the cause', repeated: 'still failing after the suggested steps', timeout: 'unresolved for a long time',
  },
};

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function deterministicSummary(args: {
  lang: Lang; template: Template; diagnosis: DiagnosisDigest | null; reason: HandoffReason; messages: Pick<Message, 'role' | 'text'>[]; botAnswers: number;
}): string {
  const L = LABELS[args.lang];
  const { template: t, diagnosis: d } = args;
  const lines: string[] = [];
  const cause = d && d.rootCause !== 'unknown' ? `${t.problemType ?? d.rootCause} (${d.rootCause}, ${L.confidence} ${d.confidence.toFixed(2)})` : L.unknown;
  lines.push(`${L.problem}: ${cause}`);
  lines.push(`${L.reason}: ${L[args.reason]}`);
  for (const [label, value] of [[L.mailbox, t.mailbox], [L.error, t.errorCode], [L.client, t.client], [L.os, t.os], [L.network, t.network], [L.time, t.timestamp], [L.steps, t.steps]] as const) {
    if (value) lines.push(`${label}: ${clip(value, 200)}`);
  }
  lines.push(`${L.botSteps}: ${args.botAnswers > 0 && d ? d.steps.length : L.none}`);
  const said = args.messages.filter((m) => m.role === 'user').map((m) => clip(m.text.replace(/\s+/g, ' '), 160));
  if (said.length) lines.push(`${L.messages} (${said.length}): ${said.length > 3 ? [said[0], '…', ...said.slice(-2)].join(' | ') : said.join(' | ')}`);
  const missing = (Object.keys(t) as (keyof Template)[]).filter((k) => !t[k]);
  if (missing.length) lines.push(`${L.missing}: ${missing.join(', ')}`);
  return lines.join('\n');
}
