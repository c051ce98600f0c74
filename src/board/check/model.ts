/**
 * The semantic model of a board program: symbols (regions, devices, constants, spaces, CPUs),
 * evaluated attributes, the region tree, and every name occurrence with what it refers to.
 * Types only; `bind.ts` builds it.
 */
import type {
  Access,
  ActionBlock,
  CoalescedDecl,
  ConstDecl,
  CpuDecl,
  FieldDecl,
  Flag,
  IoeventfdDecl,
  Name,
  RegDecl,
  RegionDecl,
  RegionKind,
  SpaceDecl,
  BoardDiagnostic,
} from '../syntax';
import type { CpuModel, DeviceModel } from './deviceCatalog';
import type { Program, SourceFile } from './program';

/** A QOM object as written in `owner "dev path=/machine/…"` (the text inside QEMU's braces). */
export interface QomText {
  readonly kind: 'dev' | 'obj';
  readonly id?: string;
  readonly path?: string;
  readonly typeName?: string;
}

export type ParamValue =
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'string'; readonly value: string }
  | {
      readonly type: 'irq';
      readonly controller: string;
      readonly target: RegionInfo | undefined;
      readonly line: bigint;
    }
  | { readonly type: 'list'; readonly items: readonly ParamValue[] };

export interface DeviceInfo {
  readonly model: DeviceModel | undefined;
  /** Parameters as written, evaluated. */
  readonly params: ReadonlyMap<string, ParamValue>;
  /** Integer parameters with catalog defaults filled in. */
  readonly intParams: ReadonlyMap<string, bigint>;
}

export interface FieldInfo {
  readonly name: string;
  readonly decl: FieldDecl;
  readonly lsb: number;
  readonly msb: number;
  readonly access: Access;
  readonly reset: bigint | undefined;
}

export interface RegisterInfo {
  readonly name: string;
  readonly decl: RegDecl;
  readonly offset: bigint;
  /** Width in bytes: 1, 2, 4 or 8. */
  readonly width: number;
  readonly access: Access;
  readonly reset: bigint;
  readonly fields: readonly FieldInfo[];
  readonly onWrite: ActionBlock | undefined;
  readonly onRead: ActionBlock | undefined;
}

/** An ioeventfd registration (memory_region_add_eventfd), evaluated. */
export interface IoeventfdInfo {
  readonly name: string;
  readonly decl: IoeventfdDecl;
  /** Offset in the region (for a device: from the device's address). */
  readonly offset: bigint;
  /** Write width in bytes: 0 (any), 1, 2, 4 or 8. */
  readonly size: number;
  /** `data` was given: only writes of that value match. */
  readonly matchData: boolean;
  /** The value as the guest writes it (target byte order). */
  readonly data: bigint;
}

/** A coalesced MMIO range: the `coalesced` flag (whole region) or a `coalesced @ …` member. */
export interface CoalescedRangeInfo {
  readonly decl: CoalescedDecl | Flag;
  readonly offset: bigint;
  readonly size: bigint;
}

export interface RegionInfo {
  /** The name other declarations use (unique in the program). */
  readonly id: string;
  readonly decl: RegionDecl;
  readonly file: SourceFile;
  readonly kind: RegionKind;
  readonly parent: RegionInfo | undefined;
  readonly children: RegionInfo[];
  /** The name QEMU prints: the label, else the catalog window name for devices, else the id. */
  qemuName: string;
  /** Offset inside the parent; 0 when not written. */
  address: bigint;
  /** Size in bytes (0 … 2^64); undefined when it could not be determined. */
  size: bigint | undefined;
  /** Resizeable RAM: the most `size` may grow to (`max-size`). */
  maxSize: bigint | undefined;
  priority: number;
  enabled: boolean;
  readonly: boolean;
  nonvolatile: boolean;
  romdMode: boolean;
  target: RegionInfo | undefined;
  targetOffset: bigint;
  owner: QomText | undefined;
  qomParent: QomText | undefined;
  device: DeviceInfo | undefined;
  registers: RegisterInfo[];
  ioeventfds: IoeventfdInfo[];
  /** `coalesced` flag: memory_region_set_coalescing (the whole region). */
  coalescedWhole: boolean;
  /** Coalesced ranges in declaration order (the whole-region range first when flagged). */
  coalesced: CoalescedRangeInfo[];
}

export interface ConstInfo {
  readonly name: string;
  readonly decl: ConstDecl;
  readonly file: SourceFile;
  value: bigint | undefined;
}

export interface SpaceInfo {
  readonly name: string;
  readonly decl: SpaceDecl;
  readonly file: SourceFile;
  root: RegionInfo | undefined;
}

export interface CpuInfo {
  readonly name: string;
  readonly decl: CpuDecl;
  readonly file: SourceFile;
  readonly model: CpuModel | undefined;
  space: SpaceInfo | undefined;
  reset: bigint;
  hartId: bigint;
  boot: string | undefined;
}

export type SymbolRef =
  | { readonly kind: 'region'; readonly region: RegionInfo }
  | { readonly kind: 'const'; readonly constant: ConstInfo }
  | { readonly kind: 'space'; readonly space: SpaceInfo }
  | { readonly kind: 'cpu'; readonly cpu: CpuInfo }
  | { readonly kind: 'register'; readonly region: RegionInfo; readonly register: RegisterInfo }
  | {
      readonly kind: 'field';
      readonly region: RegionInfo;
      readonly register: RegisterInfo;
      readonly field: FieldInfo;
    }
  | { readonly kind: 'ioeventfd'; readonly region: RegionInfo; readonly ioeventfd: IoeventfdInfo }
  | { readonly kind: 'device-model'; readonly model: DeviceModel }
  | { readonly kind: 'cpu-model'; readonly model: CpuModel }
  | { readonly kind: 'param'; readonly owner: RegionInfo | CpuInfo; readonly param: string };

/** One place a name is written, and what it means there. */
export interface Occurrence {
  readonly file: SourceFile;
  readonly name: Name;
  readonly symbol: SymbolRef;
  readonly declaration: boolean;
}

export interface BoardModel {
  readonly program: Program;
  readonly boardName: string | undefined;
  readonly regions: ReadonlyMap<string, RegionInfo>;
  /** All regions in declaration order (pre-order: a container before its children). */
  readonly regionList: readonly RegionInfo[];
  /** Regions declared at the top level (possible space roots and alias targets). */
  readonly topLevel: readonly RegionInfo[];
  readonly constants: ReadonlyMap<string, ConstInfo>;
  readonly spaces: readonly SpaceInfo[];
  readonly cpus: readonly CpuInfo[];
  readonly occurrences: readonly Occurrence[];
  /** Parse, include and semantic diagnostics, each with its file's uri. */
  readonly diagnostics: BoardDiagnostic[];
}

/** Same symbol (for references and rename). */
export function sameSymbol(a: SymbolRef, b: SymbolRef): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'region':
      return a.region === (b as typeof a).region;
    case 'const':
      return a.constant === (b as typeof a).constant;
    case 'space':
      return a.space === (b as typeof a).space;
    case 'cpu':
      return a.cpu === (b as typeof a).cpu;
    case 'register':
      return a.register === (b as typeof a).register;
    case 'field':
      return a.field === (b as typeof a).field;
    case 'ioeventfd':
      return a.ioeventfd === (b as typeof a).ioeventfd;
    case 'device-model':
    case 'cpu-model':
      return a.model === (b as typeof a).model;
    case 'param':
      return a.owner === (b as typeof a).owner && a.param === (b as typeof a).param;
  }
}

/** Parses QEMU's owner text `dev id=x`, `obj path=/machine/…`, `dev type=t`. */
export function parseQomText(text: string): QomText | undefined {
  const m = /^(dev|obj) (id|path|type)=(.*)$/.exec(text);
  if (!m) return undefined;
  const kind = m[1] as 'dev' | 'obj';
  if (m[2] === 'id') return { kind, id: m[3]! };
  if (m[2] === 'path') return { kind, path: m[3]! };
  return { kind, typeName: m[3]! };
}

export function formatQomText(q: QomText): string {
  if (q.id !== undefined) return `${q.kind} id=${q.id}`;
  if (q.path !== undefined) return `${q.kind} path=${q.path}`;
  return `${q.kind} type=${q.typeName ?? ''}`;
}
