// One tokenizer for articles and questions, so both sides produce the same lexemes. Chinese runs are
// split by the mail dictionary first (longest match) and by Intl.Segmenter in between; Latin text is
// split into letter/digit runs with status codes (5.7.26, x.2.2, 550) kept whole. Every token is a
// single word for PostgreSQL's parser, so to_tsvector('simple', tokens.join(' ')) keeps them unchanged
// and a tsquery made of the same tokens matches.
import { EN_STOP, SYNONYMS, ZH_STOP, ZH_WORDS } from './lexicon.js';

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;
const LATIN_TOKEN = /(?:\d+|x)(?:\.\d+)+|[\p{L}\p{N}]+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const MAX_TOKEN = 64;
const ZH_DICT = new Set(ZH_WORDS);
const ZH_MAX = Math.max(...ZH_WORDS.map((w) => w.length));
// Sentence particles glued to a word by the segmenter (满了 → 满) carry no meaning of their own.
const ZH_TAIL = /^(.+?)[了的吗呢吧啊]$/u;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Light English suffix stripping (plurals, -ing, -ed, -ion, final e): same rules on both sides. */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 5 && w.endsWith('ion')) w = w.slice(0, -3);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && /([bdfgmnprt])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

const CANONICAL = new Map<string, string>();
const SURFACES = new Map<string, string[]>();
for (const group of SYNONYMS) {
  const head = normalizeWord(group[0]!);
  for (const word of group) CANONICAL.set(normalizeWord(word), head);
  SURFACES.set(head, [...new Set(group.flatMap((w) => [w, normalizeWord(w)]))]);
}

/**
 * Strings whose presence in lower-cased text suggests the token (its synonyms, its stem): a cheap
 * stand-in for tokenizing text again, e.g. to choose a snippet. Segmenting Chinese costs milliseconds.
 */
export function surfaces(token: string): string[] {
  return SURFACES.get(token) ?? [token];
}

function normalizeWord(word: string): string {
  return /^[a-z]/.test(word) ? stem(word) : word;
}

/** word → its token ('' for none): every question repeats the same few thousand words */
const TOKEN_OF = new Map<string, string>();
const TOKEN_MEMO_MAX = 50_000;
const MEMO_WORD_MAX = 24;

function emit(out: string[], raw: string): void {
  let token = TOKEN_OF.get(raw);
  if (token === undefined) {
    token = tokenOf(raw);
    // Only word-like tokens are remembered: anything with a digit (ids, codes, ports, a typed
    // password that redaction missed) or longer is redone each time instead of kept in memory.
    if (raw.length <= MEMO_WORD_MAX && !/\d/.test(raw)) {
      if (TOKEN_OF.size >= TOKEN_MEMO_MAX) TOKEN_OF.clear();
      TOKEN_OF.set(raw, token);
    }
  }
  if (token) out.push(token);
}

function tokenOf(raw: string): string {
  if (raw.length > MAX_TOKEN) return ''; // base64 blobs, long hashes: never a useful search term
  if (EN_STOP.has(raw) || ZH_STOP.has(raw)) return '';
  const isCjk = /^\p{Script=Han}/u.test(raw) || /^[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(raw);
  if (!isCjk && raw.length < 2) return '';
  const word = normalizeWord(raw);
  return CANONICAL.get(word) ?? word;
}

function segmentCjk(out: string[], run: string): void {
  let gap = '';
  const flush = () => {
    if (!gap) return;
    for (const s of segmenter.segment(gap)) {
      if (!s.isWordLike) continue;
      const m = ZH_TAIL.exec(s.segment);
      emit(out, m ? m[1]! : s.segment);
    }
    gap = '';
  };
  let i = 0;
  while (i < run.length) {
    let len = Math.min(ZH_MAX, run.length - i);
    while (len >= 2 && !ZH_DICT.has(run.slice(i, i + len))) len--;
    if (len >= 2) {
      flush();
      emit(out, run.slice(i, i + len));
      i += len;
    } else {
      gap += run[i];
      i++;
    }
  }
  flush();
}

/** Tokens of a text in reading order (repeats kept: positions matter for ranking). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  // ASCII is its own NFKC form and holds no CJK run: most SMTP replies and English questions
  if (ASCII.test(text)) {
    latin(out, text.toLowerCase());
    return out;
  }
  const norm = text.normalize('NFKC').toLowerCase();
  let last = 0;
  for (const m of norm.matchAll(CJK_RUN)) {
    latin(out, norm.slice(last, m.index));
    segmentCjk(out, m[0]);
    last = m.index + m[0].length;
  }
  latin(out, norm.slice(last));
  return out;
}

function latin(out: string[], part: string): void {
  for (const m of part.matchAll(LATIN_TOKEN)) emit(out, m[0]);
}

/** Distinct tokens of a question, in order of first appearance; bounded work for any input size. */
export function queryTokens(text: string, max = 64): string[] {
  return [...new Set(tokenize(text.slice(0, 20_000)))].slice(0, max);
}
