/**
 * The flat-view webview's message contract (extension host <-> `src/webview/flatView`), carried by
 * `RpcEndpoint`. The host answers the `FlatViewHostContract` requests and emits its events; the
 * webview answers nothing and emits nothing but requests.
 */
import type { AddressResolution, HexString, RegionId, TopologySnapshot } from './topology';
import type { EmptyContract } from './rpc';

export const FLAT_VIEW_VIEW_TYPE = 'boardmap.flatView';

/** What the webview persists with `setState` (and the serializer hands back on restore). */
export interface FlatViewState {
  readonly addressSpaceId?: string;
  /** Zoom factor of the map (1 = fit). */
  readonly zoom: number;
  /** Horizontal scroll of the map, as a fraction of its width [0, 1]. */
  readonly scroll: number;
  readonly selectedRegionId?: RegionId;
  readonly resolverInput?: string;
}

export interface RevealRegionParams {
  readonly regionId: RegionId;
  readonly addressSpaceId?: string;
  /** Reveal in the Memory Tree. */
  readonly inTree: boolean;
  /** Reveal the declaration in the board file, when the region has a source location. */
  readonly inSource: boolean;
}

export interface OpenHexEditorParams {
  readonly addressSpaceId: string;
  readonly address: HexString;
  readonly regionId?: RegionId;
}

export interface FlatViewHostContract extends EmptyContract {
  readonly requests: {
    /** The current topology, or null with a reason when there is nothing to show. */
    getTopology: {
      params: Record<string, never>;
      /**
       * `focus`: a region the host asked to show (Show in Flat View) that the page may not have
       * received as a `focusRegion` event because it was still loading or was reloaded while hidden.
       */
      result: ({ snapshot: TopologySnapshot } | { snapshot: null; reason: string }) & {
        focus?: { regionId: RegionId; addressSpaceId?: string };
      };
    };
    /** The "why this address?" box. */
    resolveAddress: {
      params: { addressSpaceId: string; address: HexString };
      result: AddressResolution;
    };
    revealRegion: { params: RevealRegionParams; result: { revealedInSource: boolean } };
    openHexEditor: { params: OpenHexEditorParams; result: null };
  };
  readonly events: {
    /** A new topology (live update); the webview re-renders and keeps zoom and selection. */
    topology: { snapshot: TopologySnapshot | null; reason?: string };
    /** Select and scroll to a region (the tree's "Show in Flat View"). */
    focusRegion: { regionId: RegionId; addressSpaceId?: string };
  };
}

/** The webview answers no requests and emits no events. */
export type FlatViewWebviewContract = EmptyContract;
