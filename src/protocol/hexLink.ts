/**
 * Hex editor links: URIs the adapter prints in the Debug Console (`hex ADDR`, the launch banner,
 * fault and watchpoint stops) and VS Code linkifies. Clicking one hands it to the extension's URI
 * handler, which opens the hex editor there:
 *
 *   <scheme>://<extension id>/hex?ref=<memory reference>&length=0x<hex>
 *
 * The memory reference (`<space>@0x<hex>`) is URI-encoded once on top of its own escaping, so
 * after VS Code decodes the query a space name can hold no bare `&` or `=`. The link ends in a
 * hex digit: the console's linkifier drops trailing punctuation.
 */
import { SIZE_2_64 } from './hex';
import {
  formatMemoryReference,
  parseHexLiteral,
  parseMemoryReference,
  type ParseResult,
} from './memory';

/** The path of hex editor links under the extension's URI authority. */
export const HEX_LINK_PATH = '/hex';

/** The launch argument carrying `<scheme>://<extension id>/hex`; set by the extension, not users. */
export const HEX_LINK_LAUNCH_ARGUMENT = '__hexEditorLink';

export interface HexLinkTarget {
  readonly space: string;
  readonly address: bigint;
  /** Bytes to select from `address`. */
  readonly length?: bigint;
}

/** Whether `base` is a link base the adapter may print: `scheme://authority/hex`, nothing more. */
export function isHexLinkBase(base: unknown): base is string {
  return (
    typeof base === 'string' && /^[a-zA-Z][a-zA-Z0-9+.-]{2,}:\/\/[A-Za-z0-9.-]+\/hex$/.test(base)
  );
}

export function formatHexLink(base: string, target: HexLinkTarget): string {
  const reference = formatMemoryReference(target.space, target.address);
  let link = `${base}?ref=${encodeURIComponent(reference)}`;
  if (target.length !== undefined && target.length > 0n)
    link += `&length=0x${target.length.toString(16)}`;
  return link;
}

/** Parses a link's query as VS Code hands it over (already percent-decoded once); never throws. */
export function parseHexLinkQuery(query: string): ParseResult<HexLinkTarget> {
  const fields = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return fail(`hex editor link: '${part}' is not name=value`);
    const name = part.slice(0, eq);
    if (fields.has(name)) return fail(`hex editor link: '${name}' is given twice`);
    fields.set(name, part.slice(eq + 1));
  }
  const unknown = [...fields.keys()].find((k) => k !== 'ref' && k !== 'length');
  if (unknown !== undefined) return fail(`hex editor link: unknown field '${unknown}'`);
  const ref = fields.get('ref');
  if (ref === undefined) return fail("hex editor link: no 'ref' (a memory reference) in the link");
  const location = parseMemoryReference(ref);
  if (!location.ok) return fail(`hex editor link: ${location.error}`);
  const lengthText = fields.get('length');
  if (lengthText === undefined) return { ok: true, value: location.value };
  const length = parseHexLiteral(lengthText);
  if (length === undefined || length === 0n || location.value.address + length > SIZE_2_64)
    return fail(
      `hex editor link: length '${lengthText}' must be 0x<hex>, at least 1, ending by 2^64`,
    );
  return { ok: true, value: { ...location.value, length } };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
