// English advice per rootCause, written for a support agent who relays it to the user or admin.
import type { AdviceTable } from './types.js';

const MS_AUTH_STEPS = [
  'In the Microsoft 365 admin center open Users > Active users > the mailbox > Mail > Manage email apps and tick "Authenticated SMTP".',
  'Or in Exchange Online PowerShell: Set-CASMailbox -Identity user@yourdomain.com -SmtpClientAuthenticationDisabled $false.',
  'If the error says SMTP AUTH is disabled for the tenant (5.7.139), an admin must allow it: Set-TransportConfig -SmtpClientAuthenticationDisabled $false — or, better, keep it off and enable it only on the mailboxes that need it.',
  'Security Defaults and Conditional Access policies that block legacy authentication override the mailbox setting: exclude the sending account or move the device to OAuth 2.0.',
  'Microsoft is retiring Basic authentication for SMTP AUTH: plan to move scanners and apps to OAuth, a connector-based relay, or a dedicated sending service.',
];

export const EN: AdviceTable = {
  recipient_unknown: {
    title: 'Recipient address does not exist',
    summary: 'The receiving server says there is no mailbox with this address. The message will not be delivered however often it is resent.',
    steps: [
      'Check the address for typos (letters swapped, missing characters, wrong domain such as .con instead of .com).',
      'Confirm the correct address with the recipient by phone or another channel; the person may have left the organisation or changed address.',
      'If the address was picked from autocomplete, delete the cached entry in the mail client and type it again.',
      'If the address belongs to your own domain, check that the mailbox or alias exists in the admin console and that directory sync has finished.',
      'Remove the address from mailing lists so repeated bounces do not harm your sender reputation.',
    ],
  },
  recipient_domain_invalid: {
    title: 'Recipient domain does not exist or receives no mail',
    summary: 'The domain after the @ could not be found in DNS, or it publishes no mail server, so the message has nowhere to go.',
    steps: [
      'Check the spelling of the domain part of the address (e.g. gmial.com, outlok.com, a missing country suffix).',
      'Look up the domain: `nslookup -type=mx example.com` — no MX and no A record means the domain cannot receive mail.',
      'If the domain recently expired or moved, ask the recipient for a working address.',
      'If it is your own or a partner domain, have its owner restore the MX records at the DNS provider.',
    ],
  },
  mailbox_full: {
    title: "Recipient's mailbox is full",
    summary: "The recipient's mailbox has reached its storage limit and refuses new mail until space is freed.",
    steps: [
      'Tell the recipient through another channel that their mailbox is full.',
      'The recipient should empty Deleted Items and Junk, delete or archive large messages with attachments.',
      'If the mailbox is in your organisation, raise its quota or enable archiving in the admin console.',
      'Resend the message after space is freed; for large files share a download link instead of an attachment.',
    ],
  },
  mailbox_disabled: {
    title: 'Recipient mailbox is disabled or suspended',
    summary: 'The address exists but the mailbox is disabled, inactive or suspended, so it does not accept mail.',
    steps: [
      'Contact the recipient through another channel; the account may have been closed, suspended or left inactive for a long time.',
      'Ask whether there is a new address or a colleague who now handles this mail.',
      'If the mailbox is in your organisation, check in the admin console whether the account is blocked, unlicensed or deleted, and re-enable it if appropriate.',
      'Remove addresses that stay disabled from your mailing lists.',
    ],
  },
  message_too_large: {
    title: 'Message is too large',
    summary: 'The message with its attachments exceeds the size limit of your server or the recipient server. Attachments grow by about a third when encoded.',
    steps: [
      'Check the total size of the attachments; keep messages below about 10–20 MB to be safe with most providers.',
      'Compress the files or send them in several smaller messages.',
      'Better: upload large files to a file share or cloud drive and send a link.',
      'If the limit is on your own server, an admin can raise the message size limit (e.g. Postfix message_size_limit, Exchange send/receive connector limits).',
    ],
  },
  attachment_blocked: {
    title: 'Attachment type is blocked',
    summary: 'The receiving system refuses the attachment because of its file type or extension (executables, scripts, macro documents, some archives).',
    steps: [
      'Find which attachment was refused; .exe, .js, .vbs, .bat, .scr, .iso and macro-enabled Office files are commonly blocked.',
      'Share the file through a cloud drive link instead of attaching it.',
      'If it must be attached, ask the recipient which formats their organisation allows; renaming extensions is usually detected and should not be used.',
      'For password-protected archives, expect them to be blocked because scanners cannot inspect them.',
    ],
  },
  sender_not_authenticated: {
    title: 'Mail client did not log in to the outgoing server',
    summary: 'The outgoing (SMTP) server requires authentication, but the mail client or device sent without logging in.',
    steps: [
      'In the mail client\'s outgoing server settings, enable "My outgoing server (SMTP) requires authentication" and use the same account as for incoming mail.',
      'Use the submission port with encryption: 465 (SSL/TLS) or 587 (STARTTLS), not port 25.',
      'Enter the full e-mail address as user name.',
      'For printers, scanners and applications, check their SMTP settings for an authentication option; if they cannot authenticate, use a relay connector that allows them by IP.',
    ],
    providers: {
      microsoft: {
        steps: [
          'Outgoing server: smtp.office365.com, port 587, STARTTLS, with authentication enabled and the full mailbox address as user name.',
          'Make sure "Authenticated SMTP" is enabled for that mailbox (admin center > Users > Mail > Manage email apps).',
          'Devices that cannot authenticate can send through a connector: the MX endpoint (yourdomain-com.mail.protection.outlook.com, port 25) with an inbound connector that trusts your public IP or certificate.',
          'Check that the From address matches the signed-in mailbox or one it has Send As rights for.',
        ],
      },
      google: {
        steps: [
          'Outgoing server: smtp.gmail.com, port 465 (SSL) or 587 (STARTTLS), authentication on, the full address as user name.',
          'With 2-Step Verification on, use an app password or a client that signs in with Google (OAuth); the normal password is refused.',
          'For devices that cannot sign in, a Workspace admin can configure the SMTP relay service (smtp-relay.gmail.com) in the Admin console under Apps > Google Workspace > Gmail > Routing, allowing your IP addresses.',
        ],
      },
    },
  },
  auth_credentials_invalid: {
    title: 'User name or password rejected',
    summary: 'The outgoing server refused the login: the user name or password is wrong, expired, or the provider requires an app-specific password.',
    steps: [
      'Re-enter the password in the mail client; use the full e-mail address as user name.',
      'Sign in to webmail with the same password to check that it works and has not expired.',
      'If the account uses two-factor authentication, create an app-specific password (or authorization code) and use it in the client instead of the login password.',
      'After repeated failures the account may be temporarily locked; wait 15–30 minutes or ask an admin to unlock it.',
      'If the password was changed recently, update it on every device (phone, tablet, scanner) that still uses the old one.',
    ],
    providers: {
      microsoft: {
        steps: [
          'Check the password by signing in at outlook.office.com with the same account.',
          'If MFA is enabled, an app password works only where the tenant allows app passwords; otherwise use a client that supports modern authentication (OAuth).',
          'Check in Entra ID (Azure AD) sign-in logs for the failure reason (wrong password, blocked legacy authentication, Conditional Access).',
          ...MS_AUTH_STEPS.slice(0, 1),
        ],
      },
      google: {
        steps: [
          'Google does not accept the normal account password in mail clients: turn on 2-Step Verification and create an app password at myaccount.google.com/apppasswords, or use a client that signs in with Google (OAuth).',
          'Paste the 16-character app password without spaces into the client\'s password field.',
          'If the app password option is missing, the Workspace admin may have disabled it or the account uses Advanced Protection.',
          'Look at the security alerts in the Google account for blocked sign-in attempts.',
        ],
      },
      tencent: {
        steps: [
          'Tencent Exmail: in web mail open Settings > Client settings and enable the IMAP/SMTP service.',
          'If secure login (WeChat binding) is on, generate a client-specific password and use it instead of the login password.',
          'Outgoing server smtp.exmail.qq.com, port 465, SSL on, the full address as user name.',
          'For personal QQ Mail use smtp.qq.com with the authorization code generated after enabling the SMTP service.',
          'If your admin restricts client access, ask them to add your account to the IMAP/SMTP service scope in the admin console.',
        ],
      },
      netease: {
        steps: [
          '163/126 mail: in web mail open Settings > POP3/SMTP/IMAP, enable the SMTP service and create an authorization code; use it as the password in the client.',
          'Outgoing server smtp.163.com (or smtp.126.com), port 465, SSL on.',
          'NetEase Qiye (enterprise) mail: outgoing server smtphz.qiye.163.com, port 465 SSL; if secure login is on, create a client authorization password in the web mail settings.',
          'Use the full e-mail address as user name.',
        ],
      },
      aliyun: {
        steps: [
          'Aliyun Qiye Mail: outgoing server smtp.qiye.aliyun.com, port 465 with SSL, full address as user name.',
          'If the admin enforces the third-party client security password, generate one in web mail under Settings > Account and security and use it instead of the login password.',
          'Ask the admin whether third-party clients are allowed for your account; new organisations may have them disabled.',
          'Verify the password by signing in to qiye.aliyun.com.',
        ],
      },
      yahoo: {
        steps: [
          'Yahoo does not accept the account password in third-party clients: open Account Info > Account security > Generate app password and use it in the client.',
          'Outgoing server smtp.mail.yahoo.com, port 465 (SSL) or 587 (STARTTLS), authentication on.',
          'Use the full Yahoo address as user name.',
        ],
      },
      zoho: {
        steps: [
          'With two-factor authentication on, create an application-specific password in Zoho Accounts > Security > App passwords.',
          'Outgoing server smtp.zoho.com (smtppro.zoho.com for organisation accounts), port 465 SSL or 587 TLS; use the data-centre host of your account (e.g. smtp.zoho.eu).',
          'Make sure IMAP/POP access is enabled in Zoho Mail settings, and for organisation accounts that the admin allows it.',
        ],
      },
      icloud: {
        steps: [
          'iCloud Mail needs an app-specific password: create it at account.apple.com under Sign-In and Security.',
          'Outgoing server smtp.mail.me.com, port 587, STARTTLS, authentication on; user name is the full iCloud address.',
          'Two-factor authentication must be enabled on the Apple Account to create app-specific passwords.',
        ],
      },
    },
  },
  auth_method_disabled: {
    title: 'Login method is disabled for this account',
    summary: 'The password was not the problem: the provider or the organisation has turned off this way of signing in (SMTP AUTH, basic authentication), or requires an app password or OAuth.',
    steps: [
      'Find out which policy blocks it: the account setting for SMTP/IMAP, an organisation-wide switch, or a security policy that blocks legacy (password-only) authentication.',
      'Enable SMTP authentication for this mailbox if your organisation allows it.',
      'Where passwords are not allowed, use an app-specific password or a client that supports OAuth 2.0.',
      'For devices and applications that cannot do either, send through a relay (connector or SMTP relay service) authenticated by IP address or certificate.',
    ],
    providers: {
      microsoft: {
        summary: 'Microsoft 365 refuses SMTP AUTH for this mailbox or the whole tenant (5.7.139), or a Security Defaults / Conditional Access policy blocks basic authentication.',
        steps: MS_AUTH_STEPS,
      },
      google: {
        summary: 'Google accounts no longer accept plain password sign-in from mail clients ("less secure apps" is gone); an app password or OAuth is required.',
        steps: [
          'Turn on 2-Step Verification and create an app password at myaccount.google.com/apppasswords; use it in the client.',
          'Better: use a client that signs in with Google (OAuth) — current Outlook, Apple Mail and Thunderbird do.',
          'Workspace admins: for devices, configure the SMTP relay service (smtp-relay.gmail.com) with IP-based authentication instead.',
          'If app passwords are not offered, check with the Workspace admin whether they are allowed for your organisational unit.',
        ],
      },
      tencent: {
        steps: [
          'Enable the IMAP/SMTP service in Tencent Exmail web mail: Settings > Client settings.',
          'If WeChat secure login is enabled, generate a client-specific password and use it in the client.',
          'The admin must allow client access for your account (admin console: client access restriction / IMAP/SMTP service scope).',
          'Client settings: smtp.exmail.qq.com, port 465, SSL.',
        ],
      },
      netease: {
        steps: [
          'The SMTP service is off by default: in 163/126 web mail open Settings > POP3/SMTP/IMAP and enable IMAP/SMTP.',
          'Create an authorization code — it replaces the password in every third-party client.',
          'Enterprise (qiye.163.com) accounts: check that the admin allows client access and create the client authorization password if secure login is on.',
        ],
      },
      aliyun: {
        steps: [
          'Ask the admin to allow third-party clients for your account in the Aliyun Qiye Mail admin console; new organisations may have it off.',
          'If the third-party client security password is enforced, generate one in web mail and use it as the password.',
          'Client settings: smtp.qiye.aliyun.com, port 465, SSL.',
        ],
      },
      yahoo: { steps: ['Generate an app password in Yahoo Account security and use it in the client.', 'Outgoing server smtp.mail.yahoo.com, 465 SSL or 587 STARTTLS.', 'Or use a client that supports Yahoo sign-in (OAuth).'] },
      zoho: {
        steps: [
          'Enable IMAP/POP access in Zoho Mail settings (and, for organisation accounts, ask the admin to allow it).',
          'With two-factor authentication on, create an application-specific password in Zoho Accounts.',
          'Use smtppro.zoho.com (organisation) or smtp.zoho.com (personal), 465 SSL or 587 TLS.',
        ],
      },
    },
  },
  starttls_required: {
    title: 'Server requires an encrypted connection',
    summary: 'The server refuses to continue until the client switches the connection to TLS (STARTTLS) or uses an SSL port.',
    steps: [
      'In the client\'s outgoing server settings choose port 587 with STARTTLS, or port 465 with SSL/TLS.',
      'Do not use "None" as encryption and do not send on port 25 from a client.',
      'For scripts and devices, enable TLS in the SMTP library (e.g. secure: true for 465, or requireTLS for 587).',
      'Old devices that only support SSLv3/TLS 1.0 need a firmware update or an internal relay that accepts them and forwards with TLS.',
    ],
    providers: {
      tencent: { steps: ['Use smtp.exmail.qq.com with port 465 and SSL enabled (QQ Mail: smtp.qq.com, 465 SSL).', 'Do not use port 25 without encryption; many networks block it anyway.', 'Check that the client uses the full address and the client-specific password.'] },
      netease: { steps: ['Use smtp.163.com / smtp.126.com with port 465 and SSL (enterprise: smtphz.qiye.163.com, 465 SSL).', 'Do not use plain port 25.', 'Use the authorization code as the password.'] },
      aliyun: { steps: ['Use smtp.qiye.aliyun.com with port 465 and SSL enabled.', 'Port 25 without SSL is often blocked, notably from Aliyun ECS servers.', 'Use the full address as user name.'] },
      microsoft: { steps: ['Use smtp.office365.com, port 587, encryption STARTTLS.', 'TLS 1.2 or newer is required; update old devices or route them through a local relay.', 'Enable authentication with the full mailbox address.'] },
      google: { steps: ['Use smtp.gmail.com with 465 (SSL) or 587 (STARTTLS).', 'TLS must be enabled in the client or library.', 'Use an app password or OAuth to sign in.'] },
    },
  },
  tls_failure: {
    title: 'Encrypted connection could not be set up',
    summary: 'The TLS handshake between the two servers or between client and server failed: certificate problem, outdated protocol or no common cipher.',
    steps: [
      'Check the server certificate: `openssl s_client -connect host:port -starttls smtp` shows the chain, expiry and host names.',
      'Renew an expired certificate and install the full chain (intermediate certificates included).',
      'Make sure the certificate name matches the host name the clients or MX records use.',
      'Enable TLS 1.2 and 1.3 and modern ciphers; disable SSLv3/TLS 1.0 only after checking no old partner depends on them.',
      'If MTA-STS or DANE is published for the domain, check that the policy and TLSA records match the current certificate.',
    ],
  },
  relay_denied: {
    title: 'Server refused to relay the message',
    summary: 'The server does not accept mail for domains it does not host from this sender: the client is not logged in, or the relay is not configured for this IP or domain.',
    steps: [
      'In the mail client, enable authentication for the outgoing server; unauthenticated clients may only send to local mailboxes.',
      'Check that the outgoing server is your own provider\'s submission server, not the recipient\'s MX.',
      'For devices and applications, add their IP address to the relay allow-list (e.g. Postfix mynetworks) or use an authenticated account.',
      'If the error comes from the recipient side, the recipient domain may not be hosted there (wrong MX); check its MX records.',
    ],
    providers: {
      microsoft: {
        summary: 'Exchange Online refused relaying: the message is not for one of your accepted domains and the sender was not recognised by a connector (5.7.54 / 5.7.64).',
        steps: [
          '550 5.7.54 "Unable to relay recipient in non-accepted domain": create an inbound connector from your organisation\'s mail server (Exchange admin center > Mail flow > Connectors) identified by your public IP address or TLS certificate.',
          '5.7.64 "TenantAttribution; Relay Access Denied": the connector exists but does not match — check that the sending IP is in the connector, or that the certificate subject matches the connector\'s certificate domain.',
          'Make sure the sender\'s domain is an accepted domain in your tenant.',
          'Applications can instead submit with SMTP AUTH to smtp.office365.com:587 using a licensed mailbox.',
        ],
      },
      google: {
        steps: [
          'Workspace admin: Admin console > Apps > Google Workspace > Gmail > Routing > SMTP relay service, add a setting that allows your IP addresses and/or requires SMTP authentication.',
          'Point devices at smtp-relay.gmail.com on port 587 (TLS) or 25/465.',
          'The sender address must belong to one of your Workspace domains unless you allow other addresses in the relay setting.',
        ],
      },
      postfix: {
        steps: [
          'Clients must authenticate (smtpd_sasl_auth_enable = yes with permit_sasl_authenticated in smtpd_relay_restrictions) or come from an address in mynetworks.',
          'Check smtpd_relay_restrictions / smtpd_recipient_restrictions order: permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination.',
          'If the recipient domain should be local, add it to mydestination, virtual_mailbox_domains or relay_domains.',
        ],
      },
    },
  },
  spf_failure: {
    title: 'SPF check failed for the sending server',
    summary: "The receiving server checked the sender domain's SPF record and the sending IP address is not listed as allowed.",
    steps: [
      'Find the sending IP address in the bounce or message headers (Received / Authentication-Results).',
      'Look up the SPF record: `nslookup -type=txt yourdomain.com` — it starts with v=spf1.',
      'Add every service that sends for the domain (mail provider, newsletter tool, CRM, web server) with its include: or ip4:/ip6: entry.',
      'Keep a single SPF record and at most 10 DNS lookups (include, a, mx, exists, redirect count).',
      'After the DNS change propagates, send a test to a Gmail or Outlook.com address and check the header shows spf=pass.',
    ],
    providers: {
      google: {
        steps: [
          'Gmail requires every sender to pass SPF or DKIM; bulk senders need both plus DMARC.',
          'Add Google\'s SPF entry for Workspace: include:_spf.google.com, and the entries of any other service sending for your domain.',
          'Keep one SPF record per domain and at most 10 DNS lookups.',
          'Check results in Google Postmaster Tools and in the Authentication-Results header of a test message.',
        ],
      },
      microsoft: {
        steps: [
          'For Microsoft 365, the SPF record must contain include:spf.protection.outlook.com.',
          'Add every other service that sends as your domain.',
          'Keep one SPF record and at most 10 DNS lookups; end with -all or ~all.',
          'Send a test and check spf=pass in the Authentication-Results header.',
        ],
      },
      tencent: { steps: ['For Tencent Exmail the SPF record must include include:spf.mail.qq.com.', 'Add other services that send as your domain.', 'Keep one SPF record; check with nslookup -type=txt yourdomain.com.'] },
      netease: { steps: ['For NetEase Qiye mail add the include given in its admin console (commonly include:spf.163.com).', 'Add other services that send as your domain.', 'Keep one SPF record and at most 10 DNS lookups.'] },
      aliyun: { steps: ['For Aliyun Qiye Mail add include:spf.qiye.aliyun.com to the SPF record.', 'Add other services that send as your domain.', 'Keep one SPF record and at most 10 DNS lookups.'] },
    },
  },
  dkim_failure: {
    title: 'DKIM signature missing or invalid',
    summary: 'The message was not signed with DKIM, or the signature did not verify against the public key published in DNS, or it does not match the From domain.',
    steps: [
      'Enable DKIM signing for your domain in the mail provider\'s admin console, or in your own server (e.g. OpenDKIM/Rspamd).',
      'Publish the public key as a TXT (or CNAME) record at selector._domainkey.yourdomain.com exactly as the provider gives it.',
      'Check that the signing domain (d=) equals or is a subdomain of the From domain, so DMARC aligns.',
      'Make sure nothing modifies the message after signing (footers added by gateways, mailing lists, rewriting of links).',
      'Send a test message and check dkim=pass in the Authentication-Results header.',
    ],
    providers: {
      microsoft: { steps: ['In the Microsoft Defender portal open Email authentication settings > DKIM and select your domain.', 'Publish the two CNAME records (selector1._domainkey and selector2._domainkey) shown there at your DNS provider.', 'Turn on "Sign messages for this domain with DKIM signatures".', 'Send a test and check dkim=pass with header.d=yourdomain.com.'] },
      google: { steps: ['Admin console > Apps > Google Workspace > Gmail > Authenticate email: generate a DKIM key (2048-bit).', 'Publish the TXT record google._domainkey at your DNS provider.', 'Return to the console and click Start authentication.', 'Check dkim=pass in a test message and the DKIM success rate in Postmaster Tools.'] },
      tencent: { steps: ['In the Tencent Exmail admin console, open domain settings and enable DKIM to get the selector record.', 'Publish the TXT record it shows at your DNS provider.', 'Send a test and check dkim=pass.'] },
      aliyun: { steps: ['In the Aliyun Qiye Mail admin console enable DKIM for the domain and copy the TXT record.', 'Publish it at your DNS provider under the given selector.', 'Send a test and check dkim=pass.'] },
    },
  },
  dmarc_failure: {
    title: 'DMARC check failed',
    summary: "The message did not pass DMARC: neither SPF nor DKIM passed in alignment with the From domain, and the domain's DMARC policy tells receivers to reject or quarantine such mail.",
    steps: [
      'Check the DMARC record: `nslookup -type=txt _dmarc.yourdomain.com`.',
      'Make sure the message passes SPF with the From domain (or a subdomain) as envelope sender, or DKIM with d= equal to the From domain.',
      'Third-party senders (newsletter, CRM, ticketing) must sign with DKIM for your domain or send from a subdomain you have set up for them.',
      'Read the aggregate (rua) reports to find unauthenticated sources before tightening the policy; start with p=none, then quarantine, then reject.',
      'If a forwarder or mailing list breaks authentication, ask the recipient to whitelist or use ARC-aware forwarding.',
    ],
    providers: {
      google: {
        steps: [
          'Gmail enforces sender requirements: all senders need SPF or DKIM; senders of more than 5,000 messages a day to Gmail need SPF, DKIM and a DMARC record (p=none at least) with alignment.',
          'Bulk marketing mail must support one-click unsubscribe (List-Unsubscribe and List-Unsubscribe-Post headers) and keep the spam rate low.',
          'Sending IPs need valid forward and reverse DNS (PTR).',
          'Register the domain in Google Postmaster Tools to watch authentication, spam rate and compliance status.',
        ],
      },
      microsoft: {
        steps: [
          'Outlook.com requires high-volume senders (more than 5,000 messages a day) to pass SPF, DKIM and DMARC (at least p=none, aligned with SPF or DKIM); otherwise mail is rejected with 550 5.7.515.',
          'For 5.7.509 the sender domain\'s own DMARC policy is reject and the message failed it: fix SPF/DKIM alignment for the sending service.',
          'Check the Authentication-Results header of a test message sent to an Outlook.com address.',
          'Enable DKIM in the Defender portal if you send from Microsoft 365.',
        ],
      },
      yahoo: {
        steps: [
          'Yahoo requires all senders to authenticate with SPF or DKIM and bulk senders to have SPF, DKIM and DMARC (p=none at least) with alignment.',
          'Bulk mail needs one-click unsubscribe and a low complaint rate.',
          'Use Yahoo Sender Hub to register your domain and watch the complaint feedback loop.',
        ],
      },
    },
  },
  ptr_missing: {
    title: 'Sending IP has no valid reverse DNS',
    summary: 'The receiving server looked up the name of the sending IP address (PTR record) and found none, or the name does not point back to the same IP.',
    steps: [
      'Find the public IP address your server sends from (the bounce usually names it).',
      'Ask whoever owns the IP (ISP, hosting or cloud provider) to set a PTR record to your mail server\'s host name, e.g. mail.yourdomain.com; only they can change it.',
      'Create a matching A record so the name resolves back to the same IP (forward-confirmed reverse DNS).',
      'Make the server\'s HELO/EHLO name equal to that host name.',
      'Residential or dynamic IPs cannot get a usable PTR: send through your provider\'s relay instead.',
    ],
    providers: {
      aliyun: { steps: ['For an Aliyun ECS IP, reverse DNS is requested from Aliyun (submit a ticket for PTR / reverse resolution); outbound port 25 is also blocked by default on ECS.', 'Create the matching A record for the host name.', 'Set the mail server\'s HELO name to the same host name.', 'Consider sending through Aliyun Qiye Mail or DirectMail instead of directly from ECS.'] },
      google: { steps: ['Gmail requires sending IPs to have a PTR record whose name resolves back to the same IP (550 5.7.25).', 'Ask the IP owner (ISP/hosting/cloud) to set the PTR; create the matching A record.', 'Set the HELO name to the same host.', 'Re-test after DNS propagation.'] },
    },
  },
  mx_misconfigured: {
    title: 'Mail routing (MX) for the domain is wrong',
    summary: 'The MX records point to a wrong, dead or looping server, so mail for the domain cannot be routed or comes back to the sending server.',
    steps: [
      'Look up the MX records: `nslookup -type=mx domain.com`; each must name a host (not an IP) that resolves to an A/AAAA record.',
      'Check that the MX host accepts mail on port 25 from outside.',
      'A "mail loops back to myself" error means the server receives mail for the domain but is not configured to deliver it locally: add the domain to the local or virtual domains, or fix the MX.',
      'After moving to a new provider, remove the old MX records and wait for the TTL to expire.',
    ],
    providers: {
      microsoft: { steps: ['For Microsoft 365 the only MX should be yourdomain-com.mail.protection.outlook.com (shown in the admin center > Settings > Domains).', 'Remove MX records of previous providers.', 'Check the domain status in the admin center and fix any flagged records.'] },
      google: { steps: ['For Google Workspace, the MX should be smtp.google.com (priority 1) for new set-ups, or the older ASPMX.L.GOOGLE.COM set.', 'Remove MX records of previous providers.', 'Check with the Google Admin Toolbox Check MX tool.'] },
      tencent: { steps: ['For Tencent Exmail, the MX records are mxbiz1.qq.com (priority 5) and mxbiz2.qq.com (priority 10).', 'Remove MX records of previous providers.', 'Check the domain status in the Exmail admin console.'] },
      aliyun: { steps: ['For Aliyun Qiye Mail, the MX records are mx1.qiye.aliyun.com, mx2.qiye.aliyun.com and mx3.qiye.aliyun.com (priorities 5, 10 and 15).', 'Remove MX records of previous providers.', 'Verify with nslookup -type=mx.'] },
      netease: { steps: ['For NetEase Qiye mail use the MX records shown in its admin console (typically qiye163mx01.mxmail.netease.com and qiye163mx02.mxmail.netease.com).', 'Remove MX records of previous providers.', 'Verify with nslookup -type=mx.'] },
    },
  },
  sender_domain_invalid: {
    title: 'Sender domain is not valid',
    summary: 'The receiving server could not verify the domain of the sender address: it does not resolve in DNS or has no MX/A record.',
    steps: [
      'Check the From and envelope sender (Return-Path) addresses for typos and for internal-only domains such as .local or .lan.',
      'Make sure the sender domain has an MX record (or at least an A record) in public DNS.',
      'For applications and devices, set a real sender address on a domain you own.',
      'If the domain expired, renew it and check the DNS records are back.',
    ],
  },
  ip_blocklisted: {
    title: 'Sending IP address is on a blocklist',
    summary: 'The receiving server refused the connection because the sending IP address is listed on a DNS blocklist used to stop spam.',
    steps: [
      'Note the IP address and the blocklist named in the bounce.',
      'Find out why it was listed: an infected computer, a compromised mailbox sending spam, an open relay, or a shared IP used by others.',
      'Fix the cause first (clean malware, reset passwords of compromised accounts, close open relays), otherwise the listing returns.',
      'Request delisting on the blocklist operator\'s website.',
      'If you cannot get off quickly, send through your provider\'s relay or a different, clean IP in the meantime.',
    ],
    providers: {
      spamhaus: { steps: ['Look up the IP on check.spamhaus.org; it shows which zone (SBL, XBL/CSS, PBL) lists it and why.', 'XBL/CSS listings mean infected hosts or bad HELO names: clean the machine, fix the HELO/PTR, then request removal.', 'PBL means the IP is a dynamic/end-user range: send through your provider\'s authenticated relay, or have the ISP update the PBL if it is a real server.', 'Resolve the cause before requesting removal; repeated listings take longer to clear.'] },
      barracuda: { steps: ['Check the IP at barracudacentral.org (lookup).', 'Fix the cause (compromised account, infected host, missing PTR), then submit the removal request form there.', 'Barracuda requires a valid PTR record for the sending IP.'] },
      spamcop: { steps: ['Check the IP at spamcop.net (blocking list lookup).', 'SpamCop listings expire automatically about 24 hours after the last spam report; stop the spam source first.', 'Look for compromised accounts or forms abused to send mail.'] },
      microsoft: { steps: ['If Outlook.com/Exchange Online refuses your IP (e.g. 5.7.606–5.7.649 or "banned sending IP"), request delisting at sender.office.com.', 'Check the IP\'s status with Microsoft SNDS and enrol in JMRP.', 'Fix the cause of the spam first.'] },
      yahoo: { steps: ['Stop the spam source and check your complaint rate.', 'Use Yahoo Sender Hub to request a review of the IP.', 'Make sure SPF, DKIM, DMARC and PTR are set.'] },
    },
  },
  bad_reputation: {
    title: 'Sender reputation too low',
    summary: 'The receiving provider does not trust mail from this IP address or domain at the moment because of spam complaints, sudden volume changes or poor list quality.',
    steps: [
      'Check that SPF, DKIM and DMARC pass and the sending IP has a proper PTR record.',
      'Stop sending to old, purchased or unconfirmed lists; remove addresses that bounce.',
      'Make unsubscribing easy and honour it; watch complaint rates.',
      'Increase volume slowly on new IPs or domains (warm-up) instead of sending large batches at once.',
      'Check for a compromised account or script that sends spam from your systems.',
    ],
    providers: {
      google: { steps: ['Register your domain in Google Postmaster Tools and watch the spam rate (keep it below 0.1%, never reach 0.3%) and compliance status.', 'Meet the sender requirements: SPF, DKIM, DMARC, PTR, TLS, one-click unsubscribe for bulk mail.', 'Reduce volume and send only to engaged recipients until reputation recovers.'] },
      microsoft: { steps: ['Enrol the sending IPs in Microsoft SNDS and JMRP to see complaints and status.', 'If the IP is blocked, request delisting at sender.office.com.', 'Clean your lists and fix authentication before raising volume again.'] },
      yahoo: { steps: ['Register in Yahoo Sender Hub and enrol in the complaint feedback loop.', 'Keep the complaint rate low and authentication aligned (SPF, DKIM, DMARC).', 'Reduce volume and send only to engaged recipients until deferrals stop.'] },
    },
  },
  rate_limited: {
    title: 'Sending too fast: the receiver is throttling',
    summary: 'The receiving server temporarily limits how many connections or messages it accepts from this sender. The message is usually retried automatically.',
    steps: [
      'Do nothing for a single occurrence: the sending server retries and delivery usually succeeds later.',
      'If it persists, reduce the sending rate and the number of parallel connections to that provider.',
      'Spread large campaigns over time instead of sending all at once.',
      'Check that authentication and reputation are good; providers throttle unknown or poorly authenticated senders harder.',
    ],
    providers: {
      postfix: { steps: ['Lower concurrency for the affected destination with a transport: e.g. a dedicated transport with default_destination_concurrency_limit = 2 and destination_rate_delay = 1s.', 'Check the deferred queue with mailq / postqueue -p; messages are retried automatically.', 'Make sure SPF/DKIM/DMARC and PTR are set for the sending IP.'] },
      microsoft: { steps: ['Exchange Online/Outlook.com returns 4.7.500–4.7.699 or 451 4.7.650 when throttling: keep retrying at normal intervals, do not increase the rate.', 'Enrol in SNDS to check the IP\'s status.', 'Reduce the number of parallel connections.'] },
      google: { steps: ['Gmail returns 421 4.7.28 or 4.7.0 when the rate is unusual: slow down and let the server retry.', 'Check spam rate and authentication in Postmaster Tools.', 'Warm up new IPs gradually.'] },
      tencent: { steps: ['QQ/Exmail servers limit the frequency per sending IP; lower the rate and retry later.', 'Check that the sending IP has PTR and SPF passes.', 'Avoid sending large batches at once to qq.com addresses.'] },
      netease: { steps: ['NetEase servers return 421/451 codes when the frequency is too high; reduce the rate and retry later.', 'Make sure SPF/DKIM are set and the IP has a PTR.', 'Spread large sends over time.'] },
    },
  },
  sending_quota_exceeded: {
    title: 'Your sending limit is reached',
    summary: 'Your own mail provider stopped the message because the account exceeded its allowed number of messages or recipients per day or per minute.',
    steps: [
      'Wait until the limit resets (often a rolling 24 hours) before sending again.',
      'Check whether the account really sent that much — unexpected volume can mean the account is compromised.',
      'Split large recipient lists; use a distribution group instead of listing many recipients.',
      'For newsletters and bulk mail use a dedicated bulk sending service instead of a personal mailbox.',
    ],
    providers: {
      microsoft: { steps: ['Exchange Online limits a mailbox to 10,000 recipients a day and 30 messages a minute; 5.1.90 or 5.2.0 SubmissionQuotaExceededException report exceeding them.', 'Check the sent items and the message trace for unexpected volume; a compromised account is common — reset the password and revoke sessions.', 'If the account was restricted (5.1.8, "Restricted entities"), an admin must release it in the Defender portal after cleaning up.', 'Use a bulk sending service for mass mail.'] },
      google: { steps: ['Gmail and Workspace have daily sending limits (for Workspace 2,000 messages a day per user, fewer for trial accounts); 550 5.4.5 means the limit is reached.', 'Wait 1–24 hours for the limit to reset.', 'Check for unexpected sent mail that could mean the account is compromised.', 'Use the SMTP relay service or a bulk mail service for large volumes.'] },
      tencent: { steps: ['Tencent Exmail limits daily sending per account; wait for the reset (next day).', 'Check the sent folder for unexpected mail; change the password if the account may be compromised.', 'Ask the admin about higher limits or use a bulk sending service.'] },
      netease: { steps: ['NetEase mail limits daily sending per account; wait for the reset.', 'Check the sent folder for unexpected mail.', 'Use a bulk sending service for mass mail.'] },
      aliyun: { steps: ['Aliyun Qiye Mail limits daily sending per account; wait for the reset.', 'Check for unexpected sent mail; change the password if needed.', 'Use Aliyun DirectMail for bulk sending.'] },
    },
  },
  spam_content: {
    title: 'Message was classified as spam',
    summary: "The receiving system's filter judged the content as spam: wording, links, URLs on blocklists, attachments or a poor sender reputation.",
    steps: [
      'Remove links to URL shorteners and domains with a bad reputation; check URLs against blocklists.',
      'Avoid image-only messages, all caps, excessive exclamation marks and typical spam phrases.',
      'Make sure SPF, DKIM and DMARC pass — unauthenticated mail is filtered much more strictly.',
      'Send a plain test message; if it passes, change the original content step by step.',
      'Ask the recipient to add you to their safe senders or allow-list.',
    ],
  },
  virus_detected: {
    title: 'Malware found in the message',
    summary: 'A virus scanner found malicious content in the message or its attachments and refused it.',
    steps: [
      'Do not resend the attachment; scan the sending computer with an up-to-date antivirus program.',
      'Check where the file came from; it may be infected without the sender knowing.',
      'If the user did not send this message, the mailbox may be compromised: change the password and check forwarding rules.',
      'Report false positives to the recipient\'s administrator with the scanner name from the bounce.',
    ],
  },
  greylisted: {
    title: 'Temporarily deferred (greylisting)',
    summary: 'The receiving server asks unknown senders to retry later as an anti-spam measure. A correctly configured server retries and the mail is delivered after a few minutes.',
    steps: [
      'No action is usually needed: the message stays in the queue and is retried automatically.',
      'If it is still not delivered after an hour, check the sending server retries from the same IP (large pools rotating IPs can be greylisted repeatedly).',
      'Make sure the sending server does not give up too early (retry for at least a few hours).',
      'Ask the recipient\'s admin to allow-list your sending IPs if delays are a problem.',
    ],
  },
  policy_rejected: {
    title: "Refused by the recipient organisation's policy",
    summary: 'The recipient side accepts no mail from this sender: external senders are not allowed for this address or group, or the sender or domain is blocked by the recipient.',
    steps: [
      'Ask the recipient whether the address (e.g. a distribution group) accepts mail from outside the organisation.',
      'Ask the recipient to check whether your address or domain is on their blocked senders list.',
      'If it is a group in your organisation, an admin can allow external senders or add you as an allowed sender.',
      'Use another contact address if the policy cannot be changed.',
    ],
    providers: {
      microsoft: { steps: ['5.7.133/5.7.134 etc.: the group or mailbox only accepts mail from authenticated (internal) senders; an admin can change "Allow external senders" on the group.', '5.7.1 "not authorized to send to this recipient" / delivery restrictions: the recipient is configured to accept only specific senders.', '5.7.129 / 5.7.12: check the group\'s delivery management settings in the Exchange admin center.', 'Ask the recipient to remove you from blocked senders if the block is personal.'] },
      google: { steps: ['For Google Groups, the group may not allow external members to post: the group owner must allow "Anyone on the web" or "External" posting.', 'The recipient or the Workspace admin may have blocked your domain; ask them to check content compliance and blocked senders.', 'Use another address if the policy stays.'] },
    },
  },
  connection_failed: {
    title: 'Could not connect to the receiving server',
    summary: "The sending server could not open a connection to the recipient's mail server: it timed out or was refused, often because port 25 is blocked or the server is down.",
    steps: [
      'Test from the sending server: `telnet mx.recipient.com 25` or `nc -vz mx.recipient.com 25`.',
      'If nothing can connect on port 25, your network or hosting provider probably blocks outbound port 25 (common on cloud servers); ask to unblock it or relay through your provider on 587.',
      'If only one destination fails, check its MX records and try later; the recipient server may be down.',
      'Check local firewalls and that the server can resolve DNS.',
      'The message stays queued and is retried until the queue lifetime expires.',
    ],
  },
  message_expired: {
    title: 'Delivery kept failing until the message expired',
    summary: 'The sending server retried for days without success and gave up when the queue lifetime ran out. The cause is the error from the last attempts.',
    steps: [
      'Look for the last temporary error in the bounce (connection timeouts, 4xx replies): it is the real cause.',
      'Check the recipient domain\'s MX records and whether its server is reachable on port 25.',
      'If many destinations expire, check your own server: outbound port 25 blocked, DNS broken, or IP blocklisted.',
      'Resend the message once the cause is fixed.',
    ],
  },
  protocol_error: {
    title: 'SMTP protocol or format error',
    summary: 'The sending software broke SMTP rules or sent a malformed address or header, so the server refused the command or message.',
    steps: [
      'Check the addresses for invalid characters, spaces, missing angle brackets or double dots.',
      'Make sure the client sends EHLO/HELO with a proper fully qualified host name.',
      'For applications: check that line endings are CRLF, lines are shorter than 998 characters, and headers (Date, Message-ID, From) are present and well-formed.',
      'Update the mail client, device firmware or library; old versions have known protocol bugs.',
    ],
  },
  server_error: {
    title: 'Fault on the receiving mail system',
    summary: 'The receiving server reported an internal error (out of resources, misconfiguration, service down). The cause is on the recipient side.',
    steps: [
      'For a temporary (4xx) error, wait: the message is retried automatically.',
      'If it keeps failing, contact the recipient through another channel so they can inform their IT team.',
      'Keep the full bounce (with the remote server name and error text) for the recipient\'s admin.',
      'If the error comes from your own server, check its disk space, queue, logs and services.',
    ],
  },
  account_compromised: {
    title: 'Account blocked for suspicious or abusive sending',
    summary: 'The provider blocked the account or its sending because it looked compromised: spam sent from it, unusual sign-ins or brute-force attempts.',
    steps: [
      'Change the account password immediately from a clean device and sign out all sessions.',
      'Enable multi-factor authentication.',
      'Check the mailbox for forwarding rules, inbox rules and connected apps the user did not create, and remove them.',
      'Scan the user\'s computers and phones for malware.',
      'Ask the provider or admin to unblock sending once the account is clean; warn recipients who received spam.',
    ],
    providers: {
      microsoft: { steps: ['Reset the password and revoke sessions in the Microsoft 365 admin center / Entra ID.', 'Check inbox rules and forwarding (Get-InboxRule) and remove unknown ones.', 'Release the user from Restricted entities in the Microsoft Defender portal once clean.', 'Enforce MFA and review Entra ID sign-in logs for the attacker\'s IPs.'] },
      google: { steps: ['Reset the password, sign out all sessions and check the Security checkup at myaccount.google.com.', 'Remove unknown forwarding addresses, filters and third-party app access.', 'Workspace admins: check the alert center and the user\'s sending status; sending is restored after the suspension period.', 'Enable 2-Step Verification.'] },
      tencent: { steps: ['Change the password and enable WeChat secure login in Tencent Exmail.', 'Check auto-forwarding and filters in the account settings.', 'Ask the admin to review login logs and unblock the account.'] },
    },
  },
  phishing_detected: {
    title: 'Message blocked as phishing or spoofing',
    summary: 'The receiving system judged the message to be phishing, spoofed or impersonating another sender.',
    steps: [
      'If the user did not send this message, someone is spoofing the domain: publish SPF, DKIM and a DMARC policy (quarantine or reject).',
      'If it is legitimate, make sure the From domain matches the authenticated domain (SPF/DKIM alignment) and the display name does not imitate another organisation.',
      'Remove links whose text shows a different domain from the real target, and login forms or credential requests.',
      'Ask the recipient\'s admin to report it as a false positive to their filter vendor.',
    ],
  },
  unknown: {
    title: 'Cause not determined yet',
    summary: 'There is not enough information to name the cause with confidence. The full error message helps most.',
    steps: [
      'Send the complete bounce message or the exact error text, including the three-digit code and codes like 5.7.1.',
      'Tell us the sender and recipient addresses (or domains) and the time of sending.',
      'Say which mail client or device was used and whether other messages are delivered.',
      'If many users are affected at once, escalate to the mail administrator.',
    ],
  },
};
