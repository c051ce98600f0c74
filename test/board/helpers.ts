/** Test helpers for the board language: golden files, `isValid`/`isInvalid`, stable AST JSON. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expectGolden } from '../support/golden';
import { analyze, Severity, type BoardDiagnostic } from '../../src/board';

export const GOLDEN_DIR = join(__dirname, 'golden');
export const EXAMPLES = join(__dirname, '..', '..', 'examples');
export { QEMU_ORACLE as ORACLE } from '../oracle';

/** Compares @actual with golden/@name (test/support/golden.ts: UPDATE_GOLDEN=1 rewrites). */
export function golden(name: string, actual: string): void {
  expectGolden(join(GOLDEN_DIR, name), actual);
}

export function diagnosticsOf(text: string): BoardDiagnostic[] {
  return [...analyze('test.board', text).diagnostics].sort((a, b) => a.offset - b.offset);
}

export function isValid(text: string): void {
  const errors = diagnosticsOf(text).filter((d) => d.severity === Severity.Error);
  assert.deepEqual(
    errors.map((d) => `${d.code} ${d.message}`),
    [],
  );
}

/** Asserts the text yields exactly these codes (any severity), in offset order. */
export function isInvalid(text: string, ...codes: string[]): BoardDiagnostic[] {
  const ds = diagnosticsOf(text);
  assert.deepEqual(
    ds.map((d) => d.code),
    codes,
    ds.map((d) => `${d.code} ${d.message}`).join('\n'),
  );
  return ds;
}

/** JSON of an AST with bigints as strings. */
export function astJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v), 1) + '\n';
}

export function describeDiagnostics(text: string, ds: readonly BoardDiagnostic[]): string {
  return (
    ds
      .map((d) => {
        const before = text.substring(0, d.offset);
        const line = before.split('\n').length;
        const col = d.offset - before.lastIndexOf('\n');
        const sev =
          d.severity === Severity.Error
            ? 'error'
            : d.severity === Severity.Warning
              ? 'warning'
              : 'info';
        return `${line}:${col} ${sev} ${d.code} «${text.substr(d.offset, d.length)}» ${d.message}`;
      })
      .join('\n') + '\n'
  );
}
