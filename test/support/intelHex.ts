/**
 * An Intel HEX reader for tests: turns the hex editor's export back into (address, byte) pairs so
 * a test can check what was written. A test double, so it lives here and not in src/.
 */
/** Parses Intel HEX into address → byte; throws on a malformed record, naming its line. */
export function parseIntelHex(text: string): Map<number, number> {
  const bytes = new Map<number, number>();
  let upper = 0;
  let ended = false;
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `line ${index + 1}`;
    if (ended) throw new Error(`${where}: data after the end-of-file record`);
    if (!/^:([0-9A-Fa-f]{2})+$/.test(line)) throw new Error(`${where}: not an Intel HEX record`);
    const raw = line
      .slice(1)
      .match(/../g)!
      .map((h) => parseInt(h, 16));
    const [count, hi, lo, type] = raw as [number, number, number, number];
    if (raw.length !== count + 5) throw new Error(`${where}: length byte says ${count}`);
    if (raw.reduce((a, b) => a + b, 0) & 0xff) throw new Error(`${where}: bad checksum`);
    const data = raw.slice(4, 4 + count);
    if (type === 0x00) data.forEach((b, k) => bytes.set(upper * 0x10000 + ((hi << 8) | lo) + k, b));
    else if (type === 0x04) upper = (data[0]! << 8) | data[1]!;
    else if (type === 0x01) ended = true;
    else throw new Error(`${where}: unsupported record type ${type}`);
  });
  if (!ended) throw new Error('missing end-of-file record');
  return bytes;
}
