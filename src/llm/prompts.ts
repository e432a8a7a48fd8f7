// Prompt files from prompts/: front matter (name, version), then a `# system` and a `# user`
// section. `{{name}}` placeholders are filled at call time: caller data always goes in as a
// delimited data block, never as instructions; a few built-ins (language, schema, taxonomy) are
// inserted as they are.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Prompt {
  name: string;
  version: string;
  system: string;
  user: string;
}

export type PromptSet = ReadonlyMap<string, Prompt>;

export class PromptError extends Error {}

export function parsePrompt(file: string, source: string): Prompt {
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(source.replace(/\r\n/g, '\n'));
  if (!fm) throw new PromptError(`${file}: missing front matter (---\\nversion: ...\\n---)`);
  const meta = Object.fromEntries(
    fm[1]!.split('\n').map((l) => /^(\w+):\s*(.*?)\s*$/.exec(l)).filter((m) => m !== null).map((m) => [m[1]!, m[2]!]),
  );
  const body = source.replace(/\r\n/g, '\n').slice(fm[0].length);
  const sections = /^# system\n([\s\S]*?)^# user\n([\s\S]*)$/m.exec(body);
  if (!meta.version) throw new PromptError(`${file}: front matter has no version`);
  if (!sections) throw new PromptError(`${file}: needs a "# system" section followed by a "# user" section`);
  return {
    name: meta.name ?? file.replace(/\.md$/, ''),
    version: meta.version,
    system: sections[1]!.trim(),
    user: sections[2]!.trim(),
  };
}

/** Reads every *.md prompt of dir; throws PromptError naming the file that is wrong. */
export function loadPrompts(dir: string): PromptSet {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.md'));
  } catch (err) {
    throw new PromptError(`cannot read prompts from ${dir}: ${(err as Error).message}`);
  }
  const prompts = new Map<string, Prompt>();
  for (const f of files) {
    const p = parsePrompt(f, readFileSync(join(dir, f), 'utf8'));
    prompts.set(p.name, p);
  }
  return prompts;
}

/**
 * Wraps caller data so the model can tell it from instructions. The boundary is derived from the
 * content itself, so text cannot contain its own closing line, and the same data always renders
 * the same way (stable cache keys).
 */
export function dataBlock(name: string, content: string): string {
  const boundary = createHash('sha256').update(content).digest('hex').slice(0, 12);
  return `<<<DATA ${name} ${boundary}\n${content}\nEND DATA ${name} ${boundary}>>>`;
}

/** Fills a template: `data` values become data blocks, `builtins` are inserted verbatim. */
export function render(template: string, data: Record<string, string>, builtins: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    if (key in builtins) return builtins[key]!;
    if (key in data) return dataBlock(key, data[key]!);
    throw new PromptError(`prompt placeholder {{${key}}} has no value`);
  });
}
