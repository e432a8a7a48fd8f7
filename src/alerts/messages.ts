// Localized alert texts. Fixed texts need no model: zh and en are written here.
import type { Forecast } from './forecast.js';

const GB = 1024 ** 3;
const gb = (b: number) => (b / GB).toFixed(1);

export function mailboxMessage(mailbox: string, f: Forecast, thresholdDays: number): { zh: string; en: string } {
  const days = f.daysToFull === null ? null : Math.max(0, Math.ceil(f.daysToFull));
  const soon = days !== null && days <= thresholdDays;
  const zhHead = soon
    ? days === 0
      ? `邮箱 ${mailbox} 的存储空间已经用尽或即将用尽（已用 ${f.usedPct}%）。`
      : `您的邮箱存储空间预计将在 ${days} 天内用尽（${mailbox}，已用 ${f.usedPct}%，${gb(f.usedBytes)} / ${gb(f.quotaBytes)} GB）。`
    : `邮箱 ${mailbox} 已使用 ${f.usedPct}% 的存储空间（${gb(f.usedBytes)} / ${gb(f.quotaBytes)} GB）。`;
  const enHead = soon
    ? days === 0
      ? `The mailbox ${mailbox} is full or about to be (${f.usedPct}% used).`
      : `Your mailbox will be full in about ${days} day${days === 1 ? '' : 's'} (${mailbox}, ${f.usedPct}% used, ${gb(f.usedBytes)} of ${gb(f.quotaBytes)} GB).`
    : `The mailbox ${mailbox} has used ${f.usedPct}% of its storage (${gb(f.usedBytes)} of ${gb(f.quotaBytes)} GB).`;
  return {
    zh: `${zhHead}邮箱满后新邮件会被退回给发件人。建议：1. 将旧邮件归档到本地或归档邮箱；2. 清理带大附件的邮件并清空“已删除”文件夹；3. 如仍不够，请联系管理员申请增加容量。`,
    en: `${enHead} Once it is full, new mail bounces back to the senders. What to do: 1. archive old mail (locally or to an archive mailbox); 2. delete messages with large attachments and empty Deleted Items; 3. if that is not enough, ask your administrator for more quota.`,
  };
}
