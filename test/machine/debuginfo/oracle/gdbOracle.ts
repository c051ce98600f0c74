// Drives gdb-multiarch against qemu-system-riscv32 (-M virt -bios none -S -gdb on a free port)
// to record, at each oracle stop, gdb's pc, frames, `info args`, `info locals` and `print`s.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { OracleStop } from './specs';

export interface GoldenFrame {
  readonly level: number;
  /** The function name gdb shows for the frame (inline frames included). */
  readonly function: string;
  /** `info args` lines ("No arguments." when none). */
  readonly args: readonly string[];
  /** `info locals` lines ("No locals." when none). */
  readonly locals: readonly string[];
}

export interface GoldenStop {
  readonly id: string;
  /** Every address of the breakpoint (gdb may place one location per inlined copy). */
  readonly breakpointAddresses: readonly number[];
  readonly pc: number;
  readonly frames: readonly GoldenFrame[];
  readonly prints: readonly { readonly expression: string; readonly output: string }[];
}

export interface Golden {
  readonly elf: string;
  readonly gdb: string;
  readonly stops: readonly GoldenStop[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function gdbQuote(expression: string): string {
  return expression;
}

/**
 * A print entry as a gdb command: `whatis EXPR` / `ptype EXPR` run as they are, `frame N: EXPR`
 * prints in frame N (without changing the selected frame), anything else is `print EXPR`.
 */
export function gdbCommand(entry: string): string {
  const inFrame = /^frame (\d+): (.*)$/.exec(entry);
  if (inFrame) return `frame apply level ${inFrame[1]} -q ${gdbCommand(inFrame[2]!)}`;
  return isTypeQuery(entry) ? entry : `print ${gdbQuote(entry)}`;
}

/** `whatis EXPR` / `ptype EXPR` entries run as they are; anything else is `print EXPR`. */
export function isTypeQuery(entry: string): boolean {
  return /^(whatis|ptype) /.test(entry);
}

export async function captureStop(elfPath: string, stop: OracleStop): Promise<GoldenStop> {
  const port = await freePort();
  const qemu = spawn(
    'qemu-system-riscv32',
    [
      '-M',
      'virt',
      '-bios',
      'none',
      '-display',
      'none',
      '-serial',
      'null',
      '-monitor',
      'none',
      '-S',
      '-gdb',
      `tcp:127.0.0.1:${port}`,
      '-kernel',
      elfPath,
    ],
    { stdio: 'ignore' },
  );
  try {
    await new Promise((r) => setTimeout(r, 300));
    const commands = [
      'set pagination off',
      'set confirm off',
      'set width 0',
      'set height 0',
      `target remote 127.0.0.1:${port}`,
      `break ${stop.location}`,
      ...(stop.hit && stop.hit > 1 ? [`ignore 1 ${stop.hit - 1}`] : []),
      'continue',
      'echo @@BREAKPOINTS\\n',
      'info breakpoints',
      'echo @@PC\\n',
      'p/x $pc',
    ];
    for (const level of stop.frames) {
      commands.push(`echo @@FRAME ${level}\\n`, `frame ${level}`, 'echo @@ARGS\\n', 'info args');
      commands.push('echo @@LOCALS\\n', 'info locals');
    }
    commands.push('echo @@ENDFRAMES\\n', 'frame 0');
    for (const expression of stop.prints ?? [])
      commands.push(
        'echo @@PRINT\\n',
        // `step-into F`: step from this line into F and report the pc where gdb stops.
        ...(/^step-into /.test(expression)
          ? ['step', 'echo @@STEPPC\\n', 'p/x $pc']
          : [gdbCommand(expression)]),
      );
    commands.push('echo @@END\\n', 'kill');
    const script = commands.map((c) => `-ex '${c.replace(/'/g, "'\\''")}'`).join(' ');
    const run = spawnSync(
      'sh',
      [
        '-c',
        `gdb-multiarch -nx -batch -ex 'set architecture riscv:rv32' ${script} '${elfPath}' 2>&1`,
      ],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } },
    );
    return parseTranscript(stop, run.stdout);
  } finally {
    qemu.kill('SIGKILL');
  }
}

const between = (text: string, start: string, end: string) => {
  const from = text.indexOf(start);
  if (from < 0) return '';
  const rest = text.slice(from + start.length);
  const to = rest.indexOf(end);
  return to < 0 ? rest : rest.slice(0, to);
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');

export function parseTranscript(stop: OracleStop, out: string): GoldenStop {
  if (out.includes('internal-error'))
    throw new Error(`gdb crashed at stop ${stop.id}; not an oracle:\n${out}`);
  const bp = between(out, '@@BREAKPOINTS\n', '@@PC\n');
  const breakpointAddresses = [...bp.matchAll(/\b(0x[0-9a-f]{8}) in /g)].map((m) => Number(m[1]));
  const pcText = between(out, '@@PC\n', '@@');
  const pcMatch = /= (0x[0-9a-f]+)/.exec(pcText);
  if (!pcMatch) throw new Error(`gdb did not stop at ${stop.location}:\n${out}`);
  const frames: GoldenFrame[] = [];
  const frameChunks = between(out, '@@FRAME ', '@@ENDFRAMES').split('@@FRAME ');
  for (const chunk of frameChunks) {
    const level = Number(/^(\d+)/.exec(chunk)?.[1]);
    if (/No frame at level/.test(chunk)) continue;
    const header = between(chunk, '\n', '@@ARGS');
    const fn = /^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(/m.exec(header)?.[1] ?? '?';
    frames.push({
      level,
      function: fn,
      args: lines(between(chunk, '@@ARGS\n', '@@LOCALS')),
      locals: lines(chunk.slice(chunk.indexOf('@@LOCALS\n') + '@@LOCALS\n'.length)),
    });
  }
  const printChunks = between(out, '@@PRINT\n', '@@END').split('@@PRINT\n');
  const prints = (stop.prints ?? []).map((expression, i) => {
    const chunk = printChunks[i] ?? '';
    const stepped = chunk.indexOf('@@STEPPC\n');
    const text = (stepped >= 0 ? chunk.slice(stepped + '@@STEPPC\n'.length) : chunk).trimEnd();
    return { expression, output: text.replace(/^\$\d+ = /, '') };
  });
  return {
    id: stop.id,
    breakpointAddresses: [...new Set(breakpointAddresses)],
    pc: Number(pcMatch[1]),
    frames,
    prints,
  };
}

export function gdbVersion(): string {
  const r = spawnSync('gdb-multiarch', ['--version'], { encoding: 'utf8' });
  return r.stdout.split('\n')[0] ?? '';
}
