/** gcc-style diagnostics: `file:line:col: severity: message [code]`. */
import { relative } from 'node:path';
import { LineIndex, severityName, type BoardDiagnostic, type Program } from '../board';

export function formatDiagnostics(
  program: Program,
  diagnostics: readonly BoardDiagnostic[],
  cwd: string,
): string {
  const lines = new Map<string, LineIndex>();
  const sorted = [...diagnostics].sort((a, b) =>
    (a.uri ?? '') === (b.uri ?? '') ? a.offset - b.offset : (a.uri ?? '') < (b.uri ?? '') ? -1 : 1,
  );
  let out = '';
  for (const d of sorted) {
    const uri = d.uri ?? program.root.uri;
    let index = lines.get(uri);
    if (!index) lines.set(uri, (index = new LineIndex(program.files.get(uri)?.text ?? '')));
    const p = index.positionAt(d.offset);
    const name = relative(cwd, uri) || uri;
    out += `${name}:${p.line + 1}:${p.character + 1}: ${severityName(d.severity)}: ${d.message} [${d.code}]\n`;
  }
  return out;
}
