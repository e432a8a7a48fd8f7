// Conversation transcripts as plain text, JSON or PDF. Stored text is already redacted; PDFs embed
// a CJK font so Chinese renders (Debian: fonts-wqy-microhei).
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { Conversation, Message } from './store.js';

export const CJK_FONT_PATHS = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
];

const ROLE: Record<Message['role'], { zh: string; en: string }> = {
  user: { zh: '用户', en: 'User' },
  bot: { zh: '机器人', en: 'Bot' },
  agent: { zh: '客服', en: 'Agent' },
  system: { zh: '系统', en: 'System' },
};

const stamp = (d: Date | string): string => new Date(d).toISOString().replace('T', ' ').slice(0, 19) + 'Z';

function header(c: Conversation): string[] {
  return [
    `Conversation ${c.id}`,
    `Channel: ${c.channel}   State: ${c.state}   Language: ${c.language}`,
    `User: ${[c.user.name, c.user.mailbox, c.user.role, c.user.verified ? 'verified' : 'not verified'].filter(Boolean).join(', ')}`,
    `Started: ${stamp(c.createdAt)}`,
  ];
}

export function transcriptText(c: Conversation, messages: Message[]): string {
  const lines = header(c);
  for (const m of messages) {
    lines.push('', `[${stamp(m.createdAt)}] ${ROLE[m.role][c.language]}:`, m.text);
  }
  return `${lines.join('\n')}\n`;
}

export function transcriptJson(c: Conversation, messages: Message[]) {
  return {
    conversation: { id: c.id, channel: c.channel, state: c.state, language: c.language, user: c.user, ticketId: c.ticketId, createdAt: c.createdAt },
    messages: messages.map((m) => ({ role: m.role, text: m.text, at: m.createdAt, ...(m.data.attachments ? { attachments: m.data.attachments } : {}) })),
  };
}

export class FontMissingError extends Error {}

export function cjkFontPath(): string | null {
  return CJK_FONT_PATHS.find((p) => existsSync(p)) ?? null;
}

export async function transcriptPdf(c: Conversation, messages: Message[]): Promise<Buffer> {
  const font = cjkFontPath();
  if (!font) throw new FontMissingError(`PDF transcripts need a CJK font; install the Debian package fonts-wqy-microhei (looked for ${CJK_FONT_PATHS.join(', ')})`);
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Conversation ${c.id}`, Producer: 'MailMedic' } });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(font, 'WenQuanYiMicroHei');
  doc.fontSize(14).text(c.language === 'zh' ? '会话记录' : 'Conversation transcript');
  doc.moveDown(0.5).fontSize(9).fillColor('#555').text(header(c).join('\n'));
  for (const m of messages) {
    doc.moveDown(0.8).fontSize(9).fillColor('#555').text(`${stamp(m.createdAt)}  ${ROLE[m.role][c.language]}`);
    doc.fontSize(11).fillColor('#000').text(m.text || ' ');
  }
  doc.end();
  return done;
}
