// ESLint rule `boardmap/entry-files`: a folder's entry file (index.ts) is the only way into it from
// outside the folder. Inside src/, an import may name a file in the importer's own folder or an
// ancestor's, or the index of a folder that is a child of the two files' common folder; anything
// deeper must go through that child folder's index. Tests and benches may import any folder's entry
// (src/<layer>, src/<layer>/<concept>, …), never a file inside a folder.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const srcRoot = join(root, 'src');

function resolveImport(importer, spec) {
  const base = resolve(dirname(importer), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function commonDir(a, b) {
  const pa = a.split(sep);
  const pb = b.split(sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return pa.slice(0, i).join(sep);
}

/** The entry file the import must use instead, or undefined when the import is allowed. */
export function requiredEntry(importer, target) {
  if (!target.startsWith(srcRoot + sep)) return undefined;
  if (importer.startsWith(srcRoot + sep)) {
    const common = commonDir(dirname(importer), dirname(target));
    const rel = relative(common, target).split(sep);
    if (rel.length === 1 || (rel.length === 2 && rel[1] === 'index.ts')) return undefined;
    return join(common, rel[0], 'index.ts');
  }
  if (target.endsWith(`${sep}index.ts`)) return undefined;
  return join(dirname(target), 'index.ts');
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: "A folder's index.ts is the only way into it from outside the folder." },
    messages: {
      deep: "'{{spec}}' reaches inside {{folder}}: import its entry file ({{entry}}) instead, and export what you need there.",
    },
    schema: [],
  },
  create(context) {
    const importer = context.filename;
    function check(node) {
      const source = node.source;
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = resolveImport(importer, source.value);
      if (!target) return;
      const entry = requiredEntry(importer, target);
      if (!entry) return;
      context.report({
        node: source,
        messageId: 'deep',
        data: {
          spec: source.value,
          folder: relative(root, dirname(entry)),
          entry: relative(root, entry),
        },
      });
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'entry-files': rule } };
