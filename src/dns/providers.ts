// Hosted mail providers: the MX hosts, SPF include and default DKIM selectors each one
// documents for customer domains. Data only; the checks compare a domain's records with it.

export interface ProviderProfile {
  id: string;
  name: { en: string; zh: string };
  /** the MX records the provider tells customers to publish (priority, host) */
  documentedMx: Array<[number, string]>;
  /** host names that belong to the provider's inbound service */
  mxPatterns: RegExp[];
  /** SPF include the provider documents */
  spfInclude: string;
  /** selectors the provider uses unless the customer picks one */
  dkimSelectors: string[];
}

export const PROVIDERS = [
  {
    id: 'google',
    name: { en: 'Google Workspace', zh: 'Google Workspace' },
    documentedMx: [[1, 'smtp.google.com']],
    // the older five-record set is still accepted
    mxPatterns: [/^smtp\.google\.com$/, /^(?:alt[1-4]\.)?aspmx\.l\.google\.com$/, /^aspmx[2-5]\.googlemail\.com$/],
    spfInclude: '_spf.google.com',
    dkimSelectors: ['google'],
  },
  {
    id: 'microsoft365',
    name: { en: 'Microsoft 365 (Exchange Online)', zh: 'Microsoft 365（Exchange Online）' },
    documentedMx: [[0, '<tenant>.mail.protection.outlook.com']],
    mxPatterns: [/\.mail\.protection\.outlook\.com$/, /\.mx\.microsoft$/],
    spfInclude: 'spf.protection.outlook.com',
    dkimSelectors: ['selector1', 'selector2'],
  },
  {
    id: 'tencent',
    name: { en: 'Tencent Exmail', zh: '腾讯企业邮箱' },
    documentedMx: [[5, 'mxbiz1.qq.com'], [10, 'mxbiz2.qq.com']],
    mxPatterns: [/^mxbiz[12]\.qq\.com$/, /^mx\.exmail\.qq\.com$/],
    spfInclude: 'spf.mail.qq.com',
    dkimSelectors: [],
  },
  {
    id: 'netease',
    name: { en: 'NetEase Enterprise Mail', zh: '网易企业邮箱' },
    documentedMx: [[5, 'qiye163mx01.mxmail.netease.com'], [10, 'qiye163mx02.mxmail.netease.com']],
    mxPatterns: [/\.mxmail\.netease\.com$/],
    spfInclude: 'spf.163.com',
    dkimSelectors: [],
  },
  {
    id: 'aliyun',
    name: { en: 'Alibaba Mail (Aliyun enterprise mail)', zh: '阿里企业邮箱' },
    documentedMx: [[5, 'mxn.mxhichina.com'], [10, 'mxw.mxhichina.com']],
    // Standard/Premium editions use the qiye.aliyun.com set
    mxPatterns: [/^mx[nw]\.mxhichina\.com$/, /^mx[1-3]\.qiye\.aliyun\.com$/],
    spfInclude: 'spf.mxhichina.com',
    dkimSelectors: [],
  },
  {
    id: 'zoho',
    name: { en: 'Zoho Mail', zh: 'Zoho 邮箱' },
    documentedMx: [[10, 'mx.zoho.com'], [20, 'mx2.zoho.com'], [50, 'mx3.zoho.com']],
    // regional data centres publish the same names under their own suffix
    mxPatterns: [/^mx[23]?\.zoho\.(?:com|eu|in|com\.au|com\.cn|jp|sa)$/, /^mx[23]?\.zohomail\.com$/],
    spfInclude: 'zoho.com',
    dkimSelectors: [],
  },
] as const satisfies readonly ProviderProfile[];

export type ProviderId = (typeof PROVIDERS)[number]['id'];
export const PROVIDER_IDS = PROVIDERS.map((p) => p.id) as [ProviderId, ...ProviderId[]];

export function providerById(id: string | undefined): ProviderProfile | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** The provider whose inbound service `mxHost` belongs to. */
export function providerOfMx(mxHost: string): ProviderProfile | undefined {
  const host = mxHost.toLowerCase().replace(/\.$/, '');
  return PROVIDERS.find((p) => p.mxPatterns.some((re: RegExp) => re.test(host)));
}

/** Selectors that are commonly used by self-hosted setups and smaller providers. */
export const COMMON_DKIM_SELECTORS = ['default', 'dkim', 'mail', 's1', 's2', 'k1'];
