/**
 * Registers the hex editor: the DAP tracker, the panel serializer and the two commands
 * `boardmap.openHexEditor` ({@link OpenHexEditorArgs}) and `boardmap.openHexEditorAtAddress`
 * (prompts for an address, symbol or expression).
 */
import * as vscode from 'vscode';
import {
  HexEditorCommand,
  type OpenHexEditorArgs,
  type RevealTarget,
  toHex,
  parseMemoryReference,
  parseUserAddress,
  DAP_TOPOLOGY_REQUEST,
  type TopologyResponseBody,
  type TopologySnapshot,
} from '../../protocol';
import { HexEditorPanel, type HexEditorDeps } from './hexEditorPanel';
import { MemoryClient } from './model';
import { SessionTracker } from './sessionTracker';
import { hexLinkConfigurationProvider, hexLinkHandler } from './links';
import { notificationText } from '../text';

export function registerHexEditor(context: vscode.ExtensionContext): void {
  const tracker = new SessionTracker();
  const log = vscode.window.createOutputChannel('Boardmap Hex Editor', { log: true });
  const deps: HexEditorDeps = {
    extensionUri: context.extensionUri,
    tracker,
    log,
    viewStates: context.workspaceState,
  };
  context.subscriptions.push(
    tracker,
    log,
    HexEditorPanel.registerSerializer(deps),
    vscode.commands.registerCommand(HexEditorCommand.open, (args?: unknown) =>
      openHexEditor(deps, args),
    ),
    vscode.commands.registerCommand(HexEditorCommand.openAtAddress, () => openAtAddress(deps)),
    vscode.window.registerUriHandler(hexLinkHandler((args) => openHexEditor(deps, args), log)),
    vscode.debug.registerDebugConfigurationProvider(
      'boardmap',
      hexLinkConfigurationProvider(context.extension.id),
    ),
  );
}

async function openHexEditor(deps: HexEditorDeps, raw: unknown): Promise<void> {
  const args = normalizeArgs(raw);
  if (!args) return openAtAddress(deps);
  const fromRef = args.memoryReference ? parseMemoryReference(args.memoryReference) : undefined;
  if (fromRef && !fromRef.ok) throw new Error(fromRef.error);
  const topology = await fetchTopology(deps);
  const space =
    (fromRef?.ok ? fromRef.value.space : undefined) ??
    args.addressSpace ??
    args.addressSpaceId ??
    topology?.addressSpaces[0]?.id ??
    'memory';
  const target = revealTarget(
    args,
    fromRef?.ok ? fromRef.value.address : undefined,
    topology,
    space,
  );
  HexEditorPanel.show(deps, space, target);
}

/** Accepts OpenHexEditorArgs, or the variables view's context argument ({ variable }). */
function normalizeArgs(raw: unknown): OpenHexEditorArgs | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const variable = (raw as { variable?: { memoryReference?: unknown } }).variable;
  if (variable && typeof variable.memoryReference === 'string') {
    return { memoryReference: variable.memoryReference };
  }
  const a = raw as OpenHexEditorArgs;
  if (
    a.memoryReference ||
    a.address !== undefined ||
    a.regionId ||
    a.addressSpace ||
    a.addressSpaceId
  ) {
    return a;
  }
  return undefined;
}

function revealTarget(
  args: OpenHexEditorArgs,
  refAddress: bigint | undefined,
  topology: TopologySnapshot | undefined,
  space: string,
): RevealTarget | undefined {
  let address = refAddress;
  if (address === undefined && args.address !== undefined) {
    if (typeof args.address === 'number') {
      if (!Number.isSafeInteger(args.address) || args.address < 0) {
        throw new Error(`bad address ${args.address}`);
      }
      address = BigInt(args.address);
    } else {
      const parsed = parseUserAddress(args.address);
      if (!parsed.ok) throw new Error(parsed.error);
      address = parsed.value;
    }
  }
  const ranges = topology?.addressSpaces
    .find((s) => s.id === space)
    ?.flatView.filter((r) => r.regionId === args.regionId);
  if (address === undefined && ranges?.length) address = BigInt(ranges[0]!.start);
  if (address === undefined) return undefined;
  const size =
    args.length !== undefined
      ? parseLength(args.length)
      : ranges?.reduce((n, r) => n + BigInt(r.end) - BigInt(r.start) + 1n, 0n);
  return {
    address: toHex(address),
    ...(args.regionId ? { regionId: args.regionId } : {}),
    ...(size ? { length: toHex(size) } : {}),
  };
}

function parseLength(text: string): bigint {
  const parsed = parseUserAddress(text);
  if (!parsed.ok || parsed.value === 0n) throw new Error(`bad length '${text}'`);
  return parsed.value;
}

async function openAtAddress(deps: HexEditorDeps): Promise<void> {
  const session = deps.tracker.activeSession();
  const topology = await fetchTopology(deps);
  const spaces = topology?.addressSpaces ?? [];
  let space = spaces[0]?.id ?? 'memory';
  if (spaces.length > 1) {
    const pick = await vscode.window.showQuickPick(
      spaces.map((s) => ({ label: s.name, description: s.id, id: s.id })),
      { title: 'Hex editor: address space' },
    );
    if (!pick) return;
    space = pick.id;
  }
  const text = await vscode.window.showInputBox({
    title: `Hex editor: go to (${space})`,
    prompt:
      'An address (0x8000_0000, 4096, 1000h) or, during a debug session, a symbol or expression',
    validateInput: (value) =>
      value.trim() === '' ? 'Type an address, a symbol or an expression' : undefined,
  });
  if (text === undefined) return;
  let address: bigint;
  const parsed = parseUserAddress(text);
  if (parsed.ok) address = parsed.value;
  else if (!session) {
    void vscode.window.showErrorMessage(
      notificationText(
        `'${text}' is not an address, and without a Boardmap debug session it cannot be evaluated.`,
      ),
    );
    return;
  } else {
    try {
      const client = new MemoryClient(
        (c, a) => Promise.resolve(session.customRequest(c, a)),
        space,
      );
      address = await client.resolveExpression(text.trim());
    } catch (error) {
      void vscode.window.showErrorMessage(
        notificationText(
          `Cannot open the hex editor at '${text}': ${error instanceof Error ? error.message : error}`,
        ),
      );
      return;
    }
  }
  HexEditorPanel.show(deps, space, { address: toHex(address) });
}

async function fetchTopology(deps: HexEditorDeps): Promise<TopologySnapshot | undefined> {
  const session = deps.tracker.activeSession();
  if (!session) return undefined;
  try {
    const body = (await session.customRequest(DAP_TOPOLOGY_REQUEST, {})) as TopologyResponseBody;
    return body.unchanged ? undefined : body.snapshot;
  } catch (error) {
    deps.log.warn(
      `hex editor: topology unavailable: ${error instanceof Error ? error.message : error}`,
    );
    return undefined;
  }
}
export { RESUMING_REQUESTS } from './model';
