// Heading-aware chunking: one chunk per `##`/`###` section (its heading path and anchor kept), long
// sections cut further by LangChain's recursive splitter at paragraph, line and sentence boundaries.
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Lang } from '../core/taxonomy.js';

/** Part of every article hash: bump it when chunking or tokenizing changes, so all articles re-chunk. */
export const CHUNKER_VERSION = 1;

export interface Chunk {
  ord: number;
  /** "Section" or "Section › Subsection"; null for text before the first heading */
  heading: string | null;
  anchor: string | null;
  content: string;
}

// Chinese carries about twice the meaning per character, so its chunks are shorter in characters.
const SIZE: Record<Lang, number> = { en: 1200, zh: 600 };
const splitters = Object.fromEntries(
  (Object.keys(SIZE) as Lang[]).map((lang) => [
    lang,
    new RecursiveCharacterTextSplitter({
      chunkSize: SIZE[lang],
      chunkOverlap: Math.round(SIZE[lang] / 10),
      separators: ['\n\n', '\n', '。', '. ', '；', '; ', '，', ', ', ' ', ''],
    }),
  ]),
) as Record<Lang, RecursiveCharacterTextSplitter>;

/** GitHub-style heading anchor: lower case, punctuation dropped, spaces to hyphens (CJK kept). */
export function slug(heading: string): string {
  return heading
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

interface Section {
  heading: string | null;
  anchor: string | null;
  lines: string[];
}

export async function chunkArticle(body: string, lang: Lang): Promise<Chunk[]> {
  const sections: Section[] = [{ heading: null, anchor: null, lines: [] }];
  let h2: string | null = null;
  let fence = false;
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (m && m[1]!.length === 1) continue; // the H1 repeats the title, which every chunk carries anyway
    if (m && m[1]!.length <= 3) {
      const text = m[2]!;
      if (m[1]!.length === 2) h2 = text;
      const heading = m[1]!.length === 3 && h2 ? `${h2} › ${text}` : text;
      sections.push({ heading, anchor: slug(text), lines: [] });
      continue;
    }
    sections[sections.length - 1]!.lines.push(line);
  }
  const chunks: Chunk[] = [];
  for (const s of sections) {
    const text = s.lines.join('\n').trim();
    if (!text) continue;
    for (const content of await splitters[lang].splitText(text)) {
      chunks.push({ ord: chunks.length, heading: s.heading, anchor: s.anchor, content });
    }
  }
  return chunks;
}
