/**
 * What the member binders (devices, registers, engine features) and the layout checks need of
 * the Binder: its symbol tables, diagnostics and constant evaluation. The Binder (bind.ts)
 * implements it; taking the interface keeps those files from importing bind.ts back.
 */
import type { DiagnosticCodeValue, Expr, Name, Severity } from '../syntax';
import type { NameLookup } from './evaluate';
import type { RegionInfo, SpaceInfo, SymbolRef } from './model';
import type { SourceFile } from './program';

export interface BindContext {
  /** Every region in declaration order. */
  readonly regionList: readonly RegionInfo[];
  readonly spaces: readonly SpaceInfo[];
  report(
    file: SourceFile,
    code: DiagnosticCodeValue,
    message: string,
    at: { offset: number; length: number },
    severity?: Severity,
  ): void;
  /** Records a use (or the declaration) of a symbol, for references and rename. */
  occur(file: SourceFile, name: Name, symbol: SymbolRef, declaration?: boolean): void;
  /** An integer expression whose names are constants (and `extra`'s); undefined after an error. */
  evalConst(file: SourceFile, expr: Expr | undefined, extra?: NameLookup): bigint | undefined;
  /** A size expression, checked to be positive and at most 2^64. */
  evalSize(file: SourceFile, expr: Expr): bigint | undefined;
  lookupRegion(file: SourceFile, name: Name | undefined, what: string): RegionInfo | undefined;
  lookupSpace(file: SourceFile, name: Name): SpaceInfo | undefined;
}
