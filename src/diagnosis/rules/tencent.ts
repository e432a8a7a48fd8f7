// Tencent Exmail (腾讯企业邮) and QQ Mail: replies documented in the QQ Mail / Exmail help centre.
import { family } from './types.js';

export const tencentRules = family('tencent', [
  { id: 'tencent.frequency', reason: 'toomanyconn', rootCause: 'rate_limited', specificity: 90,
    phrases: ['ip frequency limited', 'connection frequency limited', 'domain frequency limited', 'frequency limited'] },
  { id: 'tencent.auth_code', reason: 'securityerror', rootCause: 'auth_method_disabled', specificity: 90,
    phrases: ['please enter your authorization code', 'please use the authorization code', '请使用授权码登录', '使用授权码', '授权码'] },
  { id: 'tencent.sender_mismatch', reason: 'rejected', rootCause: 'sender_not_authenticated', specificity: 88,
    phrases: ['mail from address must be same as authorization user', '发信人必须与登录账号一致'] },
  { id: 'tencent.content', reason: 'spamdetected', rootCause: 'spam_content', specificity: 86,
    phrases: ['mail content denied', 'error: content rejected', 'suspected spam', 'rejectedmail.html'] },
  { id: 'tencent.dmarc', reason: 'authfailure', rootCause: 'dmarc_failure', specificity: 88,
    phrases: ['dmarc check failed'] },
  { id: 'tencent.login_frequency', reason: 'securityerror', rootCause: 'auth_credentials_invalid', specificity: 80,
    phrases: ['login frequency limited', 'login fail. account is abnormal'] },
]);
