/**
 * The hex editor's webview protocol (extension host ⇄ hex editor webview), carried by the typed RPC
 * of rpc.ts / rpcEndpoint.ts. Addresses are hex strings (`0x…`), bytes base64, as in DAP.
 *
 * The host answers {@link HexHostContract} (reads, writes, symbol lookup, export, clipboard) by
 * talking to the active Boardmap debug session (memory.ts requests); the webview answers nothing
 * and only listens to the host's events.
 */
import type { EmptyContract } from './rpc';
import type { ReadMemoryExResponse, RegisterInfoResponse, StatusSpan, RegionSpan } from './memory';
import type { HexString, RegionId, RegionKind } from './topology';

export const HEX_EDITOR_VIEW_TYPE = 'boardmap.hexEditor';

/** Command ids contributed by the hex editor. */
export const HexEditorCommand = {
  /** Args: {@link OpenHexEditorArgs} (optional; without them the user is asked for an address). */
  open: 'boardmap.openHexEditor',
  /** Prompts for an address, symbol or expression (evaluated by the debugger), then opens. */
  openAtAddress: 'boardmap.openHexEditorAtAddress',
} as const;

/** `boardmap.openHexEditor` arguments, as the tree view / flat view / variables view pass them. */
export interface OpenHexEditorArgs {
  /** `AddressSpaceInfo.id`; the session's first address space when absent. */
  addressSpace?: string;
  /** Same as `addressSpace` (the flat view's OpenHexEditorParams spelling); either is accepted. */
  addressSpaceId?: string;
  /** Address to reveal, hex string `0x…` (or a number below 2^53). */
  address?: HexString | number;
  /** Bytes to select from `address`, hex string `0x…` (a Debug Console link's range). */
  length?: HexString;
  /** A region to reveal (its first flat-view range) and select. */
  regionId?: RegionId;
  /** A DAP memoryReference (e.g. from a Variable); wins over addressSpace/address when given. */
  memoryReference?: string;
}

/** What the webview saves with setState and the serializer restores. */
export interface HexEditorViewState {
  addressSpace: string;
  /** Top-left address of the view. */
  topAddress: HexString;
  cursor: HexString;
  anchor: HexString;
  grouping: 1 | 2 | 4 | 8;
  littleEndian: boolean;
  inspectorOpen: boolean;
  /** The column typed into (absent in states saved before it existed: hex). */
  column?: 'hex' | 'ascii';
}

export type SessionState = 'none' | 'running' | 'stopped';

export interface HexEditorInit {
  addressSpace: string;
  /** Display name of the address space. */
  addressSpaceName: string;
  /** Size of the space in bytes, hex (`0x10000000000000000` for 2^64). */
  spaceSize: HexString;
  /** Where to show; absent = keep the restored position. */
  reveal?: RevealTarget;
  /**
   * The view as the user last left it in this address space (the host keeps it in the
   * workspace's state): a panel opened again after being closed starts from it when the webview
   * has no saved state of its own; with `reveal`, only its display settings apply.
   */
  savedState?: HexEditorViewState;
  session: SessionInfo;
}

export interface SessionInfo {
  state: SessionState;
  /** The debug session's name, for the title bar. */
  name?: string;
}

export interface RevealTarget {
  address: HexString;
  /** Select this many bytes from `address` (a region's size, clamped by the view). */
  length?: HexString;
  regionId?: RegionId;
}

/** One page as read for the grid: a {@link ReadMemoryExResponse} for 4 KiB. */
export type PageReadResult = ReadMemoryExResponse & {
  /** True when the adapter lacks readMemoryEx and plain readMemory was used (no MMIO status). */
  degraded?: boolean;
};

export interface WriteResult {
  bytesWritten: number;
  /** Set when fewer bytes than requested were written: the adapter's reason. */
  error?: string;
}

export interface RegionListEntry {
  id: RegionId;
  name: string;
  kind: RegionKind;
  /** First flat-view address where the region is visible. */
  start: HexString;
  /** Bytes visible in the flat view from `start` (summed over its flat ranges). */
  size: HexString;
}

export type ExportFormat = 'binary' | 'ihex';

export interface ExportResult {
  /** Where the file went; absent when the user cancelled. */
  path?: string;
  bytes: number;
  /** Bytes that could not be read (holes, unpeekable MMIO): skipped in Intel HEX, 0 in binary. */
  unreadable: number;
}

/** Requests the host answers. */
export interface HexHostContract {
  requests: {
    /** The webview is ready: returns what to show. */
    ready: { params: Record<string, never>; result: HexEditorInit };
    /** Reads one 4 KiB page at a 4 KiB-aligned address. */
    readPage: { params: { address: HexString }; result: PageReadResult };
    /** Reads with MMIO side effects on purpose (explicit user action). */
    readWithSideEffects: {
      params: { address: HexString; count: number };
      result: ReadMemoryExResponse;
    };
    /** Writes bytes live (DAP writeMemory, allowPartial). Rejects when nothing could be written. */
    write: { params: { address: HexString; data: string }; result: WriteResult };
    /** Register metadata of register banks overlapping a range, for hover. */
    registerInfo: { params: { address: HexString; count: number }; result: RegisterInfoResponse };
    /** Evaluates a symbol or expression to an address in this space. */
    resolveExpression: { params: { expression: string }; result: { address: HexString } };
    /** Regions of this address space's flat view, for "go to region". */
    listRegions: { params: Record<string, never>; result: RegionListEntry[] };
    /**
     * Asks where to save and exports [address, address+length) as binary or Intel HEX (the host
     * asks which when `format` is absent).
     */
    exportRange: {
      params: { address: HexString; length: HexString; format?: ExportFormat };
      result: ExportResult;
    };
    copyText: { params: { text: string }; result: null };
    /** The view changed (debounced by the webview): the host keeps it for the next opening. */
    saveViewState: { params: HexEditorViewState; result: null };
    /** Shows a message in VS Code (errors the user must not miss, e.g. a failed write). */
    notify: { params: { severity: 'info' | 'warning' | 'error'; message: string }; result: null };
  };
  events: {
    /** Bytes in [start, end) may have changed (DAP `memory` event, or a write). */
    memoryChanged: { ranges: { start: HexString; end: HexString }[] } | { all: true };
    /** The session started, stopped, continued or ended. */
    sessionChanged: SessionInfo & { reason?: string };
    /** Show this address (the command was run again for an open panel). */
    reveal: RevealTarget;
    /** The map changed: region overlays must be re-read. */
    topologyChanged: { version: number };
  };
}

/** The webview answers no requests and emits no events. */
export type HexWebviewContract = EmptyContract;

export type { StatusSpan, RegionSpan };
