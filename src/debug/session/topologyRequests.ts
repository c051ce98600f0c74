/**
 * The adapter's topology requests (`boardmap/topology`, `setRegionEnabled`, `resolveAddress`)
 * answered from a TopologyTracker, and `boardmap/topologyChanged` events rate-limited to the views.
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import {
  DAP_RESOLVE_ADDRESS_REQUEST,
  DAP_SET_REGION_ENABLED_REQUEST,
  DAP_TOPOLOGY_CHANGED_EVENT,
  DAP_TOPOLOGY_REQUEST,
  parseUserAddress,
  type ResolveAddressResponseBody,
  type SetRegionEnabledResponseBody,
  type TopologyChangedEventBody,
  type TopologyRequestArguments,
  type TopologyResponseBody,
} from '../../protocol';
import {
  changedRegionIds as changedRegionIdsBetween,
  type Disposable,
  type TopologyTracker,
} from '../../snapshot';

export type TopologyRequestAnswer =
  { readonly handled: true; readonly body: unknown } | { readonly handled: false };

function argsObject(command: string, args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args))
    throw new AdapterError(AdapterErrorCode.BadArgument, `${command}: arguments must be an object`);
  return args as Record<string, unknown>;
}

/** Answers `boardmap/topology`, `boardmap/setRegionEnabled` and `boardmap/resolveAddress`. */
export function answerTopologyRequest(
  tracker: TopologyTracker,
  command: string,
  args: unknown,
): TopologyRequestAnswer {
  switch (command) {
    case DAP_TOPOLOGY_REQUEST: {
      const a = argsObject(command, args) as TopologyRequestArguments & Record<string, unknown>;
      if (a.ifNewerThan !== undefined && !Number.isSafeInteger(a.ifNewerThan)) {
        throw new AdapterError(
          AdapterErrorCode.BadArgument,
          `${command}: ifNewerThan must be an integer version`,
        );
      }
      const version = tracker.version;
      const body: TopologyResponseBody =
        a.ifNewerThan !== undefined && a.ifNewerThan >= version
          ? { unchanged: true, version }
          : { snapshot: tracker.snapshot() };
      return { handled: true, body };
    }
    case DAP_SET_REGION_ENABLED_REQUEST: {
      const a = argsObject(command, args);
      if (typeof a.regionId !== 'string')
        throw new AdapterError(
          AdapterErrorCode.BadArgument,
          `${command}: regionId must be a string`,
        );
      if (typeof a.enabled !== 'boolean')
        throw new AdapterError(
          AdapterErrorCode.BadArgument,
          `${command}: enabled must be true or false`,
        );
      const body: SetRegionEnabledResponseBody = {
        version: tracker.setRegionEnabled(a.regionId, a.enabled),
      };
      return { handled: true, body };
    }
    case DAP_RESOLVE_ADDRESS_REQUEST: {
      const a = argsObject(command, args);
      if (a.addressSpaceId !== undefined && typeof a.addressSpaceId !== 'string') {
        throw new AdapterError(
          AdapterErrorCode.BadArgument,
          `${command}: addressSpaceId must be a string`,
        );
      }
      if (typeof a.address !== 'string')
        throw new AdapterError(
          AdapterErrorCode.BadArgument,
          `${command}: address must be a hex string like "0x80000000"`,
        );
      const parsed = parseUserAddress(a.address);
      if (!parsed.ok)
        throw new AdapterError(AdapterErrorCode.BadArgument, `${command}: ${parsed.error}`);
      const body: ResolveAddressResponseBody = tracker.resolve(a.addressSpaceId, parsed.value);
      return { handled: true, body };
    }
    default:
      return { handled: false };
  }
}

/**
 * Sends `boardmap/topologyChanged` when the map changes, at most once per `intervalMs` (firmware
 * may remap in a loop; the views refetch on each event). The last change is always reported.
 * Each event's `changedRegionIds` are the regions that differ from the snapshot of the previous
 * event (for the first event: of the subscription), so a view holding that version can refresh
 * only them (an empty list when a change was undone in between).
 */
export function forwardTopologyChanges(
  tracker: TopologyTracker,
  send: (event: typeof DAP_TOPOLOGY_CHANGED_EVENT, body: TopologyChangedEventBody) => void,
  intervalMs = 100,
): Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSent = -Infinity;
  // Taking the base snapshot also arms the tracker (it bumps versions only after a snapshot).
  let base = tracker.snapshot();
  const flush = () => {
    timer = undefined;
    lastSent = Date.now();
    const snapshot = tracker.snapshot();
    const changedRegionIds = changedRegionIdsBetween(base, snapshot);
    base = snapshot;
    send(DAP_TOPOLOGY_CHANGED_EVENT, { version: snapshot.version, changedRegionIds });
  };
  const subscription = tracker.onDidChange(() => {
    if (timer) return;
    const wait = Math.max(0, lastSent + intervalMs - Date.now());
    timer = setTimeout(flush, wait);
  });
  return {
    dispose: () => {
      subscription.dispose();
      if (timer) clearTimeout(timer);
    },
  };
}
