// Reads knowledge/{en,zh}/*.md into validated articles. Every problem in every file is collected, so
// one run of `mailmedic kb ingest` lists all of them.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LANGS, ROOT_CAUSES, type Lang } from '../core/taxonomy.js';
import { FrontMatterError, parseFrontMatter, type FrontValue } from './frontmatter.js';
import { CHUNKER_VERSION } from './chunk.js';

export interface Article {
  id: string;
  lang: Lang;
  title: string;
  rootCauses: string[];
  providers: string[];
  updated: string | null;
  sources: string[];
  body: string;
  /** path relative to the knowledge directory, e.g. en/rc-mailbox-full.md */
  path: string;
  hash: string;
}

export class KnowledgeError extends Error {
  constructor(readonly problems: string[]) {
    super(`knowledge base has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

const ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const ROOT_CAUSE_SET = new Set<string>(ROOT_CAUSES);

export function loadArticles(dir: string): Article[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new KnowledgeError([`${dir}: knowledge directory not found`]);
  const problems: string[] = [];
  const articles: Article[] = [];
  const seen = new Map<string, string>();
  for (const lang of LANGS) {
    const sub = join(dir, lang);
    if (!existsSync(sub)) continue;
    for (const name of readdirSync(sub).filter((f) => f.endsWith('.md')).sort()) {
      const path = `${lang}/${name}`;
      try {
        const article = toArticle(path, lang, readFileSync(join(sub, name), 'utf8'));
        const key = `${article.id}/${article.lang}`;
        if (seen.has(key)) throw new FrontMatterError(path, `id "${article.id}" (${lang}) is also used by ${seen.get(key)}`);
        seen.set(key, path);
        articles.push(article);
      } catch (err) {
        if (!(err instanceof FrontMatterError)) throw err;
        problems.push(err.message);
      }
    }
  }
  if (problems.length) throw new KnowledgeError(problems);
  return articles;
}

export function toArticle(path: string, dirLang: Lang, text: string): Article {
  const { data, body } = parseFrontMatter(path, text);
  const scalar = (key: string, required: boolean): string | null => {
    const v = data[key];
    if (v === undefined || v === '') {
      if (required) throw new FrontMatterError(path, `front matter needs "${key}"`);
      return null;
    }
    if (Array.isArray(v)) throw new FrontMatterError(path, `"${key}" must be a single value, not a list`);
    return v;
  };
  const list = (key: string): string[] => {
    const v: FrontValue | undefined = data[key];
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
  };
  const id = scalar('id', true)!;
  if (!ID.test(id)) throw new FrontMatterError(path, `id "${id}" must be lower-case letters, digits and hyphens`);
  const lang = scalar('lang', true)!;
  if (lang !== dirLang) throw new FrontMatterError(path, `lang "${lang}" does not match its folder "${dirLang}/"`);
  const rootCauses = list('rootCauses');
  const unknown = rootCauses.filter((r) => !ROOT_CAUSE_SET.has(r));
  if (unknown.length) throw new FrontMatterError(path, `unknown rootCauses: ${unknown.join(', ')} (see src/core/taxonomy.ts)`);
  if (!body.trim()) throw new FrontMatterError(path, 'the article has no text after its front matter');
  return {
    id,
    lang: dirLang,
    title: scalar('title', true)!,
    rootCauses,
    providers: list('providers').map((p) => p.toLowerCase()),
    updated: scalar('updated', false),
    sources: list('sources'),
    body,
    path,
    hash: createHash('sha256').update(`${CHUNKER_VERSION}\n${text}`).digest('hex'),
  };
}
