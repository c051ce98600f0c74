/**
 * One call from board text to engine objects, for the machine layer and the views:
 * load (with includes) → check → build. Errors come back as diagnostics, never as throws.
 */
import { bindProgram, type BoardModel, loadProgram, type BoardHost } from '../check';
import { buildBoard, type BuildOptions, type BuiltBoard } from './builder';
import { Severity, type BoardDiagnostic } from '../syntax';

export interface CompiledBoard {
  readonly model: BoardModel;
  /** Every diagnostic of the program (each with its file's uri). */
  readonly diagnostics: readonly BoardDiagnostic[];
  /** The engine objects; undefined when the board has errors or the engine refused it. */
  readonly built: BuiltBoard | undefined;
  /** Why `built` is undefined. */
  readonly error: string | undefined;
}

export function compileBoard(
  uri: string,
  text: string,
  host?: BoardHost,
  options: BuildOptions = {},
): CompiledBoard {
  const model = bindProgram(loadProgram(uri, text, host));
  const errors = model.diagnostics.filter((d) => d.severity === Severity.Error);
  if (errors.length > 0) {
    return {
      model,
      diagnostics: model.diagnostics,
      built: undefined,
      error: `${errors.length} error(s); first: ${errors[0]!.message}`,
    };
  }
  try {
    return {
      model,
      diagnostics: model.diagnostics,
      built: buildBoard(model, options),
      error: undefined,
    };
  } catch (e) {
    return { model, diagnostics: model.diagnostics, built: undefined, error: (e as Error).message };
  }
}
