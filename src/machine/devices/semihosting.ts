/**
 * RISC-V semihosting (the Arm semihosting operations behind the `slli x0,x0,0x1f; ebreak;
 * srai x0,x0,7` sequence; riscv/semihosting.ts recognises it): operation number in a0, parameter
 * block address in a1 (or the argument itself), result in a0. Implemented: SYS_OPEN (`:tt` for
 * the console, `:semihosting-features` read-only), SYS_CLOSE, SYS_WRITEC, SYS_WRITE0, SYS_WRITE,
 * SYS_READ, SYS_READC, SYS_ISERROR, SYS_ISTTY, SYS_SEEK, SYS_FLEN, SYS_ERRNO, SYS_EXIT and
 * SYS_EXIT_EXTENDED. The host's file system is not exposed: other names fail with ENOENT.
 */
import { hex } from '../../engine';
import type { CpuBus } from '../bus';

export const SYS_OPEN = 0x01;
export const SYS_CLOSE = 0x02;
export const SYS_WRITEC = 0x03;
export const SYS_WRITE0 = 0x04;
export const SYS_WRITE = 0x05;
export const SYS_READ = 0x06;
export const SYS_READC = 0x07;
export const SYS_ISERROR = 0x08;
export const SYS_ISTTY = 0x09;
export const SYS_SEEK = 0x0a;
export const SYS_FLEN = 0x0c;
export const SYS_ERRNO = 0x13;
export const SYS_EXIT = 0x18;
export const SYS_EXIT_EXTENDED = 0x20;
/** ADP_Stopped_ApplicationExit: the reason code of a normal exit. */
export const ADP_STOPPED_APPLICATION_EXIT = 0x20026;
/** The feature file: magic "SHFB", then byte 0 = EXIT_EXTENDED (bit 0) | STDOUT_STDERR (bit 1). */
export const SEMIHOSTING_FEATURES = Uint8Array.of(0x53, 0x48, 0x46, 0x42, 0x03);

const ENOENT = 2;
const EBADF = 9;
const EINVAL = 22;
const MAX_STRING = 1 << 20;

/** What a semihosting call may do to the world outside the guest. */
export interface SemihostingHost {
  output(stream: 'stdout' | 'stderr', text: string): void;
  /** One byte of console input, or undefined when none is available. */
  readInput(): number | undefined;
  exit(code: number, how: string): void;
}

interface OpenFile {
  readonly kind: 'stdin' | 'stdout' | 'stderr' | 'features';
  position: number;
}

export class Semihosting {
  private files = new Map<number, OpenFile>();
  private nextHandle = 1;
  private errno = 0;
  /** Operations the guest asked for that are not implemented (for diagnostics). */
  unsupported = 0;

  constructor(private readonly host: SemihostingHost) {}

  reset(): void {
    this.files = new Map();
    this.nextHandle = 1;
    this.errno = 0;
  }

  /**
   * Services one call: `operation` (a0) and `argument` (a1); reads and writes guest memory
   * through `bus`. Returns the value for a0.
   */
  call(bus: CpuBus, operation: number, argument: number): number {
    const word = (i: number): number => {
      const v = bus.load32((argument + 4 * i) | 0);
      if (bus.status !== 0) throw new ParameterFault(argument + 4 * i);
      return v >>> 0;
    };
    try {
      switch (operation >>> 0) {
        case SYS_WRITEC: {
          const c = bus.load8(argument);
          if (bus.status !== 0) throw new ParameterFault(argument);
          this.host.output('stdout', String.fromCharCode(c));
          return 0;
        }
        case SYS_WRITE0:
          this.host.output('stdout', this.readString(bus, argument, MAX_STRING, true));
          return 0;
        case SYS_OPEN:
          return this.open(this.readString(bus, word(0), word(2), false), word(1));
        case SYS_CLOSE:
          return this.files.delete(word(0)) ? 0 : this.fail(EBADF);
        case SYS_WRITE:
          return this.write(bus, word(0), word(1), word(2));
        case SYS_READ:
          return this.read(bus, word(0), word(1), word(2));
        case SYS_READC:
          return this.host.readInput() ?? 0xffff_ffff;
        case SYS_ISERROR:
          return (word(0) | 0) < 0 ? 1 : 0;
        case SYS_ISTTY: {
          const f = this.files.get(word(0));
          if (!f) return this.fail(EBADF);
          return f.kind === 'features' ? 0 : 1;
        }
        case SYS_SEEK: {
          const f = this.files.get(word(0));
          if (!f) return this.fail(EBADF);
          if (f.kind !== 'features') return this.fail(EINVAL);
          f.position = Math.min(word(1), SEMIHOSTING_FEATURES.length);
          return 0;
        }
        case SYS_FLEN: {
          const f = this.files.get(word(0));
          if (!f) return this.fail(EBADF);
          return f.kind === 'features' ? SEMIHOSTING_FEATURES.length : 0;
        }
        case SYS_ERRNO:
          return this.errno;
        case SYS_EXIT: {
          // RV32: a1 holds the reason itself (no parameter block), as in QEMU
          const code = argument >>> 0 === ADP_STOPPED_APPLICATION_EXIT ? 0 : 1;
          this.host.exit(code, `semihosting SYS_EXIT (reason ${hex(argument)})`);
          return 0;
        }
        case SYS_EXIT_EXTENDED: {
          const reason = word(0);
          const code = reason === ADP_STOPPED_APPLICATION_EXIT ? word(1) : 1;
          this.host.exit(code, `semihosting SYS_EXIT_EXTENDED (reason ${hex(reason)})`);
          return 0;
        }
        default:
          this.unsupported++;
          return this.fail(EINVAL);
      }
    } catch (e) {
      if (e instanceof ParameterFault) return this.fail(EINVAL);
      throw e;
    }
  }

  private fail(errno: number): number {
    this.errno = errno;
    return 0xffff_ffff;
  }

  private open(name: string, mode: number): number {
    let kind: OpenFile['kind'];
    if (name === ':tt') kind = mode < 4 ? 'stdin' : mode < 8 ? 'stdout' : 'stderr';
    else if (name === ':semihosting-features') {
      if (mode > 1) return this.fail(EINVAL); // "r" or "rb" only
      kind = 'features';
    } else return this.fail(ENOENT);
    const handle = this.nextHandle++;
    this.files.set(handle, { kind, position: 0 });
    return handle;
  }

  /** Returns the number of bytes NOT written, as the specification says. */
  private write(bus: CpuBus, handle: number, address: number, length: number): number {
    const f = this.files.get(handle);
    if (!f) return this.fail(EBADF);
    if (f.kind !== 'stdout' && f.kind !== 'stderr') {
      this.errno = EBADF;
      return length;
    }
    const text = this.readString(bus, address, length, false);
    this.host.output(f.kind, text);
    return length - text.length;
  }

  /** Returns the number of bytes NOT read. */
  private read(bus: CpuBus, handle: number, address: number, length: number): number {
    const f = this.files.get(handle);
    if (!f) return this.fail(EBADF);
    let done = 0;
    while (done < length) {
      let byte: number | undefined;
      if (f.kind === 'features') byte = SEMIHOSTING_FEATURES[f.position];
      else if (f.kind === 'stdin') byte = this.host.readInput();
      if (byte === undefined) break;
      bus.store8((address + done) | 0, byte);
      if (bus.status !== 0) return this.fail(EINVAL);
      f.position++;
      done++;
    }
    return length - done;
  }

  private readString(bus: CpuBus, address: number, length: number, nulTerminated: boolean): string {
    let out = '';
    const limit = Math.min(length, MAX_STRING);
    for (let i = 0; i < limit; i++) {
      const c = bus.load8((address + i) | 0);
      if (bus.status !== 0) throw new ParameterFault(address + i);
      if (nulTerminated && c === 0) break;
      out += String.fromCharCode(c);
    }
    return out;
  }
}

class ParameterFault extends Error {
  constructor(readonly address: number) {
    super(`semihosting parameter at ${hex(address)} is not readable`);
  }
}
