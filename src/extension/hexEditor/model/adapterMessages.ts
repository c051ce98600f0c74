/**
 * What a message from the debug adapter means for hex editors: the debuggee ran, stopped or ended;
 * memory changed (a `memory` event resolved to an absolute range through the memory-reference
 * contract); everything must be re-read; the map changed. Pure (no vscode), tested in Node.
 */
import {
  resolveMemoryReference,
  DAP_TOPOLOGY_CHANGED_EVENT,
  type SessionState,
} from '../../../protocol';

export interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
  success?: boolean;
  body?: Record<string, unknown>;
}

export type AdapterUpdate =
  | { kind: 'state'; state: SessionState; reason?: string }
  | { kind: 'memory'; space: string; start: bigint; end: bigint }
  | { kind: 'memoryAll' }
  | { kind: 'topology'; version: number };

/** DAP requests whose success means the debuggee runs until a `stopped` event. */
export const RESUMING_REQUESTS: ReadonlySet<string> = new Set([
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseContinue',
]);

/**
 * Requests after whose success the debuggee runs (after configurationDone it runs unless a
 * `stopped` event for the entry follows at once).
 */
const RESUMING = new Set(['configurationDone', ...RESUMING_REQUESTS]);

export function interpretAdapterMessage(m: DapMessage): AdapterUpdate | undefined {
  if (m.type === 'response') {
    return m.success && m.command && RESUMING.has(m.command)
      ? { kind: 'state', state: 'running' }
      : undefined;
  }
  if (m.type !== 'event') return undefined;
  const body = m.body ?? {};
  switch (m.event) {
    case 'stopped':
      return {
        kind: 'state',
        state: 'stopped',
        ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
      };
    case 'continued':
      return { kind: 'state', state: 'running' };
    case 'terminated':
    case 'exited':
      return { kind: 'state', state: 'none', reason: m.event };
    case 'memory': {
      const ref = typeof body.memoryReference === 'string' ? body.memoryReference : '';
      const offset = typeof body.offset === 'number' ? body.offset : 0;
      const count = typeof body.count === 'number' ? body.count : 0;
      const loc = resolveMemoryReference(ref, offset);
      if (!loc.ok || !Number.isSafeInteger(count) || count <= 0) {
        // A reference we cannot place: re-read everything rather than show stale bytes.
        return { kind: 'memoryAll' };
      }
      const start = loc.value.address;
      return {
        kind: 'memory',
        space: loc.value.space,
        start,
        end: start + BigInt(count),
      };
    }
    case 'invalidated': {
      const areas = Array.isArray(body.areas) ? body.areas : ['all'];
      return areas.includes('all') ? { kind: 'memoryAll' } : undefined;
    }
    case DAP_TOPOLOGY_CHANGED_EVENT:
      return { kind: 'topology', version: typeof body.version === 'number' ? body.version : 0 };
    default:
      return undefined;
  }
}
