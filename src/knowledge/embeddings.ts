// OpenAI-compatible embeddings (OpenAI, Ollama, vLLM, TEI ...): batched, with timeout and retries.
// Unset EMBEDDINGS_BASE_URL / EMBEDDINGS_MODEL = no embedder, and retrieval is full text only.
import OpenAI from 'openai';
import type { Config } from '../config.js';

export class EmbeddingsError extends Error {}

export interface Embedder {
  readonly model: string;
  /** the configured dimension; null = whatever the server returns (checked to be consistent) */
  readonly dim: number | null;
  /** One vector per text, in order. `fast` = one short attempt (on the request path of a search). */
  embed(texts: string[], opts?: { fast?: boolean }): Promise<number[][]>;
}

const BATCH = 64;
const SLOW = { timeout: 60_000, maxRetries: 3 };
const FAST = { timeout: 3_000, maxRetries: 0 };

type EmbeddingsConfig = Pick<Config, 'EMBEDDINGS_BASE_URL' | 'EMBEDDINGS_API_KEY' | 'EMBEDDINGS_MODEL' | 'EMBEDDINGS_DIM'>;

// One client per config object: searches ask for it on every request.
const clients = new WeakMap<EmbeddingsConfig, Embedder | null>();

export function embedderFor(config: EmbeddingsConfig): Embedder | null {
  if (!clients.has(config)) clients.set(config, createEmbedder(config));
  return clients.get(config)!;
}

export function createEmbedder(config: EmbeddingsConfig): Embedder | null {
  const { EMBEDDINGS_BASE_URL: baseURL, EMBEDDINGS_MODEL: model } = config;
  if (!baseURL || !model) return null;
  // Local servers (Ollama, TEI) need no key, but the SDK insists on one.
  const client = new OpenAI({ baseURL, apiKey: config.EMBEDDINGS_API_KEY || 'unused' });
  const dim = config.EMBEDDINGS_DIM ?? null;
  return {
    model,
    dim,
    async embed(texts, opts = {}) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const batch = texts.slice(i, i + BATCH);
        let res: OpenAI.Embeddings.CreateEmbeddingResponse;
        try {
          // Some servers ignore the SDK's default base64 request and answer with floats anyway.
          res = await client.embeddings.create({ model, input: batch, encoding_format: 'float' }, opts.fast ? FAST : SLOW);
        } catch (err) {
          throw new EmbeddingsError(`embeddings request to ${baseURL} failed: ${(err as Error).message}`);
        }
        const data = [...(res.data ?? [])].sort((a, b) => a.index - b.index);
        if (data.length !== batch.length) {
          throw new EmbeddingsError(`embeddings server returned ${data.length} vectors for ${batch.length} inputs`);
        }
        for (const d of data) out.push(check(d.embedding, dim ?? out[0]?.length ?? null));
      }
      return out;
    },
  };
}

function check(v: unknown, expected: number | null): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new EmbeddingsError('embeddings server returned something that is not a vector of numbers');
  }
  if (expected !== null && v.length !== expected) {
    throw new EmbeddingsError(`embeddings server returned ${v.length} dimensions, expected ${expected} (EMBEDDINGS_DIM)`);
  }
  return v as number[];
}
