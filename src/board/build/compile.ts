/**
 * The one way from board text to engine objects, for every caller (CLI, adapter and machine,
 * language service, views): load (with includes, through the platform's `BoardHost`) → check →
 * build. Errors come back as values — diagnostics, and the reason the board could not be built —
 * never as throws.
 */
import {
  bindProgram,
  loadProgram,
  loadProgramAsync,
  type AsyncBoardHost,
  type BoardHost,
  type BoardModel,
  type Program,
} from '../check';
import { buildBoard, type BuildOptions, type BuiltBoard } from './builder';
import { Severity, type BoardDiagnostic } from '../syntax';

export interface CompiledBoard {
  readonly model: BoardModel;
  /** The files read (the root and its includes), parsed. */
  readonly program: Program;
  /** Every diagnostic of the program (each with its file's uri). */
  readonly diagnostics: readonly BoardDiagnostic[];
  /** The engine objects; undefined when the board has errors or the engine refused it. */
  readonly built: BuiltBoard | undefined;
  /** Why `built` is undefined. */
  readonly error: string | undefined;
}

/** Compiles the board in @text (the file at @uri), reading its includes through @host. */
export function compileBoard(
  uri: string,
  text: string,
  host?: BoardHost,
  options: BuildOptions = {},
): CompiledBoard {
  return compileProgram(loadProgram(uri, text, host), options);
}

/** `compileBoard` with a host that reads asynchronously (the VS Code workspace). */
export async function compileBoardAsync(
  uri: string,
  text: string,
  host: AsyncBoardHost,
  options: BuildOptions = {},
): Promise<CompiledBoard> {
  return compileProgram(await loadProgramAsync(uri, text, host), options);
}

/** Check and build a loaded program. */
export function compileProgram(program: Program, options: BuildOptions = {}): CompiledBoard {
  const model = bindProgram(program);
  const errors = model.diagnostics.filter((d) => d.severity === Severity.Error);
  if (errors.length > 0) {
    return {
      model,
      program,
      diagnostics: model.diagnostics,
      built: undefined,
      error: `${errors.length} error(s); first: ${errors[0]!.message}`,
    };
  }
  try {
    return {
      model,
      program,
      diagnostics: model.diagnostics,
      built: buildBoard(model, options),
      error: undefined,
    };
  } catch (e) {
    return {
      model,
      program,
      diagnostics: model.diagnostics,
      built: undefined,
      error: (e as Error).message,
    };
  }
}
