// The restricted front matter the knowledge articles use: `key: scalar`, `key: [a, b]` and
// `key:` followed by `  - item` lines. Anything else is an error naming the file and line.

export type FrontValue = string | string[];

export class FrontMatterError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

export function parseFrontMatter(file: string, text: string): { data: Record<string, FrontValue>; body: string } {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!src.startsWith('---\n')) throw new FrontMatterError(file, 'missing front matter (the file must start with a "---" line)');
  const end = src.indexOf('\n---', 3);
  if (end < 0 || (src[end + 4] !== undefined && src[end + 4] !== '\n')) {
    throw new FrontMatterError(file, 'front matter is not closed by a "---" line');
  }
  const lines = src.slice(4, end + 1).split('\n');
  const data: Record<string, FrontValue> = {};
  let listKey: string | null = null;
  lines.forEach((line, i) => {
    const lineNo = i + 2;
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const item = /^\s+-\s*(.*)$/.exec(line);
    if (item) {
      if (!listKey) throw new FrontMatterError(file, `line ${lineNo}: list item without a key above it`);
      (data[listKey] as string[]).push(unquote(item[1]!.trim()));
      return;
    }
    const kv = /^([A-Za-z][\w-]*):(?:\s+(.*))?$/.exec(line);
    if (!kv) throw new FrontMatterError(file, `line ${lineNo}: expected "key: value", got "${line.slice(0, 60)}"`);
    const key = kv[1]!;
    if (key in data) throw new FrontMatterError(file, `line ${lineNo}: duplicate key "${key}"`);
    const value = (kv[2] ?? '').trim();
    listKey = null;
    if (value === '') {
      data[key] = [];
      listKey = key;
    } else if (value.startsWith('[')) {
      if (!value.endsWith(']')) throw new FrontMatterError(file, `line ${lineNo}: list for "${key}" is not closed with "]"`);
      const inner = value.slice(1, -1).trim();
      data[key] = inner ? inner.split(',').map((s) => unquote(s.trim())).filter(Boolean) : [];
    } else {
      data[key] = unquote(value);
    }
  });
  return { data, body: src.slice(end + 4).replace(/^\n/, '') };
}

function unquote(s: string): string {
  const m = /^(["'])(.*)\1$/.exec(s);
  return m ? m[2]! : s;
}
