import { z } from 'zod';
import { Lang } from '../../core/taxonomy-schemas.js';
import { llmFor, translate } from '../../llm/index.js';
import type { RouteModule } from '../types.js';

const MAX_CHARS = 20_000;

/**
 * Relay translation between agent and user. Always 200 when the request is valid: without a model
 * (or when it fails) `status` is "unavailable" and `text` is the original, so the caller can relay
 * it untranslated; `skipped` means the text is already in the target language.
 */
export const translateRoutes: RouteModule = (app, ctx) => {
  app.post('/translate', {
    schema: {
      tags: ['conversations'],
      summary: 'Translate a chat message between Chinese and English (LLM; falls back to the original text)',
      body: z.object({
        text: z.string().min(1, 'text must not be empty').max(MAX_CHARS, `text must be at most ${MAX_CHARS} characters`),
        target: Lang,
        source: Lang.optional(),
      }),
      response: {
        200: z.object({
          text: z.string(),
          target: Lang,
          status: z.enum(['ok', 'cached', 'skipped', 'unavailable']),
          model: z.string().nullable(),
          promptVersion: z.string().nullable(),
        }),
      },
    },
  }, async (req) => {
    const r = await translate(ctx, llmFor(ctx), req.body);
    return { ...r, target: req.body.target };
  });
};
