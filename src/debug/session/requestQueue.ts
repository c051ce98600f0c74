/**
 * Requests wait their turn: one is answered per turn of the event loop, in order. A `cancel`
 * (handled on arrival, ahead of the queue) marks a request still waiting, which then answers
 * `cancelled` instead of running (DAP's cancel; one already answered is past cancelling).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export class RequestQueue {
  /** The first one is being answered. */
  private readonly waiting: DebugProtocol.Request[] = [];
  private readonly cancelled = new Set<number>();

  constructor(
    private readonly run: (request: DebugProtocol.Request) => void,
    private readonly refuse: (request: DebugProtocol.Request) => void,
  ) {}

  push(request: DebugProtocol.Request): void {
    this.waiting.push(request);
    if (this.waiting.length === 1) setImmediate(() => this.drain());
  }

  /** Marks request @seq cancelled if it is still waiting; true when it was. */
  cancel(seq: number): boolean {
    if (!this.waiting.some((r, i) => i > 0 && r.seq === seq)) return false;
    this.cancelled.add(seq);
    return true;
  }

  private drain(): void {
    const request = this.waiting[0];
    if (!request) return;
    try {
      if (this.cancelled.delete(request.seq)) this.refuse(request);
      else this.run(request);
    } finally {
      this.waiting.shift();
      if (this.waiting.length > 0) setImmediate(() => this.drain());
    }
  }
}
