import type { TextRules } from '../text.js';
import type { Lhost } from './types.js';

// Chinese providers' own bounce notices (QQ Mail / Tencent Exmail, NetEase 163/126/yeah/Qiye,
// Aliyun Qiye Mail): "退信", "邮件投递失败", "无法发送到 …", "收件人：…", "退信原因：…".
const NOTICE = /退信|邮件投递失败|邮件发送失败|发送失败|无法(?:发送|投递|送达)到?|未能(?:成功)?(?:送达|投递|发送)|被退回|投递状态通知/;

const rules: TextRules = {
  begin: /(?:以下是该邮件的相关信息|相关信息如下|退信详情|详细信息如下)[:：]?[^\n]*\n/,
  end: [/^[ \t]*[-=]{2,}[^\n]*(?:原始邮件|原邮件|原信|邮件头)/m, /^[ \t]*(?:原始邮件|原邮件头|原始邮件头)[:：]/m],
  drop: /^\s*(?:很抱歉|亲爱的|您好|尊敬的|此邮件由系统自动发送|请勿直接回复|建议您|如有疑问|(?:发件人|主题|发送时间|时间)[:：])/,
  delayed: /正在重试|将继续尝试|延迟投递|暂时无法投递/,
};

export const tencent: Lhost = {
  id: 'tencent',
  provider: 'tencent',
  require: NOTICE,
  from: /@(?:(?:[a-z0-9-]+\.)?qq\.com|foxmail\.com|exmail\.qq\.com)\b/i,
  rules,
};

export const netease: Lhost = {
  id: 'netease',
  provider: 'netease',
  require: NOTICE,
  from: /@(?:(?:[a-z0-9-]+\.)?(?:163|126|188)\.com|yeah\.net|(?:[a-z0-9-]+\.)?netease\.com|qiye\.163\.com)\b/i,
  rules,
};

export const aliyun: Lhost = {
  id: 'aliyun',
  provider: 'aliyun',
  require: NOTICE,
  from: /@(?:(?:[a-z0-9-]+\.)?aliyun\.com|(?:[a-z0-9-]+\.)?mxhichina\.com|alibaba-inc\.com)\b/i,
  rules,
};

/** Any other server writing a Chinese bounce notice. */
export const chineseGeneric: Lhost = { id: 'cjk', provider: null, text: NOTICE, rules };
