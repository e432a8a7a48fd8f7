// Answer language: Chinese when the text carries Chinese (Han) characters and is not mostly
// Japanese kana; English otherwise. Only zh and en answers exist, so a full language detector
// would not change the outcome.
import type { Lang } from '../core/taxonomy.js';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const KANA = /[\u3040-\u30ff]/g;

export function detectLanguage(text: string, locale?: Lang | null): Lang {
  if (locale === 'zh' || locale === 'en') return locale;
  const sample = text.length > 4096 ? text.slice(0, 4096) : text;
  const han = sample.match(HAN)?.length ?? 0;
  if (han === 0) return 'en';
  const kana = sample.match(KANA)?.length ?? 0;
  return kana > han ? 'en' : 'zh';
}
