/**
 * Find in memory: parses what the user typed into a byte pattern and scans pages for it, forward or
 * backward, through the same side-effect-free page reads the grid uses. Bounded: one call scans at
 * most `maxBytes` and says where to resume. Only bytes whose status is ok can match, so holes,
 * unpeekable MMIO and failed reads never do. Pure: no DOM.
 */
import { utf8Encode } from '../../protocol';
import { STATUS_OK, type PageContent } from './pageCache';
import { PAGE_SIZE_N } from './scrollModel';
import { parseNumber } from './format';

export type FindMode = 'hex' | 'text';

export type PatternResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** The longest pattern accepted (it must fit in two pages so a match spans at most one boundary). */
const MAX_PATTERN_BYTES = 4096;

/**
 * `de ad be ef`, `deadbeef`, `0xde,0xad` (hex: pairs of digits, separators and 0x prefixes allowed)
 * or any text, encoded as UTF-8 (ASCII is its subset).
 */
export function parseFindPattern(text: string, mode: FindMode): PatternResult {
  let bytes: Uint8Array;
  if (mode === 'text') {
    if (text.length === 0) return { ok: false, error: 'Type the text to find' };
    bytes = utf8Encode(text);
  } else {
    const digits = text.replace(/0x/gi, '').replace(/[\s,_:-]/g, '');
    if (digits.length === 0)
      return { ok: false, error: 'Type the bytes to find, e.g. de ad be ef' };
    const bad = /[^0-9a-f]/i.exec(digits);
    if (bad) return { ok: false, error: `'${bad[0]}' is not a hex digit` };
    // Separated single digits (`a b`) are bytes 0a 0b; unseparated runs must pair up.
    const groups = text
      .replace(/0x/gi, ' ')
      .split(/[\s,_:-]+/)
      .filter((g) => g.length > 0);
    const hex: string[] = [];
    for (const group of groups) {
      if (group.length === 1) hex.push(`0${group}`);
      else if (group.length % 2 !== 0)
        return { ok: false, error: `'${group}' has an odd number of hex digits` };
      else for (let i = 0; i < group.length; i += 2) hex.push(group.slice(i, i + 2));
    }
    bytes = Uint8Array.from(hex, (h) => parseInt(h, 16));
  }
  if (bytes.length > MAX_PATTERN_BYTES) {
    return {
      ok: false,
      error: `Pattern too long: ${bytes.length} bytes (at most ${MAX_PATTERN_BYTES})`,
    };
  }
  return { ok: true, bytes };
}

export type RangeResult = { ok: true; start: bigint; end: bigint } | { ok: false; error: string };

/**
 * A search range as typed: `start-end` or `start..end` (end exclusive) or `start+length`; numbers
 * as in the go-to box (`0x8000_0000`, `80000000h`, decimal).
 */
export function parseSearchRange(text: string, spaceSize: bigint): RangeResult {
  const m = /^\s*([^\s+.-]+)\s*(\.\.|-|\+)\s*([^\s]+)\s*$/.exec(text);
  if (!m)
    return { ok: false, error: `'${text.trim()}' is not a range: use start-end or start+length` };
  const start = parseNumber(m[1]!);
  const second = parseNumber(m[3]!);
  if (start === undefined) return { ok: false, error: `'${m[1]}' is not a number` };
  if (second === undefined) return { ok: false, error: `'${m[3]}' is not a number` };
  const end = m[2] === '+' ? start + second : second;
  if (end <= start)
    return { ok: false, error: 'The range is empty: its end must lie after its start' };
  if (end > spaceSize) {
    return {
      ok: false,
      error: `The range ends beyond the address space (size 0x${spaceSize.toString(16)})`,
    };
  }
  return { ok: true, start, end };
}

export interface FindRequest {
  pattern: Uint8Array;
  /** Forward: the first candidate start; backward: the last candidate start (both inclusive). */
  from: bigint;
  direction: 'forward' | 'backward';
  /** The searched range [start, end): a match lies wholly inside it. */
  start: bigint;
  end: bigint;
  /** Most bytes scanned by this call before it stops with `limit`. */
  maxBytes: bigint;
  readPage: (index: bigint) => Promise<PageContent>;
  /** Called after every page with the bytes scanned so far. */
  onProgress?: (scanned: bigint) => void;
  /** Polled between pages; true ends the search with `cancelled`. */
  isCancelled?: () => boolean;
}

export type FindResult =
  | { kind: 'found'; address: bigint; scanned: bigint }
  /** No match between `from` and the range's end (start, backward). */
  | { kind: 'not-found'; scanned: bigint }
  /** `maxBytes` scanned without a match: continue with `from = resumeAt`. */
  | { kind: 'limit'; resumeAt: bigint; scanned: bigint }
  | { kind: 'cancelled'; scanned: bigint };

/** Reads `[0, n)` bytes per page at most this many pages ahead, so the host pipelines reads. */
const READ_AHEAD = 4;

export async function findInMemory(request: FindRequest): Promise<FindResult> {
  const length = BigInt(request.pattern.length);
  // Candidate starts lie in [start, end - length]; empty when the pattern does not fit.
  const lowest = request.start;
  const highest = request.end - length;
  if (length === 0n || highest < lowest) return { kind: 'not-found', scanned: 0n };
  if (request.direction === 'forward') {
    const first = request.from < lowest ? lowest : request.from;
    if (first > highest) return { kind: 'not-found', scanned: 0n };
    return scan(request, first, highest, 1n);
  }
  const last = request.from > highest ? highest : request.from;
  if (last < lowest) return { kind: 'not-found', scanned: 0n };
  return scan(request, last, lowest, -1n);
}

/**
 * Walks candidate starts from `first` towards `bound` (inclusive) one page at a time. Each step
 * checks the candidates whose start lies in one page, with the pattern's tail read from the next page
 * when it crosses the boundary. Pages are read at most once per call.
 */
async function scan(
  request: FindRequest,
  first: bigint,
  bound: bigint,
  step: 1n | -1n,
): Promise<FindResult> {
  const { pattern } = request;
  const length = BigInt(pattern.length);
  const pages = new Map<bigint, Promise<PageContent>>();
  const page = (index: bigint) => {
    let p = pages.get(index);
    if (!p) {
      p = request.readPage(index);
      // Rejections surface when awaited; a read-ahead nobody awaits must not be unhandled.
      p.catch(() => undefined);
      pages.set(index, p);
    }
    return p;
  };
  let scanned = 0n;
  let index = first / PAGE_SIZE_N;
  const lastIndex = bound / PAGE_SIZE_N;
  for (;;) {
    if (request.isCancelled?.()) return { kind: 'cancelled', scanned };
    if (scanned >= request.maxBytes)
      return {
        kind: 'limit',
        resumeAt: index * PAGE_SIZE_N + (step > 0n ? 0n : PAGE_SIZE_N - 1n),
        scanned,
      };
    for (let k = 1n; k <= BigInt(READ_AHEAD); k++) {
      const ahead = index + step * k;
      if (step > 0n ? ahead <= lastIndex : ahead >= lastIndex) void page(ahead);
    }
    const base = index * PAGE_SIZE_N;
    // Candidates in this page, clipped to [first, bound] in walking order.
    let lo = base;
    let hi = base + PAGE_SIZE_N - 1n;
    const min = step > 0n ? first : bound;
    const max = step > 0n ? bound : first;
    if (lo < min) lo = min;
    if (hi > max) hi = max;
    const window = await joinPages(page, index, hi - base + length);
    const found = matchIn(window, pattern, Number(lo - base), Number(hi - base), step > 0n);
    scanned += hi - lo + 1n;
    request.onProgress?.(scanned);
    pages.delete(index - step);
    if (found !== undefined) return { kind: 'found', address: base + BigInt(found), scanned };
    if (index === lastIndex) return { kind: 'not-found', scanned };
    index += step;
  }
}

/** The bytes and statuses of page `index` and, when `needed` exceeds a page, of the one after it. */
async function joinPages(
  page: (index: bigint) => Promise<PageContent>,
  index: bigint,
  needed: bigint,
): Promise<PageContent> {
  const current = await page(index);
  if (needed <= PAGE_SIZE_N) return current;
  const next = await page(index + 1n);
  const size = current.data.length + next.data.length;
  const data = new Uint8Array(size);
  const status = new Uint8Array(size);
  data.set(current.data);
  data.set(next.data, current.data.length);
  status.set(current.status);
  status.set(next.status, current.status.length);
  return { data, status, regions: current.regions };
}

/** The first (or last) offset in [lo, hi] where every pattern byte matches a readable byte. */
function matchIn(
  window: PageContent,
  pattern: Uint8Array,
  lo: number,
  hi: number,
  forward: boolean,
): number | undefined {
  const { data, status } = window;
  const head = pattern[0]!;
  const matchesAt = (at: number) => {
    for (let j = 0; j < pattern.length; j++) {
      if (status[at + j] !== STATUS_OK || data[at + j] !== pattern[j]) return false;
    }
    return true;
  };
  if (forward) {
    for (let at = data.indexOf(head, lo); at !== -1 && at <= hi; at = data.indexOf(head, at + 1)) {
      if (matchesAt(at)) return at;
    }
  } else {
    for (let at = data.lastIndexOf(head, hi); at >= lo; at = data.lastIndexOf(head, at - 1)) {
      if (matchesAt(at)) return at;
      if (at === 0) break;
    }
  }
  return undefined;
}
