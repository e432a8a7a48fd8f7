// Retrieval evaluation: every question of test/kb/questions-*.jsonl is searched in its own language
// over the real knowledge/ (in-memory PGlite); recall@1 and recall@3 count the expected article among
// the first 1 / 3 distinct articles. Full text only, then hybrid with the test embeddings server
// (deterministic character n-gram vectors, started here on 127.0.0.1). `--misses` lists the failures.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { searchKnowledge, syncKnowledge, type KbContext } from '../src/knowledge/index.js';
import { migrate } from '../src/store/index.js';
import { openPglite } from '../src/store/pglite.js';
import { startFakeEmbeddings } from '../test/helpers/fake-embeddings.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const showMisses = process.argv.includes('--misses');
const fullTextOnly = process.argv.includes('--fulltext');

interface Question {
  q: string;
  lang: 'zh' | 'en';
  expect: string;
  file: string;
}

function loadQuestions(): Question[] {
  const dir = resolve(root, 'test/kb');
  return readdirSync(dir)
    .filter((f) => /^questions-.*\.jsonl$/.test(f))
    .sort()
    .flatMap((file) =>
      readFileSync(resolve(dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l, i) => {
          try {
            return { ...(JSON.parse(l) as Omit<Question, 'file'>), file: `${file}:${i + 1}` };
          } catch {
            throw new Error(`${file} line ${i + 1} is not valid JSON`);
          }
        }),
    );
}

async function run(ctx: KbContext, questions: Question[], mode: 'fulltext' | 'auto', label: string): Promise<void> {
  const stats = { zh: { n: 0, r1: 0, r3: 0 }, en: { n: 0, r1: 0, r3: 0 } };
  const misses: string[] = [];
  for (const q of questions) {
    const hits = await searchKnowledge(ctx, { text: q.q, lang: q.lang, k: 3 }, { mode });
    const rank = hits.findIndex((h) => h.articleId === q.expect);
    const s = stats[q.lang];
    s.n++;
    if (rank === 0) s.r1++;
    if (rank >= 0) s.r3++;
    else misses.push(`  [${q.lang}] ${q.q}\n       expected ${q.expect}, got ${hits.map((h) => h.articleId).join(', ') || 'nothing'}  (${q.file})`);
  }
  const pct = (a: number, n: number) => (n ? (a / n).toFixed(3) : '-');
  for (const lang of ['zh', 'en'] as const) {
    const s = stats[lang];
    console.log(`${label.padEnd(10)} ${lang}  n=${String(s.n).padStart(3)}  recall@1 ${pct(s.r1, s.n)}  recall@3 ${pct(s.r3, s.n)}`);
  }
  if (showMisses && misses.length) console.log(`${label} misses (not in top 3):\n${misses.join('\n')}`);
}

async function main(): Promise<void> {
  const questions = loadQuestions();
  const server = await startFakeEmbeddings(256);
  const db = await openPglite();
  try {
    await migrate(db);
    const embeddings = fullTextOnly ? {} : { EMBEDDINGS_BASE_URL: server.url, EMBEDDINGS_MODEL: 'fake-ngram-256' };
    const config = loadConfig({ KNOWLEDGE_DIR: resolve(root, 'knowledge'), LOG_LEVEL: 'silent', ...embeddings });
    const ctx: KbContext = { config, db, log: pino({ level: 'silent' }) };
    const sync = await syncKnowledge(ctx);
    const chunks = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb_chunks')).rows[0]!.n;
    const known = new Set((await db.query<{ k: string }>("SELECT id || '/' || lang AS k FROM kb_articles")).rows.map((r) => r.k));
    const orphan = questions.filter((q) => !known.has(`${q.expect}/${q.lang}`));
    console.log(`knowledge: ${sync.added} articles, ${chunks} chunks, ${sync.embedded} embedded; ${questions.length} questions`);
    if (orphan.length) {
      console.log(`warning: ${orphan.length} question(s) expect an article missing in their language:`);
      for (const q of orphan) console.log(`  ${q.expect}/${q.lang}  (${q.file})`);
    }
    await run(ctx, questions, 'fulltext', 'full-text');
    if (fullTextOnly) return;
    await run(ctx, questions, 'auto', 'hybrid');
    console.log('hybrid = reciprocal rank fusion of full text and vectors from the test n-gram embedder, not a semantic model');
  } finally {
    await db.close();
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
