/**
 * Where the cursor goes on request: an address or range (from the host, the find box, a saved
 * reveal), the go-to box's input (absolute, relative or an expression the host resolves), and a
 * region from the host's region list, which this also loads and keeps.
 */
import type {
  RpcEndpoint,
  HexHostContract,
  HexWebviewContract,
  RegionListEntry,
} from '../../protocol';
import type { ScrollModel } from './scrollModel';
import type { Selection } from './selection';
import type { HexTyping } from './editModel';
import { errorText, parseAddressInput } from './format';
import type { StatusLine } from './panels';
import type { Toolbar } from './toolbar';

/** The app state navigation reads and changes (live properties: the app replaces some on start). */
export interface NavigationContext {
  readonly scroll: ScrollModel;
  readonly selection: Selection;
  readonly typing: HexTyping;
  readonly status: StatusLine;
  readonly rpc: RpcEndpoint<HexWebviewContract, HexHostContract>;
  /** Reads the pages the view now shows and repaints once they are here (or after a short wait). */
  showNewPlace(): void;
}

export class Navigation {
  private regionList: RegionListEntry[] = [];

  constructor(
    private readonly ctx: NavigationContext,
    private readonly toolbar: Pick<Toolbar, 'setGoToInvalid' | 'setRegions'>,
    private readonly focusGrid: () => void,
  ) {}

  /** The host's region list (empty until loaded, or when it could not be). */
  get regions(): readonly RegionListEntry[] {
    return this.regionList;
  }

  goTo(address: bigint, length?: bigint, align: 'center' | 'top' = 'center'): void {
    const { selection, scroll } = this.ctx;
    this.ctx.typing.cancel();
    if (length && length > 0n) {
      // The whole range, however large (copy says when it takes only the first part). Cursor on
      // the first byte, anchor on the last.
      selection.set(address + length - 1n);
      selection.set(address, true);
    } else selection.set(address);
    scroll.reveal(address, align);
    this.ctx.showNewPlace();
  }

  /** The go-to box's text: an address, `+n`/`-n` from the cursor, or an expression. */
  async goToInput(text: string): Promise<void> {
    const { status } = this.ctx;
    const parsed = parseAddressInput(text, this.ctx.scroll.spaceSize);
    this.toolbar.setGoToInvalid(undefined);
    switch (parsed.kind) {
      case 'absolute':
        this.goTo(parsed.address);
        break;
      case 'relative':
        this.goTo(this.ctx.selection.cursor + parsed.delta);
        break;
      case 'invalid':
        this.toolbar.setGoToInvalid(parsed.message);
        status.say(parsed.message, 'warning');
        return;
      case 'expression':
        try {
          const { address } = await this.ctx.rpc.request('resolveExpression', {
            expression: parsed.text,
          });
          this.goTo(BigInt(address));
          status.say(`${parsed.text} = ${address}`);
        } catch (error) {
          const message = `Cannot go to '${parsed.text}': ${errorText(error)}`;
          this.toolbar.setGoToInvalid(message);
          status.say(message, 'error');
          return;
        }
    }
    this.focusGrid();
  }

  goToRegion(region: RegionListEntry): void {
    this.goTo(BigInt(region.start), undefined, 'top');
    this.ctx.status.say(`${region.name} (${region.kind}) at ${region.start}, ${region.size} bytes`);
    this.focusGrid();
  }

  async loadRegions(): Promise<void> {
    try {
      this.regionList = await this.ctx.rpc.request('listRegions', {});
      this.toolbar.setRegions(this.regionList);
    } catch (error) {
      this.regionList = [];
      this.toolbar.setRegions([]);
      this.ctx.status.say(`Region list unavailable: ${errorText(error)}`, 'warning');
    }
  }
}
