// Mail-domain vocabulary for tokenization. Data only: the tokenizer (tokenize.ts) reads it.

/**
 * Chinese words that Intl.Segmenter splits into pieces (退信 → 退|信, 服务器 → 服务|器, 域名 → 域|名 ...).
 * They are matched first (longest match), the rest of the text is left to the segmenter.
 */
export const ZH_WORDS = [
  // messages and people
  '退信', '退件', '退回', '被退回', '退信码', '收件人', '发件人', '寄件人', '抄送', '密送', '群发', '收件箱', '发件箱',
  '草稿箱', '已发送', '垃圾邮件', '垃圾箱', '垃圾邮件箱', '广告邮件', '营销邮件', '邮件头', '信头', '正文', '附件',
  '超大附件', '邮箱', '信箱', '邮件', '邮件地址', '邮箱地址', '发信', '收信', '来信', '投递', '送达', '未送达', '延迟投递',
  // accounts and security
  '账号', '帐号', '账户', '帐户', '用户名', '密码', '口令', '授权码', '验证码', '专用密码', '应用专用密码', '双重验证',
  '两步验证', '二次验证', '多因素认证', '身份验证', '认证', '鉴权', '登录', '登陆', '被盗', '盗号', '异地登录', '异常登录',
  '钓鱼', '仿冒', '诈骗', '病毒', '木马', '恶意软件', '勒索软件', '杀毒', '反病毒', '宏病毒', '可执行文件', '扩展名',
  '后缀名', '压缩包', '压缩文件', '加密压缩包',
  // servers, networks, DNS
  '服务器', '邮件服务器', '发信服务器', '收信服务器', '客户端', '网页版', '端口', '防火墙', '证书', '加密', '明文', '中继',
  '转发', '自动转发', '域名', '子域名', '主机名', '反向解析', '解析', '记录', '公网', '内网', '出口', '运营商', '服务商',
  '协议', '命令', '语法', '握手', '超时', '连接', '断开', '队列', '重试', '过期', '延迟',
  // policy and limits
  '黑名单', '白名单', '灰名单', '反垃圾', '信誉', '声誉', '拦截', '拒收', '拒信', '隔离', '过滤', '策略', '配额', '额度',
  '容量', '空间', '上限', '限额', '频率', '限流', '不存在', '停用', '冻结', '注销', '禁用', '锁定', '暂停',
  // products and places in Chinese mail support
  '企业邮箱', '企业邮', '腾讯企业邮', '网易企业邮箱', '阿里云', '阿里邮箱', '阿里云邮箱', '管理后台', '管理员', '管理控制台',
  '管理中心', '技术支持', '错误码', '错误代码', '状态码', '回复码', '日志', '邮件日志',
];

/**
 * Words that mean the same thing in a mail-support question; each group is stored and searched as its
 * first entry. Groups may mix languages (a zh question about "bounce" still matches). English entries are
 * given unstemmed; the tokenizer stems them.
 */
export const SYNONYMS: string[][] = [
  ['退信', '退件', '退回', '被退回', '退信码', '被退', '退', 'bounce', 'bounced', 'bounces', 'ndr', 'ndrs', 'undeliverable', 'undelivered'],
  ['账号', '帐号', '账户', '帐户', 'account'],
  ['密码', '口令', 'password', 'passwords'],
  ['授权码', '专用密码', '应用专用密码'],
  ['登录', '登陆', 'login', 'logon', 'signin'],
  ['邮箱', '信箱', 'mailbox', 'inbox'],
  ['垃圾邮件', '垃圾箱', '垃圾邮件箱', '广告邮件', 'spam', 'junk'],
  ['黑名单', 'blocklist', 'blacklist', 'denylist', 'blocklisted', 'blacklisted'],
  ['白名单', 'allowlist', 'whitelist', 'safelist'],
  ['钓鱼', '仿冒', 'phishing', 'phish'],
  ['病毒', '木马', '恶意软件', 'virus', 'malware', 'trojan'],
  ['服务器', 'server', 'servers'],
  ['客户端', 'client', 'clients'],
  ['收件人', 'recipient', 'recipients', 'addressee'],
  ['发件人', '寄件人', 'sender', 'senders'],
  ['附件', 'attachment', 'attachments'],
  ['域名', 'domain', 'domains'],
  ['容量', '空间', '配额', '额度', 'quota', 'storage'],
  ['拒收', '拒信', '拒绝', 'reject', 'rejected', 'rejection', 'refused'],
  ['超时', 'timeout', 'timeouts'],
  ['证书', 'certificate', 'cert'],
  ['中继', 'relay', 'relaying'],
  ['信誉', '声誉', 'reputation'],
  ['限流', '频率', 'throttle', 'throttled', 'throttling'],
  ['灰名单', 'greylist', 'greylisting', 'graylist', 'graylisting', 'greylisted'],
  ['过期', 'expire', 'expired'],
  ['停用', '禁用', 'disable', 'disabled', 'inactive', 'deactivated'],
  ['冻结', '锁定', 'locked', 'suspend', 'suspended'],
  ['被盗', '盗号', 'compromise', 'compromised', 'hacked', 'hijacked'],
  ['队列', 'queue', 'queued'],
  ['转发', 'forward', 'forwarding', 'forwarded'],
  ['日志', 'log', 'logs'],
  ['email', 'e-mail', 'mail', 'emails', 'mails', 'message', 'messages', '邮件', '信件', '来信'],
];

export const EN_STOP = new Set(
  (
    'a an and are as at be been being but by can cannot could did do does doing done for from get gets got had has have ' +
    'having he her here hers him his how i if in into is it its itself just me might more most my myself no nor not of ' +
    'off on once only or other our ours out over own please same she should so some such than that the their theirs ' +
    'them then there these they this those through to too under until up very was we were what when where which while ' +
    'who whom why will with would you your yours yourself anyone someone something anything keep keeps still also ' +
    'tried try trying help need needs want wants im ive dont doesnt cant wont isnt'
  ).split(' '),
);

export const ZH_STOP = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 么 嘛 是 我 你 您 他 她 它 我们 你们 他们 我的 你的 在 和 与 及 或 或者 也 就 都 而 这 那 这个 那个 ' +
    '一个 怎么 怎么办 怎样 为什么 为何 什么 如何 请问 请 能 能不能 可以 可不可以 会 要 想 有 有没有 被 把 给 对 从 到 让 ' +
    '还 还是 但是 但 就是 一直 已经 之后 以后 然后 现在 今天 这样 那样 该 应该 需要 办 啊 哪 哪里 哪些 为 着 过 又 再 ' +
    '很 非常 总是 是否 好像 好 一下 下 里 中 上'
  ).split(' '),
);
