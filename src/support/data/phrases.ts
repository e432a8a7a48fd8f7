// What users say, per intent, in Chinese and English. Plain data: the dialogue policy only asks
// "does this message carry intent X". Latin entries match on word boundaries, case-insensitively;
// Chinese entries match as substrings. A Chinese entry right after a negation (不/不要/不用/别/无需)
// does not count, nor does an English one after "don't"/"no"/"not".

export type Intent = 'human' | 'stillFails' | 'security' | 'outage' | 'resolved' | 'affirm' | 'urgent';

export const PHRASES: Record<Intent, { zh: string[]; en: string[] }> = {
  human: {
    zh: ['转人工', '人工服务', '人工客服', '联系客服', '找客服', '客服人员', '真人', '人工处理', '找人工', '接人工', '技术支持人员'],
    en: ['human', 'agent', 'talk to a person', 'speak to a person', 'real person', 'representative', 'operator', 'support staff', 'speak to someone', 'talk to someone', 'customer service'],
  },
  stillFails: {
    zh: ['还是不行', '还是失败', '还是发不', '还是收不', '还是报错', '还是一样', '仍然不行', '仍然失败', '依然不行', '依然失败', '没有用', '没用', '不管用', '没解决', '没有解决', '问题依旧', '同样的错误', '试过了'],
    en: ['still fails', 'still failing', 'still not working', "still doesn't work", 'still does not work', "didn't help", 'did not help', "didn't work", 'did not work', 'same error', 'still getting', 'still get', 'not fixed', 'tried that', 'already tried', 'no luck'],
  },
  security: {
    zh: ['账号被盗', '帐号被盗', '账户被盗', '被盗号', '盗号', '被黑了', '被入侵', '钓鱼', '诈骗邮件', '冒充', '发垃圾邮件', '发送垃圾邮件', '群发垃圾', '自动发送大量', '异地登录', '陌生设备登录', '不是我发的'],
    en: ['stolen account', 'account was stolen', 'account stolen', 'account has been stolen', 'hacked', 'compromised', 'phishing', 'spoofed', 'impersonat', 'sending spam', 'sent spam', 'spam sent from', 'spam from my account', 'suspicious sign-in', 'suspicious login', 'unknown login', "i didn't send", 'i did not send'],
  },
  outage: {
    zh: ['全公司', '所有人都', '大家都', '所有用户', '全部用户', '整个公司', '宕机', '瘫痪', '服务中断', '都发不出去', '都收不到'],
    en: ['everyone', 'all users', 'all our users', 'whole company', 'entire company', 'outage', 'server is down', 'server down', 'nobody can', 'no one can'],
  },
  resolved: {
    zh: ['解决了', '已解决', '好了', '可以了', '成功了', '能发了', '能收了', '正常了', '搞定'],
    en: ['works now', 'working now', 'it worked', 'that worked', 'solved', 'fixed it', "it's fixed", 'resolved', 'problem gone'],
  },
  affirm: {
    zh: ['好', '好的', '是', '是的', '需要', '要', '可以', '行', '嗯'],
    en: ['yes', 'yes please', 'ok', 'okay', 'sure', 'please do', 'please', 'yep', 'y'],
  },
  urgent: {
    zh: ['紧急', '十万火急', '非常急', '很急', '马上', '尽快'],
    en: ['urgent', 'asap', 'emergency', 'critical', 'immediately'],
  },
};
