import { z } from 'zod';
import { ReferenceSchema } from '../../core/diagnosis.js';
import { ROOT_CAUSES } from '../../core/taxonomy.js';
import { Lang } from '../../core/taxonomy-schemas.js';
import { getArticle, searchKnowledge } from '../../knowledge/index.js';
import { notFound } from '../errors.js';
import type { RouteModule } from '../types.js';

const MAX_QUERY = 4000;

const Hit = ReferenceSchema.extend({
  heading: z.string().nullable(),
  rootCauses: z.array(z.string()),
  providers: z.array(z.string()),
});

const Article = z.object({
  id: z.string(),
  lang: Lang,
  title: z.string(),
  rootCauses: z.array(z.string()),
  providers: z.array(z.string()),
  updated: z.string().nullable(),
  sources: z.array(z.string()),
  body: z.string(),
  sections: z.array(z.object({ heading: z.string(), anchor: z.string() })),
  languages: z.array(Lang),
});

/** The knowledge base (global, the same for every tenant): search and read articles. */
export const kbRoutes: RouteModule = (app, ctx) => {
  app.get('/kb/search', {
    schema: {
      tags: ['knowledge'],
      summary: 'Search the knowledge base; one hit per article, best section first',
      querystring: z.object({
        q: z
          .string({ error: 'q (the question) is required' })
          .trim()
          .min(1, 'q must not be empty')
          .max(MAX_QUERY, `q is too long (at most ${MAX_QUERY} characters)`),
        lang: Lang.optional(),
        k: z.coerce.number({ error: 'k must be a number' }).int('k must be a whole number').min(1).max(50).default(5),
        rootCause: z.enum(ROOT_CAUSES, { error: 'rootCause must be one of the taxonomy root causes' }).optional(),
      }),
      response: { 200: z.object({ hits: z.array(Hit) }) },
    },
  }, async (req) => {
    const { q, lang, k, rootCause } = req.query;
    const hits = await searchKnowledge(ctx, { text: q, lang, k, rootCause });
    return { hits };
  });

  app.get('/kb/articles/:id', {
    schema: {
      tags: ['knowledge'],
      summary: 'One knowledge article (Markdown body), in the requested language when it exists',
      params: z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'article ids are lower-case letters, digits and hyphens') }),
      querystring: z.object({ lang: Lang.optional() }),
      response: { 200: Article },
    },
  }, async (req) => {
    const article = await getArticle(ctx.db, req.params.id, req.query.lang);
    if (!article) throw notFound(`knowledge article "${req.params.id}"`);
    return article;
  });
};
