#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so the package needs no build step. `analyze` uses
// the esbuild bundle from `npm run build` when it is up to date with its sources: it reads large
// logs, and the loader alone would cost it ~1.2 s and ~40 MiB.
import { readFileSync, statSync } from 'node:fs';

function freshBundle() {
  try {
    const root = new URL('../', import.meta.url);
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL('dist/analyze.inputs.json', root), 'utf8'));
    return inputs.every((p) => statSync(new URL(p, root)).mtimeMs <= builtAt) ? new URL('dist/analyze.js', root) : null;
  } catch {
    return null; // no bundle (or a source was removed): run the sources
  }
}

const bundle = process.argv[2] === 'analyze' ? freshBundle() : null;
if (bundle) {
  const { run } = await import(bundle.href);
  process.exitCode = await run(process.argv.slice(3));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
