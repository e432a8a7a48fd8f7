// 每个 rootCause 的中文说明与处理步骤，面向一线客服，可直接转述给用户或管理员。
import type { AdviceTable } from './types.js';

const MS_AUTH_STEPS = [
  '在 Microsoft 365 管理中心打开“用户 > 活跃用户 > 该邮箱 > 邮件 > 管理电子邮件应用”，勾选“经过身份验证的 SMTP”。',
  '或在 Exchange Online PowerShell 中执行：Set-CASMailbox -Identity user@yourdomain.com -SmtpClientAuthenticationDisabled $false。',
  '若提示整个租户禁用了 SMTP AUTH（5.7.139），需管理员执行 Set-TransportConfig -SmtpClientAuthenticationDisabled $false；更稳妥的做法是租户保持关闭，只为需要的邮箱单独开启。',
  '“安全默认值”(Security Defaults) 或阻止旧式身份验证的条件访问策略会覆盖邮箱级设置：把该账号排除在策略外，或让设备改用 OAuth 2.0。',
  '微软正在逐步停用 SMTP AUTH 的基本身份验证：扫描仪、业务系统应尽早改用 OAuth、连接器中继或专门的发信服务。',
];

export const ZH: AdviceTable = {
  recipient_unknown: {
    title: '收件人地址不存在',
    summary: '对方邮件服务器表示没有这个邮箱地址，重发多少次都不会成功。',
    steps: [
      '仔细核对收件人地址是否拼写错误（字母顺序、漏字、域名写错，如 .con 写成 .com）。',
      '通过电话或其他方式向收件人确认正确地址，对方可能已离职或更换了邮箱。',
      '如果地址来自客户端自动补全，请删除缓存的旧地址后重新输入。',
      '如果是本公司域名下的地址，请管理员在后台确认该账号或别名存在，且目录同步已完成。',
      '把无效地址从群发列表中删除，避免反复退信影响发信信誉。',
    ],
  },
  recipient_domain_invalid: {
    title: '收件人域名不存在或不接收邮件',
    summary: '@ 后面的域名在 DNS 中查不到，或者没有配置邮件服务器（MX），邮件无处投递。',
    steps: [
      '检查地址中的域名部分是否拼错（如 gmial.com、outlok.com、漏写 .cn 等后缀）。',
      '查询该域名的 MX 记录：nslookup -type=mx example.com，若既无 MX 也无 A 记录，该域名无法收信。',
      '如果对方域名刚过期或更换了邮箱服务，请向收件人索取可用的新地址。',
      '如果是本公司或合作方的域名，请域名负责人在 DNS 服务商处恢复 MX 记录。',
    ],
  },
  mailbox_full: {
    title: '收件人邮箱已满',
    summary: '收件人的邮箱空间已用完，在清理出空间之前拒收新邮件。',
    steps: [
      '通过电话或即时通讯告知收件人其邮箱已满。',
      '请收件人清空“已删除”和“垃圾邮件”文件夹，删除或归档带大附件的邮件。',
      '如果是本公司邮箱，管理员可在后台提高该邮箱容量或开启归档。',
      '对方腾出空间后再重发；大文件建议改用网盘链接发送。',
    ],
  },
  mailbox_disabled: {
    title: '收件人邮箱已停用或被冻结',
    summary: '该地址存在，但邮箱已被停用、长期未使用或被冻结，因此不接收邮件。',
    steps: [
      '通过其他渠道联系收件人，账号可能已注销、被冻结或长期未登录。',
      '询问对方是否有新的邮箱地址，或现在由哪位同事负责这类邮件。',
      '如果是本公司邮箱，请管理员在后台确认账号是否被禁用、未分配许可证或已删除，必要时重新启用。',
      '长期停用的地址请从群发列表中删除。',
    ],
  },
  message_too_large: {
    title: '邮件体积超过限制',
    summary: '邮件连同附件超过了发信方或收信方服务器的大小限制。注意附件编码后体积约增大三分之一。',
    steps: [
      '查看附件总大小，为兼容大多数邮箱，建议整封邮件控制在 10–20 MB 以内。',
      '压缩文件，或拆分成多封邮件发送。',
      '更好的做法是把大文件上传到网盘或文件共享，邮件中只发送下载链接（很多邮箱自带“超大附件”功能）。',
      '如果限制来自本公司服务器，管理员可调高大小限制（如 Postfix 的 message_size_limit、Exchange 的收发连接器限制）。',
    ],
  },
  attachment_blocked: {
    title: '附件类型被拦截',
    summary: '对方系统因附件的文件类型或扩展名拒收（可执行文件、脚本、带宏的文档、部分压缩包等）。',
    steps: [
      '确认被拒的是哪个附件，.exe、.js、.vbs、.bat、.scr、.iso 及启用宏的 Office 文件最常被拦截。',
      '改用网盘或文件共享链接发送该文件。',
      '如果必须作为附件，请询问对方单位允许的格式；修改扩展名通常会被识别，不建议这样做。',
      '加密压缩包因无法扫描内容，也常被拦截。',
    ],
  },
  sender_not_authenticated: {
    title: '客户端发信时没有登录发信服务器',
    summary: '发信（SMTP）服务器要求先验证身份，但邮件客户端或设备没有登录就直接发信了。',
    steps: [
      '在客户端的发送服务器设置中勾选“我的发送服务器（SMTP）要求验证”，并使用与收信服务器相同的账号。',
      '使用加密的提交端口：465（SSL/TLS）或 587（STARTTLS），不要用 25 端口。',
      '用户名填写完整邮箱地址。',
      '打印机、扫描仪、业务系统请检查其 SMTP 设置中的身份验证选项；如果设备不支持验证，改用按 IP 放行的中继。',
    ],
    providers: {
      microsoft: {
        steps: [
          '发送服务器：smtp.office365.com，端口 587，加密方式 STARTTLS，开启身份验证，用户名为完整邮箱地址。',
          '确认该邮箱已开启“经过身份验证的 SMTP”（管理中心 > 用户 > 邮件 > 管理电子邮件应用）。',
          '无法验证身份的设备可通过连接器发信：使用 MX 地址（yourdomain-com.mail.protection.outlook.com，端口 25），并创建信任公司公网 IP 或证书的入站连接器。',
          '确认发件人地址就是登录的邮箱，或该邮箱对其拥有“代理发送(Send As)”权限。',
        ],
      },
      google: {
        steps: [
          '发送服务器：smtp.gmail.com，端口 465（SSL）或 587（STARTTLS），开启身份验证，用户名为完整地址。',
          '开启两步验证后，客户端中必须使用“应用专用密码”或支持 Google 登录（OAuth）的客户端，普通登录密码会被拒绝。',
          '无法登录的设备，可由 Workspace 管理员在“管理控制台 > 应用 > Google Workspace > Gmail > 路由”中配置 SMTP 中继服务（smtp-relay.gmail.com）并放行公司 IP。',
        ],
      },
    },
  },
  auth_credentials_invalid: {
    title: '用户名或密码验证失败',
    summary: '发信服务器拒绝登录：用户名或密码错误、密码已过期，或该邮箱要求使用授权码/专用密码而不是登录密码。',
    steps: [
      '在客户端中重新输入密码，用户名填写完整邮箱地址。',
      '用同一密码登录网页版邮箱，确认密码正确且未过期。',
      '如果账号开启了二次验证或安全登录，请生成客户端专用密码（授权码），在客户端中用它代替登录密码。',
      '多次失败后账号可能被临时锁定，请等待 15–30 分钟或联系管理员解锁。',
      '近期改过密码的，请在手机、平板、扫描仪等所有仍使用旧密码的设备上同步更新。',
    ],
    providers: {
      microsoft: {
        steps: [
          '用同一账号登录 outlook.office.com，确认密码正确。',
          '如果开启了多重身份验证 (MFA)，只有在租户允许应用密码时才能使用应用密码；否则请使用支持现代验证 (OAuth) 的客户端。',
          '管理员可在 Entra ID（Azure AD）登录日志中查看失败原因（密码错误、旧式身份验证被阻止、条件访问等）。',
          ...MS_AUTH_STEPS.slice(0, 1),
        ],
      },
      google: {
        steps: [
          'Google 账号不接受在邮件客户端中直接使用登录密码：请开启两步验证后在 myaccount.google.com/apppasswords 创建应用专用密码，或使用支持 Google 登录 (OAuth) 的客户端。',
          '将 16 位应用专用密码去掉空格后填入客户端的密码栏。',
          '如果找不到应用专用密码选项，可能是 Workspace 管理员禁用了该功能，或账号启用了高级保护。',
          '查看 Google 账号的安全提醒，确认是否有被拦截的登录。',
        ],
      },
      tencent: {
        steps: [
          '腾讯企业邮：登录网页版，进入“设置 > 客户端设置”，开启 IMAP/SMTP 服务。',
          '如果开启了“安全登录”（微信绑定），请生成“客户端专用密码”，在客户端中用它代替登录密码。',
          '发送服务器 smtp.exmail.qq.com，端口 465，勾选 SSL，用户名为完整邮箱地址。',
          '个人 QQ 邮箱：开启 SMTP 服务后生成“授权码”，发送服务器为 smtp.qq.com（465，SSL）。',
          '若管理员限制了客户端访问，请管理员在企业邮管理后台把你的账号加入 IMAP/SMTP 服务的可用范围。',
        ],
      },
      netease: {
        steps: [
          '163/126 邮箱：登录网页版，进入“设置 > POP3/SMTP/IMAP”，开启 SMTP 服务并新增“授权码”，在客户端密码栏填写授权码。',
          '发送服务器 smtp.163.com（或 smtp.126.com），端口 465，勾选 SSL。',
          '网易企业邮箱：发送服务器 smtphz.qiye.163.com，端口 465（SSL）；如开启了安全登录，请在网页版设置中生成客户端授权密码。',
          '用户名填写完整邮箱地址。',
        ],
      },
      aliyun: {
        steps: [
          '阿里企业邮箱：发送服务器 smtp.qiye.aliyun.com，端口 465，勾选 SSL，用户名为完整邮箱地址。',
          '如果管理员强制启用了“三方客户端安全密码”，请在网页版“设置 > 账户与安全”中生成安全密码，用它代替登录密码。',
          '请管理员确认已允许你的账号使用三方客户端（新开通的企业可能默认禁止）。',
          '登录 qiye.aliyun.com 网页版，确认密码正确。',
        ],
      },
      yahoo: {
        steps: [
          'Yahoo 邮箱在第三方客户端中不接受账号密码：进入“账户信息 > 账户安全 > 生成应用密码”，在客户端中使用该密码。',
          '发送服务器 smtp.mail.yahoo.com，端口 465（SSL）或 587（STARTTLS），开启身份验证。',
          '用户名填写完整的 Yahoo 邮箱地址。',
        ],
      },
      zoho: {
        steps: [
          '开启了双重验证时，请在 Zoho 账户“安全 > 应用专用密码”中生成专用密码。',
          '发送服务器：企业账号用 smtppro.zoho.com，个人账号用 smtp.zoho.com，端口 465（SSL）或 587（TLS）；注意使用账号所在数据中心的地址（如 smtp.zoho.eu）。',
          '确认 Zoho Mail 设置中已启用 IMAP/POP 访问，企业账号还需管理员允许。',
        ],
      },
      icloud: {
        steps: [
          'iCloud 邮件需要“App 专用密码”：在 account.apple.com 的“登录与安全”中生成。',
          '发送服务器 smtp.mail.me.com，端口 587，STARTTLS，开启身份验证，用户名为完整 iCloud 地址。',
          'Apple 账户需开启双重认证才能生成 App 专用密码。',
        ],
      },
    },
  },
  auth_method_disabled: {
    title: '该账号的登录方式已被禁用',
    summary: '问题不在密码本身：邮箱服务商或单位管理员关闭了这种登录方式（SMTP 身份验证、基本身份验证），或要求使用授权码/专用密码或 OAuth。',
    steps: [
      '先确认是哪一层禁用的：邮箱账号的 SMTP/IMAP 开关、整个单位的总开关，还是阻止旧式密码登录的安全策略。',
      '如单位允许，为该邮箱开启 SMTP 身份验证。',
      '不允许直接用密码的，改用客户端专用密码/授权码，或支持 OAuth 2.0 的客户端。',
      '既不支持专用密码也不支持 OAuth 的设备和系统，改为通过按 IP 或证书验证的中继（连接器、SMTP 中继服务）发信。',
    ],
    providers: {
      microsoft: {
        summary: 'Microsoft 365 对该邮箱或整个租户禁用了 SMTP AUTH（5.7.139），或者“安全默认值”/条件访问策略阻止了基本身份验证。',
        steps: MS_AUTH_STEPS,
      },
      google: {
        summary: 'Google 账号已不再允许邮件客户端直接用密码登录（“不够安全的应用”功能已取消），需要应用专用密码或 OAuth。',
        steps: [
          '开启两步验证，在 myaccount.google.com/apppasswords 创建应用专用密码并填入客户端。',
          '更推荐使用支持 Google 登录 (OAuth) 的客户端，新版 Outlook、Apple 邮件、Thunderbird 均支持。',
          'Workspace 管理员可为设备配置 SMTP 中继服务（smtp-relay.gmail.com），按 IP 验证。',
          '若看不到应用专用密码选项，请 Workspace 管理员确认你所在组织部门是否允许。',
        ],
      },
      tencent: {
        steps: [
          '在腾讯企业邮网页版“设置 > 客户端设置”中开启 IMAP/SMTP 服务。',
          '如开启了微信安全登录，请生成“客户端专用密码”并在客户端中使用。',
          '管理员需在管理后台的客户端访问限制（IMAP/SMTP 服务范围）中放行你的账号。',
          '客户端设置：smtp.exmail.qq.com，端口 465，SSL。',
        ],
      },
      netease: {
        steps: [
          '网易 163/126 邮箱默认关闭 SMTP 服务：在网页版“设置 > POP3/SMTP/IMAP”中开启 IMAP/SMTP 服务。',
          '新增“授权码”，所有第三方客户端的密码栏都要填写授权码而不是登录密码。',
          '网易企业邮箱：请管理员确认允许客户端访问；开启安全登录的账号需生成客户端授权密码。',
        ],
      },
      aliyun: {
        steps: [
          '请管理员在阿里企业邮箱管理后台为你的账号开启“允许使用三方客户端”（新开通的企业可能默认关闭）。',
          '如强制启用了三方客户端安全密码，请在网页版生成安全密码并在客户端中使用。',
          '客户端设置：smtp.qiye.aliyun.com，端口 465，SSL。',
        ],
      },
      yahoo: { steps: ['在 Yahoo 账户安全中生成应用密码，并在客户端中使用。', '发送服务器 smtp.mail.yahoo.com，465（SSL）或 587（STARTTLS）。', '或使用支持 Yahoo 登录 (OAuth) 的客户端。'] },
      zoho: {
        steps: [
          '在 Zoho Mail 设置中开启 IMAP/POP 访问（企业账号需管理员允许）。',
          '开启了双重验证时，在 Zoho 账户中生成应用专用密码。',
          '企业账号使用 smtppro.zoho.com，个人账号使用 smtp.zoho.com，端口 465（SSL）或 587（TLS）。',
        ],
      },
    },
  },
  starttls_required: {
    title: '服务器要求加密连接',
    summary: '服务器要求客户端先切换到 TLS 加密（STARTTLS）或使用 SSL 端口，否则不继续处理。',
    steps: [
      '在客户端发送服务器设置中选择端口 587 + STARTTLS，或端口 465 + SSL/TLS。',
      '加密方式不要选“无”，客户端也不要使用 25 端口发信。',
      '脚本和设备请在 SMTP 库中启用 TLS（如 465 端口设置 secure: true，587 端口设置 requireTLS）。',
      '只支持 SSLv3/TLS 1.0 的老设备需要升级固件，或先发到内网中继，由中继用 TLS 转发。',
    ],
    providers: {
      tencent: { steps: ['使用 smtp.exmail.qq.com，端口 465，勾选 SSL（个人 QQ 邮箱：smtp.qq.com，465，SSL）。', '不要使用未加密的 25 端口，很多网络也会封锁它。', '确认用户名是完整地址、密码是客户端专用密码。'] },
      netease: { steps: ['使用 smtp.163.com / smtp.126.com，端口 465，勾选 SSL（企业邮：smtphz.qiye.163.com，465，SSL）。', '不要使用未加密的 25 端口。', '密码栏填写授权码。'] },
      aliyun: { steps: ['使用 smtp.qiye.aliyun.com，端口 465，勾选 SSL。', '未加密的 25 端口经常被封，阿里云 ECS 服务器默认禁止出方向 25 端口。', '用户名填写完整邮箱地址。'] },
      microsoft: { steps: ['使用 smtp.office365.com，端口 587，加密方式 STARTTLS。', '必须支持 TLS 1.2 及以上；老设备请升级或通过本地中继转发。', '开启身份验证，用户名为完整邮箱地址。'] },
      google: { steps: ['使用 smtp.gmail.com，465（SSL）或 587（STARTTLS）。', '客户端或代码中必须启用 TLS。', '使用应用专用密码或 OAuth 登录。'] },
    },
  },
  tls_failure: {
    title: '加密连接建立失败',
    summary: '服务器之间或客户端与服务器之间的 TLS 握手失败：证书有问题、协议版本过旧或没有共同支持的加密套件。',
    steps: [
      '检查服务器证书：openssl s_client -connect 主机:端口 -starttls smtp 可查看证书链、到期时间和主机名。',
      '证书过期请续期，并安装完整证书链（包括中间证书）。',
      '确认证书中的名称与客户端或 MX 记录使用的主机名一致。',
      '启用 TLS 1.2/1.3 和现代加密套件；停用 SSLv3/TLS 1.0 前先确认没有老合作方依赖它们。',
      '如域名发布了 MTA-STS 或 DANE，确认策略和 TLSA 记录与当前证书一致。',
    ],
  },
  relay_denied: {
    title: '服务器拒绝中继转发',
    summary: '服务器不为这个发件人转发发往外部域名的邮件：客户端没有登录，或者没有为该 IP/域名配置中继。',
    steps: [
      '在客户端中为发送服务器开启身份验证；未登录的客户端只能给本地邮箱发信。',
      '确认发送服务器填写的是自己邮箱服务商的发信服务器，而不是收件人的 MX。',
      '设备和业务系统请把其 IP 加入中继白名单（如 Postfix 的 mynetworks），或使用账号验证发信。',
      '如果错误来自收件方，可能是对方域名并不托管在这台服务器上（MX 错误），请检查对方 MX 记录。',
    ],
    providers: {
      microsoft: {
        summary: 'Exchange Online 拒绝中继：收件人不属于你租户的已接受域，且发信方没有被任何连接器识别（5.7.54 / 5.7.64）。',
        steps: [
          '550 5.7.54“Unable to relay recipient in non-accepted domain”：在 Exchange 管理中心“邮件流 > 连接器”中为本地邮件服务器创建入站连接器，按公网 IP 或 TLS 证书识别。',
          '5.7.64“TenantAttribution; Relay Access Denied”：连接器存在但不匹配，检查发信 IP 是否在连接器中，或证书主题是否与连接器配置的证书域名一致。',
          '确认发件人域名是租户中的“已接受域”。',
          '业务系统也可改为使用有许可证的邮箱，通过 smtp.office365.com:587 进行 SMTP AUTH 发信。',
        ],
      },
      google: {
        steps: [
          'Workspace 管理员：管理控制台 > 应用 > Google Workspace > Gmail > 路由 > SMTP 中继服务，添加设置并放行公司 IP，或要求 SMTP 身份验证。',
          '设备发送服务器设为 smtp-relay.gmail.com，端口 587（TLS）或 25/465。',
          '发件人地址须属于你的 Workspace 域名，除非在中继设置中允许其他地址。',
        ],
      },
      postfix: {
        steps: [
          '客户端必须通过验证（smtpd_sasl_auth_enable = yes，并在 smtpd_relay_restrictions 中包含 permit_sasl_authenticated），或来自 mynetworks 中的地址。',
          '检查 smtpd_relay_restrictions / smtpd_recipient_restrictions 的顺序：permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination。',
          '如果收件域本应由本机处理，把它加入 mydestination、virtual_mailbox_domains 或 relay_domains。',
        ],
      },
    },
  },
  spf_failure: {
    title: '发信服务器未通过 SPF 检查',
    summary: '收件方检查了发件域名的 SPF 记录，发信 IP 不在允许列表中。',
    steps: [
      '在退信或邮件头（Received / Authentication-Results）中找到实际发信 IP。',
      '查询 SPF 记录：nslookup -type=txt yourdomain.com，以 v=spf1 开头的那一条。',
      '把所有代表该域名发信的服务（邮箱服务商、营销邮件平台、CRM、网站服务器）都加入 include: 或 ip4:/ip6:。',
      '一个域名只能有一条 SPF 记录，DNS 查询次数（include、a、mx、exists、redirect）不超过 10 次。',
      'DNS 生效后给 Gmail 或 Outlook.com 地址发一封测试邮件，在邮件头中确认 spf=pass。',
    ],
    providers: {
      google: {
        steps: [
          'Gmail 要求所有发件人至少通过 SPF 或 DKIM；批量发件人需同时配置 SPF、DKIM 和 DMARC。',
          'Google Workspace 的 SPF 需包含 include:_spf.google.com，并加上其他代发服务。',
          '每个域名只保留一条 SPF 记录，DNS 查询不超过 10 次。',
          '在 Google Postmaster Tools 和测试邮件的 Authentication-Results 头中检查结果。',
        ],
      },
      microsoft: {
        steps: [
          '使用 Microsoft 365 时，SPF 记录必须包含 include:spf.protection.outlook.com。',
          '加上其他以你域名发信的服务。',
          '只保留一条 SPF 记录，DNS 查询不超过 10 次，结尾使用 -all 或 ~all。',
          '发送测试邮件，在 Authentication-Results 头中确认 spf=pass。',
        ],
      },
      tencent: { steps: ['腾讯企业邮的 SPF 记录需包含 include:spf.mail.qq.com（如 v=spf1 include:spf.mail.qq.com ~all）。', '加上其他以你域名发信的服务。', '只保留一条 SPF 记录，可用 nslookup -type=txt 你的域名 检查。'] },
      netease: { steps: ['网易企业邮请按管理后台提示添加 SPF（通常为 include:spf.163.com）。', '加上其他以你域名发信的服务。', '只保留一条 SPF 记录，DNS 查询不超过 10 次。'] },
      aliyun: { steps: ['阿里企业邮箱的 SPF 记录为 v=spf1 include:spf.qiye.aliyun.com -all（如有其他发信服务，一并 include 进同一条记录）。', '删除以 v=spf1 开头的其他重复记录，不同 SPF 记录会冲突。', '等待解析生效（最长约 48 小时）后再测试。'] },
    },
  },
  dkim_failure: {
    title: 'DKIM 签名缺失或无效',
    summary: '邮件没有 DKIM 签名，或签名无法用 DNS 中发布的公钥验证，或签名域与发件人域名不一致。',
    steps: [
      '在邮箱服务商管理后台为域名开启 DKIM 签名，自建服务器可使用 OpenDKIM/Rspamd 等。',
      '按服务商提供的内容，在 DNS 中发布 selector._domainkey.你的域名 的 TXT（或 CNAME）记录。',
      '确认签名域（d=）与发件人 From 域名相同或为其子域，以满足 DMARC 对齐。',
      '确认签名后邮件没有被网关追加页脚、改写链接或被邮件列表修改。',
      '发送测试邮件，在 Authentication-Results 头中确认 dkim=pass。',
    ],
    providers: {
      microsoft: { steps: ['在 Microsoft Defender 门户打开“电子邮件身份验证设置 > DKIM”，选择你的域名。', '在 DNS 服务商处发布页面显示的两条 CNAME（selector1._domainkey 和 selector2._domainkey）。', '开启“使用 DKIM 签名为此域签名邮件”。', '发送测试邮件，确认 dkim=pass 且 header.d 为你的域名。'] },
      google: { steps: ['管理控制台 > 应用 > Google Workspace > Gmail > 验证电子邮件：生成 2048 位 DKIM 密钥。', '在 DNS 服务商处发布 google._domainkey 的 TXT 记录。', '回到控制台点击“开始身份验证”。', '用测试邮件确认 dkim=pass，并在 Postmaster Tools 查看 DKIM 成功率。'] },
      tencent: { steps: ['在腾讯企业邮管理后台的域名设置中开启 DKIM，获取选择器记录。', '在 DNS 服务商处添加页面显示的 TXT 记录。', '发送测试邮件确认 dkim=pass。'] },
      aliyun: { steps: ['在阿里企业邮箱管理后台为域名开启 DKIM 并复制 TXT 记录。', '在 DNS 服务商处按给定的选择器添加该记录。', '发送测试邮件确认 dkim=pass。'] },
    },
  },
  dmarc_failure: {
    title: '未通过 DMARC 检查',
    summary: '邮件没有通过 DMARC：SPF 和 DKIM 都没有在与 From 域名对齐的情况下通过，而该域名的 DMARC 策略要求收件方拒收或隔离。',
    steps: [
      '查询 DMARC 记录：nslookup -type=txt _dmarc.你的域名。',
      '确保邮件以 From 域名（或其子域）作为信封发件人通过 SPF，或以 d=From 域名通过 DKIM。',
      '第三方代发平台（营销邮件、CRM、工单系统）必须用你的域名做 DKIM 签名，或使用为其单独配置的子域发信。',
      '收紧策略前先阅读 DMARC 汇总报告（rua），找出未验证的发信来源；策略按 p=none → quarantine → reject 逐步收紧。',
      '如果是转发或邮件列表破坏了验证，请对方加白名单或使用支持 ARC 的转发方式。',
    ],
    providers: {
      google: {
        steps: [
          'Gmail 发件人要求：所有发件人需通过 SPF 或 DKIM；每天向 Gmail 发送超过 5000 封的发件人需同时配置 SPF、DKIM 和对齐的 DMARC（至少 p=none）。',
          '营销类批量邮件必须支持一键退订（List-Unsubscribe 与 List-Unsubscribe-Post 头），并保持较低的垃圾邮件投诉率。',
          '发信 IP 需要有正确的正向和反向解析（PTR）。',
          '在 Google Postmaster Tools 中注册域名，查看身份验证、投诉率和合规状态。',
        ],
      },
      microsoft: {
        steps: [
          'Outlook.com 要求每天发送超过 5000 封的发件人通过 SPF、DKIM 和 DMARC（至少 p=none，并与 SPF 或 DKIM 对齐），否则以 550 5.7.515 拒收。',
          '5.7.509 表示发件域自身的 DMARC 策略为 reject 且邮件未通过：请修正代发服务的 SPF/DKIM 对齐。',
          '给 Outlook.com 地址发测试邮件，检查 Authentication-Results 头。',
          '如使用 Microsoft 365 发信，请在 Defender 门户中开启 DKIM。',
        ],
      },
      yahoo: {
        steps: [
          'Yahoo 要求所有发件人通过 SPF 或 DKIM，批量发件人需配置 SPF、DKIM 和对齐的 DMARC（至少 p=none）。',
          '批量邮件需支持一键退订，并保持低投诉率。',
          '在 Yahoo Sender Hub 注册域名并加入投诉反馈环 (CFL)。',
        ],
      },
    },
  },
  ptr_missing: {
    title: '发信 IP 没有有效的反向解析',
    summary: '收件方查询发信 IP 对应的主机名（PTR 记录）时没有结果，或该主机名不能正向解析回同一个 IP。',
    steps: [
      '确认服务器对外发信的公网 IP（退信中通常会写明）。',
      '联系 IP 的所有者（运营商、机房或云服务商）把 PTR 设置为邮件服务器主机名，如 mail.yourdomain.com，只有他们能修改。',
      '为该主机名添加 A 记录，使其解析回同一个 IP（正反向一致）。',
      '把服务器的 HELO/EHLO 名称设置为同一个主机名。',
      '家庭宽带或动态 IP 无法获得可用的 PTR，请改为通过邮箱服务商的中继发信。',
    ],
    providers: {
      aliyun: { steps: ['阿里云 ECS 的 IP 需要向阿里云申请反向解析（提交工单设置 PTR）；ECS 默认还封禁出方向 25 端口。', '为该主机名添加对应的 A 记录。', '把邮件服务器的 HELO 名称设置为同一主机名。', '建议改用阿里企业邮箱或邮件推送（DirectMail）发信，而不是直接从 ECS 发信。'] },
      google: { steps: ['Gmail 要求发信 IP 有 PTR 记录，且该主机名能解析回同一 IP（否则返回 550 5.7.25）。', '联系 IP 所有者设置 PTR，并添加对应的 A 记录。', '把 HELO 名称设置为同一主机名。', 'DNS 生效后重新测试。'] },
    },
  },
  mx_misconfigured: {
    title: '域名的邮件路由（MX）配置错误',
    summary: 'MX 记录指向了错误、失效或会形成回环的服务器，该域名的邮件无法路由，或退回到发信服务器自己。',
    steps: [
      '查询 MX：nslookup -type=mx 域名；每条 MX 都必须是主机名（不能是 IP），且能解析到 A/AAAA 记录。',
      '确认 MX 主机对外开放 25 端口并接收邮件。',
      '“mail loops back to myself”表示服务器收到了该域名的邮件却没有配置本地投递：把域名加入本地/虚拟域，或改正 MX。',
      '迁移到新服务商后，删除旧服务商的 MX 记录，并等待 TTL 过期。',
    ],
    providers: {
      microsoft: { steps: ['Microsoft 365 只应保留一条 MX：yourdomain-com.mail.protection.outlook.com（以管理中心“设置 > 域”中显示为准）。', '删除旧服务商的 MX 记录。', '在管理中心查看域名状态并修复标出的记录。'] },
      google: { steps: ['Google Workspace 新配置的 MX 为 smtp.google.com（优先级 1），旧配置为 ASPMX.L.GOOGLE.COM 一组。', '删除旧服务商的 MX 记录。', '可用 Google Admin Toolbox 的 Check MX 工具检查。'] },
      tencent: { steps: ['腾讯企业邮的 MX 为 mxbiz1.qq.com（优先级 5）和 mxbiz2.qq.com（优先级 10）。', '删除旧服务商的 MX 记录。', '在企业邮管理后台查看域名解析状态。'] },
      aliyun: { steps: ['阿里企业邮箱的 MX 为 mx1.qiye.aliyun.com、mx2.qiye.aliyun.com、mx3.qiye.aliyun.com（优先级 5、10、15）。', '删除旧服务商的 MX 记录。', '用 nslookup -type=mx 核对。'] },
      netease: { steps: ['网易企业邮请按管理后台显示的 MX 配置（通常为 qiye163mx01.mxmail.netease.com 和 qiye163mx02.mxmail.netease.com）。', '删除旧服务商的 MX 记录。', '用 nslookup -type=mx 核对。'] },
    },
  },
  sender_domain_invalid: {
    title: '发件人域名无效',
    summary: '收件方无法验证发件人地址的域名：该域名在 DNS 中不存在，或没有 MX/A 记录。',
    steps: [
      '检查发件人（From）和信封发件人（Return-Path）地址是否拼错，是否使用了 .local、.lan 等内网域名。',
      '确认发件域名在公网 DNS 中有 MX 记录（至少要有 A 记录）。',
      '业务系统和设备请设置一个属于你们自己域名的真实发件地址。',
      '域名过期的，请续费并确认解析记录已恢复。',
    ],
  },
  ip_blocklisted: {
    title: '发信 IP 被列入黑名单',
    summary: '收件方因为发信 IP 被列入反垃圾邮件 DNS 黑名单（RBL）而拒绝连接。',
    steps: [
      '记下退信中提到的 IP 地址和黑名单名称。',
      '查清被列入的原因：电脑中毒、邮箱被盗后群发垃圾邮件、开放中继，或共享 IP 被他人滥用。',
      '先消除原因（清除病毒、重置被盗账号密码、关闭开放中继），否则解封后很快会再次被列入。',
      '到黑名单运营方网站申请移除（delist）。',
      '短期内无法解封的，先改用邮箱服务商的中继或其他干净的 IP 发信。',
    ],
    providers: {
      spamhaus: { steps: ['在 check.spamhaus.org 查询该 IP，可看到被哪个列表（SBL、XBL/CSS、PBL）列入及原因。', 'XBL/CSS 通常是主机中毒或 HELO 名称不规范：清理主机、修正 HELO/PTR 后再申请移除。', 'PBL 表示该 IP 属于动态/终端用户网段：改用服务商的验证中继发信；如确为服务器 IP，请运营商更新 PBL。', '先解决根本原因再申请移除，反复被列入的解封会更慢。'] },
      barracuda: { steps: ['在 barracudacentral.org 查询该 IP。', '消除原因（被盗账号、中毒主机、缺少 PTR）后，在该网站提交移除申请。', 'Barracuda 要求发信 IP 有有效的 PTR 记录。'] },
      spamcop: { steps: ['在 spamcop.net 查询该 IP 是否在黑名单中。', 'SpamCop 在最后一次垃圾邮件举报约 24 小时后自动移除，请先停止垃圾邮件来源。', '排查被盗账号或被滥用来发信的网页表单。'] },
      microsoft: { steps: ['如果 Outlook.com/Exchange Online 拒绝你的 IP（如 5.7.606–5.7.649 或“banned sending IP”），到 sender.office.com 申请解除。', '用 Microsoft SNDS 查看 IP 状态，并加入 JMRP 投诉反馈。', '先消除垃圾邮件的来源。'] },
      yahoo: { steps: ['先停止垃圾邮件来源，检查投诉率。', '通过 Yahoo Sender Hub 申请对该 IP 复核。', '确认已配置 SPF、DKIM、DMARC 和 PTR。'] },
    },
  },
  bad_reputation: {
    title: '发信信誉过低',
    summary: '由于垃圾邮件投诉、发信量突变或收件人列表质量差，收件方目前不信任来自该 IP 或域名的邮件。',
    steps: [
      '确认 SPF、DKIM、DMARC 均通过，发信 IP 有正确的 PTR 记录。',
      '停止向陈旧、购买或未经确认的名单发信，删除会退信的地址。',
      '提供便捷的退订方式并及时处理，关注投诉率。',
      '新 IP 或新域名逐步增加发信量（预热），不要一次性大批量发送。',
      '排查是否有被盗账号或脚本在从你们的系统发送垃圾邮件。',
    ],
    providers: {
      google: { steps: ['在 Google Postmaster Tools 注册域名，关注垃圾邮件率（保持在 0.1% 以下，绝不能达到 0.3%）和合规状态。', '满足发件人要求：SPF、DKIM、DMARC、PTR、TLS，批量邮件支持一键退订。', '信誉恢复前减少发信量，只发给活跃收件人。'] },
      microsoft: { steps: ['把发信 IP 加入 Microsoft SNDS 和 JMRP，查看投诉和状态。', 'IP 被封时到 sender.office.com 申请解除。', '清理名单、完善身份验证后再逐步提高发信量。'] },
      yahoo: { steps: ['在 Yahoo Sender Hub 注册并加入投诉反馈环。', '保持低投诉率，SPF、DKIM、DMARC 对齐。', '延迟退信停止前，减少发信量，只发给活跃收件人。'] },
    },
  },
  rate_limited: {
    title: '发送过快，被对方限流',
    summary: '收件服务器暂时限制了来自该发件方的连接数或邮件数，邮件通常会自动重试。',
    steps: [
      '偶尔出现时无需处理：发信服务器会自动重试，稍后通常就能送达。',
      '持续出现时，降低发往该服务商的发信速度和并发连接数。',
      '大批量发送请分时段进行，不要集中在同一时间。',
      '确认身份验证和信誉良好；对陌生或验证不全的发件人，服务商限流更严格。',
    ],
    providers: {
      postfix: { steps: ['为受影响的目标域单独配置 transport，降低并发：如 default_destination_concurrency_limit = 2、destination_rate_delay = 1s。', '用 mailq / postqueue -p 查看延迟队列，邮件会自动重试。', '确认发信 IP 的 SPF/DKIM/DMARC 和 PTR 均已配置。'] },
      microsoft: { steps: ['Exchange Online/Outlook.com 限流时返回 4.7.500–4.7.699 或 451 4.7.650：保持正常重试间隔，不要提高速度。', '通过 SNDS 查看该 IP 的状态。', '减少并发连接数。'] },
      google: { steps: ['Gmail 在发信频率异常时返回 421 4.7.28 或 4.7.0：放慢速度，让服务器自动重试。', '在 Postmaster Tools 查看垃圾邮件率和身份验证情况。', '新 IP 需要逐步预热。'] },
      tencent: { steps: ['QQ 邮箱/腾讯企业邮会限制单个发信 IP 的频率：降低速度，稍后重试。', '确认发信 IP 有 PTR，SPF 检查通过。', '避免一次性向大量 qq.com 地址群发。'] },
      netease: { steps: ['网易邮箱在发信频率过高时返回 421/451 类代码：降低速度，稍后重试。', '确认已配置 SPF/DKIM，发信 IP 有 PTR。', '大批量发送请分散到不同时段。'] },
    },
  },
  sending_quota_exceeded: {
    title: '已达到本账号的发信上限',
    summary: '你自己的邮箱服务商拦下了邮件，因为该账号超过了每天或每分钟允许的发信数量或收件人数。',
    steps: [
      '等待额度重置（通常为 24 小时滚动计算）后再发送。',
      '核实该账号是否真的发了这么多邮件——异常的发信量可能意味着账号被盗。',
      '拆分大量收件人；给很多人发信时使用通讯组代替逐个列出收件人。',
      '群发通知、营销邮件请使用专门的批量发信服务，而不是个人邮箱。',
    ],
    providers: {
      microsoft: { steps: ['Exchange Online 单个邮箱每天最多 10,000 个收件人、每分钟 30 封；超出时返回 5.1.90 或 5.2.0 SubmissionQuotaExceededException。', '在已发送邮件和邮件跟踪中检查是否有异常发信，账号被盗很常见：重置密码并撤销所有会话。', '账号已被限制（5.1.8，“受限实体”）时，清理后需管理员在 Defender 门户中解除限制。', '群发请使用批量发信服务。'] },
      google: { steps: ['Gmail 和 Workspace 有每日发信上限（Workspace 每用户每天 2,000 封，试用账号更少），550 5.4.5 表示已达上限。', '等待 1–24 小时额度重置。', '检查是否有异常的已发送邮件，可能意味着账号被盗。', '大量发信请使用 SMTP 中继服务或批量发信服务。'] },
      tencent: { steps: ['腾讯企业邮对每个账号有每日发信上限，请等待次日重置。', '检查已发送邮件是否有异常，如怀疑被盗请立即改密码。', '需要更高额度请联系管理员，或改用批量发信服务。'] },
      netease: { steps: ['网易邮箱对每个账号有每日发信上限，请等待额度重置。', '检查已发送邮件是否有异常。', '群发请使用专门的批量发信服务。'] },
      aliyun: { steps: ['阿里企业邮箱对每个账号有每日发信上限，请等待额度重置。', '检查是否有异常发信，必要时修改密码。', '批量发信请使用阿里云邮件推送（DirectMail）。'] },
    },
  },
  spam_content: {
    title: '邮件被判定为垃圾邮件',
    summary: '对方的反垃圾过滤器根据内容、链接、被列入黑名单的网址、附件或发信信誉，判定该邮件为垃圾邮件。',
    steps: [
      '去掉短链接和信誉差的域名链接，检查正文中的网址是否在黑名单中。',
      '避免全图片邮件、大量大写字母、感叹号和典型的推销用语。',
      '确认 SPF、DKIM、DMARC 都通过——未验证的邮件会被更严格地过滤。',
      '先发一封纯文本测试邮件，能送达的话再逐步恢复原内容，找出触发过滤的部分。',
      '请收件人把你加入安全发件人或白名单。',
    ],
  },
  virus_detected: {
    title: '邮件中检测到病毒',
    summary: '病毒扫描程序在邮件或附件中发现了恶意内容并拒收。',
    steps: [
      '不要重发该附件；用最新的杀毒软件全面扫描发件电脑。',
      '确认文件来源，文件可能在发件人不知情的情况下已被感染。',
      '如果用户没有发过这封邮件，邮箱可能已被盗：立即修改密码并检查自动转发规则。',
      '如确认是误报，请把退信中的扫描引擎名称提供给对方管理员处理。',
    ],
  },
  greylisted: {
    title: '被暂时延迟投递（灰名单）',
    summary: '对方服务器出于反垃圾考虑，要求陌生发件方稍后重试。正常配置的服务器会自动重试，几分钟后即可送达。',
    steps: [
      '通常无需处理：邮件留在发送队列中，会自动重试。',
      '如果一小时后仍未送达，确认发信服务器每次从同一个 IP 重试（IP 池轮换可能被反复灰名单）。',
      '确认发信服务器不会过早放弃重试（至少持续几个小时）。',
      '如果延迟影响业务，可请对方管理员把你的发信 IP 加入白名单。',
    ],
  },
  policy_rejected: {
    title: '被收件方单位的策略拒收',
    summary: '收件方不接受来自该发件人的邮件：该地址或群组不允许外部发件人，或收件方屏蔽了你的地址或域名。',
    steps: [
      '询问收件人该地址（如邮件组）是否接收外部发件人的邮件。',
      '请收件人检查你的地址或域名是否在其拒收名单中。',
      '如果是本单位的邮件组，管理员可允许外部发件人，或把你加入允许的发件人。',
      '策略无法更改时，请改用其他联系地址。',
    ],
    providers: {
      microsoft: { steps: ['5.7.133/5.7.134 等：该群组或邮箱只接收经过验证的（内部）发件人，管理员可在群组设置中允许外部发件人。', '5.7.1“not authorized to send to this recipient”/传递限制：收件人只接受指定发件人的邮件。', '5.7.129 / 5.7.12：在 Exchange 管理中心检查群组的传递管理设置。', '如果是个人屏蔽，请收件人把你从阻止的发件人中移除。'] },
      google: { steps: ['Google 群组可能不允许外部人员发帖：群组所有者需允许“网络上的任何人”或外部成员发帖。', '收件人或 Workspace 管理员可能屏蔽了你的域名，请对方检查内容合规和屏蔽发件人设置。', '策略不变时请改用其他地址。'] },
    },
  },
  connection_failed: {
    title: '无法连接到收件服务器',
    summary: '发信服务器无法与收件方邮件服务器建立连接：连接超时或被拒绝，常见原因是 25 端口被封或对方服务器宕机。',
    steps: [
      '在发信服务器上测试：telnet 对方MX主机 25 或 nc -vz 对方MX主机 25。',
      '如果连任何地址的 25 端口都连不上，多半是网络或云服务商封禁了出方向 25 端口（云服务器很常见）：申请解封，或通过服务商的 587 端口中继发信。',
      '只有某一个域名失败时，检查其 MX 记录并稍后重试，可能是对方服务器故障。',
      '检查本机防火墙以及服务器的 DNS 解析是否正常。',
      '邮件会留在队列中持续重试，直到超过队列有效期。',
    ],
  },
  message_expired: {
    title: '多次投递失败后邮件已过期',
    summary: '发信服务器重试了数天仍未成功，超过队列有效期后放弃投递。真正的原因是最后几次尝试时的错误。',
    steps: [
      '在退信中找到最后一次的临时错误（连接超时、4xx 回复），那才是根本原因。',
      '检查收件域名的 MX 记录，以及对方服务器的 25 端口是否可达。',
      '如果发往很多域名的邮件都过期，检查自己的服务器：出方向 25 端口被封、DNS 故障或 IP 被列入黑名单。',
      '问题解决后重新发送邮件。',
    ],
  },
  protocol_error: {
    title: 'SMTP 协议或格式错误',
    summary: '发信软件违反了 SMTP 规则，或发送了格式错误的地址、邮件头，服务器因此拒绝了命令或邮件。',
    steps: [
      '检查邮件地址中是否有非法字符、空格、缺少尖括号或连续的点。',
      '确认客户端发送的 EHLO/HELO 是规范的完整主机名。',
      '业务系统：确认换行为 CRLF、单行不超过 998 个字符，且 Date、Message-ID、From 等邮件头齐全、格式正确。',
      '升级邮件客户端、设备固件或发信库，旧版本常有已知的协议问题。',
    ],
  },
  server_error: {
    title: '收件方邮件系统故障',
    summary: '对方服务器报告了内部错误（资源不足、配置错误、服务宕机），问题在收件方一侧。',
    steps: [
      '如果是临时错误（4xx），请等待，邮件会自动重试。',
      '持续失败时，通过其他渠道联系收件人，请其转告对方 IT 部门。',
      '保留完整退信（包括对方服务器名称和错误原文），供对方管理员排查。',
      '如果错误来自本公司服务器，请检查磁盘空间、队列、日志和相关服务。',
    ],
  },
  account_compromised: {
    title: '账号因可疑或滥用发信被封禁',
    summary: '服务商认为该账号已被盗用（发送垃圾邮件、异常登录或暴力破解），因此封禁了账号或其发信功能。',
    steps: [
      '立即在一台干净的设备上修改账号密码，并退出所有已登录的会话。',
      '开启多重身份验证（二次验证）。',
      '检查邮箱中是否有用户未设置的自动转发、收信规则和已授权应用，全部删除。',
      '对用户的电脑和手机进行病毒查杀。',
      '确认账号干净后，请服务商或管理员解除发信限制，并提醒收到垃圾邮件的联系人。',
    ],
    providers: {
      microsoft: { steps: ['在 Microsoft 365 管理中心 / Entra ID 中重置密码并撤销所有会话。', '检查收件箱规则和转发（Get-InboxRule），删除陌生规则。', '清理完成后，在 Microsoft Defender 门户的“受限实体”中解除该用户的限制。', '强制开启 MFA，并在 Entra ID 登录日志中查看攻击者 IP。'] },
      google: { steps: ['重置密码，退出所有会话，在 myaccount.google.com 完成安全检查。', '删除陌生的转发地址、过滤器和第三方应用授权。', 'Workspace 管理员：查看提醒中心和用户的发信状态，暂停期结束后发信会恢复。', '开启两步验证。'] },
      tencent: { steps: ['修改密码，并在腾讯企业邮中开启微信安全登录。', '在账号设置中检查自动转发和收信规则。', '请管理员查看登录日志并解除封禁。'] },
    },
  },
  phishing_detected: {
    title: '邮件被判定为钓鱼或仿冒',
    summary: '收件方系统认为该邮件是钓鱼、伪造发件人或冒充他人的邮件。',
    steps: [
      '如果用户并没有发过这封邮件，说明有人在仿冒你们的域名：发布 SPF、DKIM 和 DMARC 策略（quarantine 或 reject）。',
      '如果邮件是正常业务邮件，确认 From 域名与验证域名对齐（SPF/DKIM 对齐），显示名称不要模仿其他机构。',
      '去掉显示文字与真实链接域名不一致的链接，以及登录表单或索要账号密码的内容。',
      '请对方管理员把它作为误报提交给其过滤服务商。',
    ],
  },
  unknown: {
    title: '暂时无法确定原因',
    summary: '现有信息不足以确定原因，完整的错误信息最有帮助。',
    steps: [
      '请提供完整的退信邮件，或准确的错误原文（包括三位数代码和类似 5.7.1 的代码）。',
      '提供发件人和收件人地址（或域名）以及发送时间。',
      '说明使用的是哪个邮件客户端或设备，其他邮件能否正常发出。',
      '如果很多用户同时受影响，请升级给邮件管理员处理。',
    ],
  },
};
