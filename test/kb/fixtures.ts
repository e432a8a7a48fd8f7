// Small knowledge bases written by the tests themselves (the real knowledge/ is for the evaluation).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FixtureArticle {
  id: string;
  lang: 'zh' | 'en';
  title: string;
  rootCauses: string[];
  providers?: string[];
  sections: [string, string][];
}

export const articleText = (a: FixtureArticle): string =>
  [
    '---',
    `id: ${a.id}`,
    `lang: ${a.lang}`,
    `title: ${a.title}`,
    `rootCauses: [${a.rootCauses.join(', ')}]`,
    `providers: [${(a.providers ?? []).join(', ')}]`,
    'updated: 2026-11-30',
    'sources:',
    '  - RFC 3463',
    '---',
    '',
    `# ${a.title}`,
    '',
    ...a.sections.flatMap(([h, body]) => [`## ${h}`, '', body, '']),
  ].join('\n');

export const FIXTURES: FixtureArticle[] = [
  {
    id: 'rc-mailbox-full',
    lang: 'en',
    title: 'Recipient mailbox is full',
    rootCauses: ['mailbox_full'],
    sections: [
      ['What it means', 'The receiving server refused the message with 552 5.2.2 because the mailbox is over quota.'],
      ['How to fix it', 'Ask the recipient to empty Deleted Items and archive old attachments, then resend.'],
    ],
  },
  {
    id: 'rc-mailbox-full',
    lang: 'zh',
    title: '收件人邮箱已满',
    rootCauses: ['mailbox_full'],
    sections: [
      ['这是什么问题', '对方邮箱容量已满，服务器以 552 5.2.2 退信。'],
      ['解决方法', '请收件人清理已删除邮件和大附件，然后重新发送。'],
    ],
  },
  {
    id: 'rc-dmarc-failure',
    lang: 'en',
    title: 'DMARC check failed',
    rootCauses: ['dmarc_failure'],
    sections: [
      ['What it means', 'Gmail answers 550 5.7.26 "Unauthenticated email is not accepted due to domain\'s DMARC policy".'],
      ['How to fix it', 'Publish SPF and DKIM records aligned with the From domain, then check the DMARC record.'],
    ],
  },
  {
    id: 'rc-recipient-unknown',
    lang: 'zh',
    title: '收件人地址不存在',
    rootCauses: ['recipient_unknown'],
    sections: [
      ['这是什么问题', '退信显示 550 5.1.1 用户不存在：收件人地址拼写错误或者账号已经删除。'],
      ['解决方法', '核对收件人地址的拼写，通过电话确认正确的邮箱地址。'],
    ],
  },
  {
    id: 'prov-exmail-auth',
    lang: 'zh',
    title: '腾讯企业邮客户端登录失败',
    rootCauses: ['auth_credentials_invalid'],
    providers: ['tencent'],
    sections: [['解决方法', '客户端需要使用客户端专用密码（授权码）登录，而不是网页登录密码。']],
  },
  {
    id: 'rc-auth-credentials-invalid',
    lang: 'zh',
    title: '用户名或密码错误导致登录失败',
    rootCauses: ['auth_credentials_invalid'],
    sections: [['解决方法', '535 认证失败：检查用户名和密码，必要时重置密码。']],
  },
];

/** Writes the articles to a fresh directory; returns it and a cleanup function. */
export function writeKnowledge(articles: FixtureArticle[] = FIXTURES): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mm-kb-'));
  for (const lang of ['en', 'zh']) mkdirSync(join(dir, lang));
  for (const a of articles) writeFileSync(join(dir, a.lang, `${a.id}.md`), articleText(a));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
