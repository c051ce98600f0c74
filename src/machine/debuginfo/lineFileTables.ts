/**
 * The directory and file tables of a .debug_line unit header: DWARF 2-4 (include_directories,
 * file_names; entry 0 implicit) and DWARF 5 (self-describing entry formats with
 * DW_FORM_line_strp/strp/string/udata/data1-16/block, directory 0 = compilation directory).
 */
import { DwarfCursor, stringAt } from './dwarfReader';

export interface LineFileEntry {
  /** The name as recorded (may be relative to its directory). */
  readonly name: string;
  readonly directoryIndex: number;
  /** Directory joined with the name (not resolved against anything else). */
  readonly path: string;
  /** Hex MD5 when the producer recorded one (DWARF 5). */
  readonly md5?: string;
}

export interface DebugLineSections {
  readonly debugLine: Uint8Array;
  /** Needed for DW_FORM_line_strp (DWARF 5). */
  readonly debugLineStr?: Uint8Array;
  /** Needed for DW_FORM_strp. */
  readonly debugStr?: Uint8Array;
}

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;
const DW_LNCT_MD5 = 5;

const DW_FORM_block = 0x09;
const DW_FORM_block1 = 0x0a;
const DW_FORM_data1 = 0x0b;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_data16 = 0x1e;
const DW_FORM_string = 0x08;
const DW_FORM_strp = 0x0e;
const DW_FORM_line_strp = 0x1f;
const DW_FORM_udata = 0x0f;
const DW_FORM_sdata = 0x0d;

function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

export function readTablesV2(cursor: DwarfCursor): {
  directories: string[];
  files: LineFileEntry[];
} {
  const directories = [''];
  for (;;) {
    const dir = cursor.cstring(`include_directories[${directories.length}]`);
    if (dir === '') break;
    directories.push(dir);
  }
  const files: LineFileEntry[] = [{ name: '', directoryIndex: 0, path: '' }];
  for (;;) {
    const name = cursor.cstring(`file_names[${files.length}]`);
    if (name === '') break;
    files.push(readFileV2(cursor, name, directories, files.length));
  }
  return { directories, files };
}

export function readFileV2(
  cursor: DwarfCursor,
  name: string,
  directories: readonly string[],
  index: number,
): LineFileEntry {
  const dirAt = cursor.offset;
  const directoryIndex = cursor.uleb(`file ${index} directory index`);
  cursor.uleb(`file ${index} modification time`);
  cursor.uleb(`file ${index} length`);
  if (directoryIndex >= directories.length) {
    cursor.fail(
      `file ${index} (${name}) names directory ${directoryIndex}, the table has ${directories.length}`,
      dirAt,
    );
  }
  const dir = directories[directoryIndex]!;
  return { name, directoryIndex, path: joinPath(dir, name) };
}

type EntryFormat = { contentType: number; form: number }[];

function readEntryFormat(cursor: DwarfCursor, what: string): EntryFormat {
  const count = cursor.u8(`${what}_entry_format_count`);
  const format: EntryFormat = [];
  for (let i = 0; i < count; i++) {
    format.push({
      contentType: cursor.uleb(`${what} format ${i} content type`),
      form: cursor.uleb(`${what} format ${i} form`),
    });
  }
  return format;
}

type EntryValue = string | number | Uint8Array;

function readForm(
  cursor: DwarfCursor,
  form: number,
  sections: DebugLineSections,
  offsetSize: 4 | 8,
  what: string,
): EntryValue {
  switch (form) {
    case DW_FORM_string:
      return cursor.cstring(what);
    case DW_FORM_line_strp:
      return stringAt(
        sections.debugLineStr,
        '.debug_line_str',
        cursor.offsetField(offsetSize, what),
        cursor,
        what,
      );
    case DW_FORM_strp:
      return stringAt(
        sections.debugStr,
        '.debug_str',
        cursor.offsetField(offsetSize, what),
        cursor,
        what,
      );
    case DW_FORM_udata:
      return cursor.uleb(what);
    case DW_FORM_sdata:
      return cursor.sleb(what);
    case DW_FORM_data1:
      return cursor.u8(what);
    case DW_FORM_data2:
      return cursor.u16(what);
    case DW_FORM_data4:
      return cursor.u32(what);
    case DW_FORM_data8:
      return cursor.bytesOf(8, what);
    case DW_FORM_data16:
      return cursor.bytesOf(16, what);
    case DW_FORM_block:
      return cursor.bytesOf(cursor.uleb(`${what} length`), what);
    case DW_FORM_block1:
      return cursor.bytesOf(cursor.u8(`${what} length`), what);
    default:
      return cursor.fail(
        `${what}: form 0x${form.toString(16)} is not supported in line table entries`,
        cursor.offset,
        'unsupported-form',
      );
  }
}

function readEntries(
  cursor: DwarfCursor,
  format: EntryFormat,
  sections: DebugLineSections,
  offsetSize: 4 | 8,
  what: string,
): { values: Map<number, EntryValue>; at: number }[] {
  const count = cursor.uleb(`${what}_count`);
  if (count > 0 && !format.some((f) => f.contentType === DW_LNCT_path)) {
    cursor.fail(`${what} entries have no DW_LNCT_path`, cursor.offset);
  }
  const entries = [];
  for (let i = 0; i < count; i++) {
    const at = cursor.offset;
    const values = new Map<number, EntryValue>();
    for (const { contentType, form } of format)
      values.set(contentType, readForm(cursor, form, sections, offsetSize, `${what}[${i}]`));
    entries.push({ values, at });
  }
  return entries;
}

export function readTablesV5(
  cursor: DwarfCursor,
  sections: DebugLineSections,
  offsetSize: 4 | 8,
): { directories: string[]; files: LineFileEntry[] } {
  const dirFormat = readEntryFormat(cursor, 'directory');
  const directories = readEntries(cursor, dirFormat, sections, offsetSize, 'directories').map(
    ({ values, at }, i) => {
      const path = values.get(DW_LNCT_path);
      if (typeof path !== 'string')
        cursor.fail(`directory ${i}: DW_LNCT_path is not a string form`, at);
      return path;
    },
  );
  const fileFormat = readEntryFormat(cursor, 'file_name');
  const files = readEntries(cursor, fileFormat, sections, offsetSize, 'file_names').map(
    ({ values, at }, i): LineFileEntry => {
      const name = values.get(DW_LNCT_path);
      if (typeof name !== 'string') cursor.fail(`file ${i}: DW_LNCT_path is not a string form`, at);
      const dirValue = values.get(DW_LNCT_directory_index) ?? 0;
      if (typeof dirValue !== 'number' || dirValue >= directories.length) {
        cursor.fail(
          `file ${i} (${name}) names directory ${String(dirValue)}, the table has ${directories.length}`,
          at,
        );
      }
      const md5 = values.get(DW_LNCT_MD5);
      const entry = {
        name,
        directoryIndex: dirValue,
        path: joinPath(
          dirValue === 0 ? directories[0]! : joinPath(directories[0] ?? '', directories[dirValue]!),
          name,
        ),
      };
      return md5 instanceof Uint8Array && md5.length === 16
        ? { ...entry, md5: Array.from(md5, (b) => b.toString(16).padStart(2, '0')).join('') }
        : entry;
    },
  );
  return { directories, files };
}
