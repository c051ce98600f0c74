/*
 * Parsing QEMU `info mtree` text (tree mode with or without -D/-o, and flat mode -f) into
 * plain line records. Names are parsed from the right, because they may contain spaces,
 * '@', brackets and digits (spec §9.5). mtreeDump.ts turns the records into a topology.
 */

/** One region line of a tree dump, in document order. */
export interface TreeLine {
  /** 1-based line number in the dump, for messages. */
  readonly line: number;
  /** Nesting level (root = 1). */
  readonly depth: number;
  /** Printed start and inclusive end (u64). */
  readonly start: bigint;
  readonly end: bigint;
  readonly priority: number;
  readonly nonvolatile: boolean;
  /** ram, rom, romd, ramd, i/o or container. */
  readonly label: string;
  readonly name: string;
  /** Alias lines: target name and window [aliasOffset, aliasEnd]. */
  readonly alias: { readonly target: string; readonly offset: bigint; readonly end: bigint } | null;
  readonly disabled: boolean;
  /** The owner suffix exactly as printed (` owner:{…}`, ` orphan` …), '' if none. */
  readonly ownerText: string;
  readonly children: TreeLine[];
}

/** A block of a tree dump: an address-space group or a memory-region section. */
export interface TreeBlock {
  readonly kind: 'address-space' | 'memory-region';
  /** AS names of the group (sorted as printed), or the section's region name. */
  readonly names: string[];
  /** The root line (null for an AS whose root is NULL). */
  readonly root: TreeLine | null;
}

/** One `FlatView #n` block of a flat dump. */
export interface FlatBlock {
  readonly spaces: Array<{
    readonly name: string;
    readonly root: string;
    readonly aliasOf: string | null;
  }>;
  /** `Root memory region:` name, null for (none). */
  readonly root: string | null;
  readonly ranges: FlatLine[];
}

/** One range line of a flat dump. */
export interface FlatLine {
  readonly line: number;
  /** The line as printed, without the owner suffix. */
  readonly text: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly priority: number;
  readonly nonvolatile: boolean;
  readonly label: string;
  readonly name: string;
  readonly offset: bigint;
  readonly ownerText: string;
}

/** A malformed dump line. */
export class MtreeParseError extends Error {
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(`line ${lineNumber}: ${message}`);
    this.name = 'MtreeParseError';
  }
}

const LINE_RE =
  /^(?:\[DETECTED OVERFLOW!\] )?((?: {2})+)([0-9a-f]{16})-([0-9a-f]{16}) \(prio (-?\d+), (nv-)?(ram|rom|romd|ramd|i\/o|container)\): (.*)$/;
const OWNER_PART = String.raw` (?:owner|parent):\{(?:dev|obj) (?:id|path|type)=[^{}]*\}`;
const OWNER_RE = new RegExp(`((?:${OWNER_PART})+| orphan)$`);
const WINDOW_RE = / ([0-9a-f]{16})-([0-9a-f]{16})$/;

function splitOwner(payload: string, withOwners: boolean): [string, string] {
  if (!withOwners) return [payload, ''];
  const m = OWNER_RE.exec(payload);
  return m ? [payload.slice(0, m.index), m[1]!] : [payload, ''];
}

/**
 * Parses a tree dump (`info mtree [-D] [-o]`). @withOwners says whether owner suffixes are
 * present (`-o`); @isTarget tells whether a name is an alias target (a `memory-region:`
 * header), which settles names containing ' @'.
 */
export function parseTreeDump(text: string, withOwners: boolean): TreeBlock[] {
  const lines = text.split('\n');
  const blocks: TreeBlock[] = [];
  const sectionNames = new Set<string>();
  for (const l of lines) if (l.startsWith('memory-region: ')) sectionNames.add(l.slice(15));
  let names: string[] = [];
  let kind: TreeBlock['kind'] | null = null;
  let stack: TreeLine[] = [];
  let root: TreeLine | null = null;
  const flush = (): void => {
    if (kind) blocks.push({ kind, names, root });
    kind = null;
    names = [];
    root = null;
    stack = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const n = i + 1;
    if (text === '') {
      flush();
      continue;
    }
    if (text.startsWith('address-space: ')) {
      if (kind === 'memory-region' || root) flush();
      kind = 'address-space';
      names.push(text.slice(15));
      continue;
    }
    if (text.startsWith('memory-region: ')) {
      flush();
      kind = 'memory-region';
      names.push(text.slice(15));
      continue;
    }
    if (!kind) throw new MtreeParseError(n, `region line outside a block: ${JSON.stringify(text)}`);
    const node = parseRegionLine(text, n, withOwners, sectionNames);
    const depth = node.depth;
    if (depth === 1) {
      if (root) throw new MtreeParseError(n, 'second root line in one block');
      root = node;
      stack = [node];
    } else {
      const parent = stack[depth - 2];
      if (!parent || depth > stack.length + 1)
        throw new MtreeParseError(n, 'indentation jumps a level');
      parent.children.push(node);
      stack.length = depth - 1;
      stack.push(node);
    }
  }
  flush();
  return blocks;
}

const FLAT_RE =
  /^ {2}([0-9a-f]{16})-([0-9a-f]{16}) \(prio (-?\d+), (nv-)?(ram|rom|romd|ramd|i\/o|container)\): (.*)$/;
const AS_RE = /^ AS "(.*)", root: (.*)$/;

/** Parses a flat dump (`info mtree -f [-o]`; `-d` sections are skipped). */
export function parseFlatDump(text: string, withOwners: boolean): FlatBlock[] {
  const blocks: Array<{ spaces: FlatBlock['spaces']; root: string | null; ranges: FlatLine[] }> =
    [];
  let cur: (typeof blocks)[number] | null = null;
  let inDispatch = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const n = i + 1;
    if (l.startsWith('FlatView #')) {
      cur = { spaces: [], root: null, ranges: [] };
      blocks.push(cur);
      inDispatch = false;
      continue;
    }
    if (l === '' || inDispatch) continue;
    if (!cur) throw new MtreeParseError(n, 'text before the first FlatView block');
    const as = AS_RE.exec(l);
    if (as) {
      let root = as[2]!;
      let aliasOf: string | null = null;
      const k = root.lastIndexOf(', alias ');
      if (k >= 0) {
        aliasOf = root.slice(k + 8);
        root = root.slice(0, k);
      }
      cur.spaces.push({ name: as[1]!, root, aliasOf });
      continue;
    }
    if (l.startsWith(' Root memory region: ')) {
      const r = l.slice(21);
      cur.root = r === '(none)' ? null : r;
      continue;
    }
    if (l === '  No rendered FlatView') continue;
    if (l === '  Dispatch') {
      inDispatch = true;
      continue;
    }
    const m = FLAT_RE.exec(l);
    if (!m) throw new MtreeParseError(n, `not an info mtree -f line: ${JSON.stringify(l)}`);
    const [rest, ownerText] = splitOwner(m[6]!, withOwners);
    const off = / @([0-9a-f]{16})$/.exec(rest);
    cur.ranges.push({
      line: n,
      text: ownerText ? l.slice(0, l.length - ownerText.length) : l,
      start: BigInt('0x' + m[1]),
      end: BigInt('0x' + m[2]),
      priority: Number(m[3]),
      nonvolatile: m[4] !== undefined,
      label: m[5]!,
      name: off ? rest.slice(0, off.index) : rest,
      offset: off ? BigInt('0x' + off[1]) : 0n,
      ownerText,
    });
  }
  return blocks;
}

/** Parses one region line of a tree dump (children left empty). */
function parseRegionLine(
  text: string,
  n: number,
  withOwners: boolean,
  sectionNames: Set<string>,
): TreeLine {
  const m = LINE_RE.exec(text);
  if (!m) throw new MtreeParseError(n, `not an info mtree line: ${JSON.stringify(text)}`);
  const depth = m[1]!.length / 2;
  const split = splitOwner(m[7]!, withOwners);
  const ownerText = split[1];
  let payload = split[0];
  const disabled = payload.endsWith(' [disabled]');
  if (disabled) payload = payload.slice(0, -11);
  let alias: TreeLine['alias'] = null;
  let name = payload;
  if (payload.startsWith('alias ')) {
    const w = WINDOW_RE.exec(payload);
    if (!w) throw new MtreeParseError(n, 'alias line without a window');
    const body = payload.slice(6, w.index);
    // Split "<name> @<target>" at the ' @' whose right side names a memory-region section.
    let at = -1;
    for (let k = body.indexOf(' @'); k >= 0; k = body.indexOf(' @', k + 1)) {
      if (sectionNames.has(body.slice(k + 2))) {
        at = k;
        break;
      }
    }
    if (at < 0) at = body.lastIndexOf(' @');
    if (at < 0) throw new MtreeParseError(n, 'alias line without a target');
    name = body.slice(0, at);
    alias = { target: body.slice(at + 2), offset: BigInt('0x' + w[1]), end: BigInt('0x' + w[2]) };
  }
  return {
    line: n,
    depth,
    start: BigInt('0x' + m[2]),
    end: BigInt('0x' + m[3]),
    priority: Number(m[4]),
    nonvolatile: m[5] !== undefined,
    label: m[6]!,
    name,
    alias,
    disabled,
    ownerText,
    children: [],
  };
}

/**
 * The region lines of a tree dump in document order, without building the tree (a dump
 * without -D prints children of disabled regions without their parent line).
 */
export function listTreeLines(text: string, withOwners: boolean): TreeLine[] {
  const sectionNames = new Set<string>();
  const lines = text.split('\n');
  for (const l of lines) if (l.startsWith('memory-region: ')) sectionNames.add(l.slice(15));
  const out: TreeLine[] = [];
  lines.forEach((l, i) => {
    if (l !== '' && !l.startsWith('address-space: ') && !l.startsWith('memory-region: ')) {
      out.push(parseRegionLine(l, i + 1, withOwners, sectionNames));
    }
  });
  return out;
}
