/**
 * A launched session's state: the machine and everything built around it (breakpoints, run
 * control, variables, expression context, topology tracker, dirty tracking), created from a
 * launch configuration and disposed together.
 */
import { dirname } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AddressSpace, MemoryRegion } from '../../engine';
import { DebugInfo, type OutputStream, type Machine } from '../../machine';
import { type TopologyChangedEventBody, HEX_LINK_LAUNCH_ARGUMENT } from '../../protocol';
import { Breakpoints } from '../breakpoints';
import { expressionContext, registerBanks, Variables } from '../inspect';
import { evaluateExpression, type ExpressionContext } from '../expression';
import {
  addressSpaceIds,
  launchMachine,
  MAX_PROGRAM_BYTES,
  readLaunchFile,
  type BoardmapLaunchArguments,
  type LaunchedMachine,
} from './launch';
import { type SpaceLookup, DirtyTracker, hexLinkerFor, type HexLinker } from '../memory';
import { DisassemblySources } from '../disassembly';
import { RunControl } from '../run';
import { TopologyTracker, type Disposable } from '../../snapshot';
import { forwardTopologyChanges } from './topologyRequests';

export interface Live {
  readonly machine: Machine;
  /** Replaced when restart reloads a program rebuilt on disk. */
  debugInfo: DebugInfo | undefined;
  readonly launched: LaunchedMachine;
  /** Topology id of the hart's address space (memory references name it). */
  readonly spaceId: string;
  readonly spaces: Map<string, AddressSpace>;
  readonly lookup: SpaceLookup;
  readonly breakpoints: Breakpoints;
  readonly run: RunControl;
  readonly variables: Variables;
  readonly context: ExpressionContext;
  readonly tracker: TopologyTracker;
  readonly dirty: DirtyTracker;
  readonly disposables: Disposable[];
  readonly args: BoardmapLaunchArguments;
  readonly stopOnEntry: boolean;
  /** Disassembly listings, the source of frames without line information. */
  readonly disassembly: DisassemblySources;
  /** Hex editor links for the Debug Console; undefined when the client cannot open them. */
  readonly hexLink: HexLinker | undefined;
}

export interface LiveHooks {
  /** Device console output. */
  output(text: string, stream: OutputStream): void;
  /** Log points and notes for the Debug Console. */
  log(text: string): void;
  topologyChanged(event: string, body: TopologyChangedEventBody): void;
}

/** Launches the machine and builds the session state around it; throws LaunchError. */
export function createLive(
  args: BoardmapLaunchArguments,
  hooks: LiveHooks,
  batchSize?: number,
): Live {
  const launched = launchMachine(args, batchSize);
  const { machine, debugInfo } = launched;
  const spaces = addressSpaceIds(machine.system);
  const spaceId = [...spaces].find(([, s]) => s === machine.space)?.[0] ?? machine.space.name;
  const breakpoints = new Breakpoints(machine, debugInfo);
  const context = expressionContext(machine);
  const run = new RunControl(
    machine,
    breakpoints,
    debugInfo,
    (e) => evaluateExpression(e, context).value,
  );
  run.onLog = (text) => hooks.log(text);
  const dirty = new DirtyTracker(machine.space);
  const tracker = new TopologyTracker(machine.system, {
    source: {
      kind: 'machine',
      label: launched.boardUri.split(/[\\/]/).pop() ?? 'machine',
      uri: launched.boardUri,
    },
  });
  const banked = new Set(registerBanks(machine).map((b) => b.region));
  const lookup: SpaceLookup = {
    space: (id) => spaces.get(id),
    hasRegisters: (fr) =>
      banked.has(fr.mr) ||
      [...machine.devices.values()].some(
        (d) => d.registerName && d.regions.some((r) => r.region === fr.mr),
      ),
  };
  const variables = new Variables(machine, spaceId, spaces);
  const live: Live = {
    machine,
    launched,
    debugInfo,
    spaceId,
    spaces,
    lookup,
    breakpoints,
    run,
    variables,
    context,
    tracker,
    dirty,
    disposables: [],
    args,
    stopOnEntry: launched.stopOnEntry,
    disassembly: new DisassemblySources(machine),
    hexLink: hexLinkerFor(args[HEX_LINK_LAUNCH_ARGUMENT]),
  };
  live.disposables.push(
    machine.onOutput((o) => hooks.output(o.text, o.stream)),
    forwardTopologyChanges(tracker, (event, body) => hooks.topologyChanged(event, body)),
    tracker.onDidChange(() => variables.topologyChanged()),
  );
  // Read the debug information while the client configures (breakpoints), not at the first stop:
  // the line table, the CFI and the DWARF unit index (each unit's DIEs stay lazy).
  const timer = setTimeout(() => warmDebugInfo(live.debugInfo), 0);
  live.disposables.push({ dispose: () => clearTimeout(timer) });
  return live;
}

function warmDebugInfo(debugInfo: DebugInfo | undefined): void {
  if (!debugInfo) return;
  try {
    void debugInfo.lines;
    void debugInfo.frames;
    void debugInfo.source.program.units.length;
  } catch {
    // A malformed section is reported where it is used.
  }
}

/** Stops whatever runs and releases the machine. */
export function disposeLive(live: Live): void {
  if (live.run.running) live.run.pause();
  live.run.dispose();
  live.breakpoints.dispose();
  for (const d of live.disposables) d.dispose();
  live.tracker.dispose();
  live.dirty.dispose();
  // Dispose after a pending run() returned (pause is honoured at the next batch boundary).
  setImmediate(() => live.machine.dispose());
}

/** Regions by board id, else by name (several regions may share a name). */
export function findRegions(live: Live, name: string): MemoryRegion[] {
  const byId = live.machine.board.regions.get(name);
  if (byId) return [byId];
  const out = new Set<MemoryRegion>();
  for (const info of live.tracker.snapshot().regions) {
    if (info.name !== name) continue;
    const mr = live.tracker.regionById(info.id);
    if (mr) out.add(mr);
  }
  return [...out];
}

/**
 * Restart: when the program file changed on disk since it was loaded, load the new image (the
 * machine resets) and resolve breakpoints against its debug information; otherwise only reset.
 * Returns the breakpoints whose resolution may have changed, or undefined when nothing was reloaded.
 */
export function restartLive(live: Live): { reloaded: DebugProtocol.Breakpoint[] } | undefined {
  const path = live.launched.programPath;
  let bytes: Uint8Array | undefined;
  try {
    bytes = path ? readLaunchFile(path, MAX_PROGRAM_BYTES, 'program') : undefined;
  } catch {
    bytes = undefined; // unreadable now: keep the loaded image
  }
  if (!path || !bytes || sameBytes(bytes, live.launched.programBytes)) {
    live.machine.reset();
    return undefined;
  }
  const image = live.machine.loadProgram(bytes, {
    name: path,
    ...(live.launched.loadAddress !== undefined ? { address: live.launched.loadAddress } : {}),
  });
  live.launched.programBytes = bytes;
  live.debugInfo = image.elf
    ? new DebugInfo(image.elf, { baseDirectory: dirname(path) })
    : undefined;
  live.run.debugInfo = live.debugInfo;
  return { reloaded: live.breakpoints.rebind(live.debugInfo) };
}

function sameBytes(a: Uint8Array, b: Uint8Array | undefined): boolean {
  return b !== undefined && a.length === b.length && Buffer.compare(a, b) === 0;
}
