/**
 * The board-map AST. Every node carries `offset` and `length` into the source text; positions
 * (line/column) are computed only at the service boundary. Nodes are plain read-only data.
 */

export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** A name as written: a plain identifier or a quoted string (`text` is the unquoted value). */
export interface Name extends Span {
  readonly text: string;
  readonly quoted: boolean;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^';
export type UnaryOp = '-' | '~';

export type Expr =
  | ({
      readonly type: 'number';
      readonly value: bigint;
      readonly raw: string;
      /** The literal is malformed (already reported by the scanner). */
      readonly invalid?: boolean;
    } & Span)
  | ({ readonly type: 'ref'; readonly name: Name } & Span)
  | ({ readonly type: 'unary'; readonly op: UnaryOp; readonly operand: Expr } & Span)
  | ({
      readonly type: 'binary';
      readonly op: BinaryOp;
      readonly left: Expr;
      readonly right: Expr;
    } & Span)
  | ({ readonly type: 'paren'; readonly inner: Expr } & Span);

export type Value =
  | ({ readonly type: 'expr'; readonly expr: Expr } & Span)
  | ({ readonly type: 'string'; readonly value: string } & Span)
  | ({ readonly type: 'irq'; readonly controller: Name; readonly line: Expr } & Span)
  | ({ readonly type: 'list'; readonly items: readonly Value[] } & Span);

/** `name = value` inside a device or cpu body. */
export interface Param extends Span {
  readonly type: 'param';
  readonly name: Name;
  readonly value: Value | undefined;
}

/** The region kinds, spelled as their canonical keywords. */
export type RegionKind =
  'container' | 'ram' | 'rom' | 'romd' | 'mmio' | 'alias' | 'ramd' | 'reservation' | 'device';

export type Access = 'rw' | 'ro' | 'wo' | 'w1c' | 'w1s' | 'rc' | 'rwc';
export const ACCESS_KEYWORDS: readonly Access[] = ['rw', 'ro', 'wo', 'w1c', 'w1s', 'rc', 'rwc'];

/** A keyword flag written on a declaration (`disabled`, `readonly` …), with its place. */
export interface Flag extends Span {
  readonly name: string;
}

export interface RegionDecl extends Span {
  readonly type: 'region';
  readonly kind: RegionKind;
  /** The keyword as written (`io`, `rom-device` … are accepted spellings). */
  readonly keyword: Span;
  readonly name: Name;
  /** The QEMU-visible name when it differs from `name` (`mmio uart1 "serial" …`). */
  readonly label: Name | undefined;
  /** Device model (`device uart0 : ns16550a`). */
  readonly model: Name | undefined;
  readonly address: Expr | undefined;
  readonly size: Expr | undefined;
  /** `max-size`: the region is resizeable RAM (memory_region_init_resizeable_ram). */
  readonly maxSize: Expr | undefined;
  readonly priority: Expr | undefined;
  /** Alias target and window (`-> pc.ram offset 0x1000 size 64K`). */
  readonly target: Name | undefined;
  readonly targetOffset: Expr | undefined;
  readonly owner: Name | undefined;
  readonly parentObject: Name | undefined;
  readonly flags: readonly Flag[];
  /** `{ ... }` body: children, registers, device parameters. Undefined when there is no body. */
  readonly body: Body | undefined;
}

export interface Body extends Span {
  readonly members: readonly Member[];
}

export type Member = RegionDecl | RegDecl | Param | IoeventfdDecl | CoalescedDecl;

/**
 * `ioeventfd NAME @ offset [size n] [data v]` (memory_region_add_eventfd): a guest write of
 * `size` bytes (0 = any) at the offset — with value `data` when given — signals the notifier
 * NAME instead of reaching the device.
 */
export interface IoeventfdDecl extends Span {
  readonly type: 'ioeventfd';
  readonly keyword: Span;
  readonly name: Name;
  readonly address: Expr | undefined;
  readonly size: Expr | undefined;
  readonly data: Expr | undefined;
}

/** `coalesced @ offset size n` (memory_region_add_coalescing): one coalesced MMIO range. */
export interface CoalescedDecl extends Span {
  readonly type: 'coalesced';
  readonly keyword: Span;
  readonly address: Expr | undefined;
  readonly size: Expr | undefined;
}

export interface RegDecl extends Span {
  readonly type: 'reg';
  readonly name: Name;
  readonly address: Expr | undefined;
  readonly width: Name | undefined;
  readonly access: Flag | undefined;
  readonly reset: Expr | undefined;
  readonly fields: readonly FieldDecl[];
  readonly onWrite: ActionBlock | undefined;
  readonly onRead: ActionBlock | undefined;
  readonly body: Span | undefined;
}

export interface FieldDecl extends Span {
  readonly type: 'field';
  readonly name: Name;
  readonly msb: Expr | undefined;
  /** Undefined for a one-bit field `[n]`. */
  readonly lsb: Expr | undefined;
  readonly access: Flag | undefined;
  readonly reset: Expr | undefined;
}

export interface ActionBlock extends Span {
  readonly keyword: Span;
  readonly actions: readonly Action[];
}

export type Action =
  | ({
      readonly type: 'enable' | 'disable';
      readonly region: Name;
      readonly condition: Expr | undefined;
    } & Span)
  | ({ readonly type: 'move'; readonly region: Name; readonly address: Expr | undefined } & Span)
  | ({
      readonly type: 'alias-offset';
      readonly region: Name;
      /** The new alias offset. */
      readonly value: Expr | undefined;
    } & Span)
  | ({
      readonly type: 'resize';
      readonly region: Name;
      /** The new used size (memory_region_ram_resize). */
      readonly value: Expr | undefined;
    } & Span)
  | ({
      readonly type: 'if';
      readonly condition: Expr | undefined;
      readonly then: ActionBlock | undefined;
      readonly otherwise: ActionBlock | undefined;
    } & Span);

export interface BoardHeader extends Span {
  readonly type: 'board';
  readonly name: Name | undefined;
}

export interface IncludeDecl extends Span {
  readonly type: 'include';
  readonly path: Name | undefined;
}

export interface ConstDecl extends Span {
  readonly type: 'const';
  readonly name: Name;
  readonly value: Expr | undefined;
}

export interface SpaceDecl extends Span {
  readonly type: 'space';
  readonly name: Name;
  /** The AddressSpace name QEMU prints when it differs from `name` (names need not be unique). */
  readonly label: Name | undefined;
  readonly root: Name | undefined;
}

export interface CpuDecl extends Span {
  readonly type: 'cpu';
  readonly name: Name;
  readonly model: Name | undefined;
  readonly params: readonly Param[];
  readonly body: Span | undefined;
}

export type Item = BoardHeader | IncludeDecl | ConstDecl | RegionDecl | SpaceDecl | CpuDecl;

export interface Comment extends Span {
  readonly block: boolean;
}

export interface BoardFile extends Span {
  readonly items: readonly Item[];
  readonly comments: readonly Comment[];
}

/** Region kind keywords and their accepted spellings. */
export const REGION_KEYWORDS: Readonly<Record<string, RegionKind>> = {
  container: 'container',
  ram: 'ram',
  rom: 'rom',
  romd: 'romd',
  'rom-device': 'romd',
  mmio: 'mmio',
  io: 'mmio',
  alias: 'alias',
  ramd: 'ramd',
  'ram-device': 'ramd',
  reservation: 'reservation',
  device: 'device',
};

const REGION_KIND_MAP = new Map<string, RegionKind>(Object.entries(REGION_KEYWORDS));

/** The region kind a keyword spells, if it is one (own keys only: `toString` is not a kind). */
export function regionKindOf(word: string): RegionKind | undefined {
  return REGION_KIND_MAP.get(word);
}

/** Flags a region may carry. */
export const REGION_FLAGS = [
  'enabled',
  'disabled',
  'readonly',
  'nonvolatile',
  'mmio-mode',
  'coalesced',
] as const;

export function spanEnd(s: Span): number {
  return s.offset + s.length;
}
