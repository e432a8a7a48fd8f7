// Worker threads are started from a module next to the caller's. Run from TypeScript sources (tsx),
// a worker does not inherit the loader, so it gets a small entry that registers it first.

/** The URL to start worker module `name` (without extension) that sits next to module `caller`. */
export function workerUrl(caller: string, name: string): URL {
  if (!caller.endsWith('.ts')) return new URL(`./${name}.js`, caller);
  const code = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL(`./${name}.ts`, caller).href)});`;
  return new URL('data:text/javascript,' + encodeURIComponent(code));
}
