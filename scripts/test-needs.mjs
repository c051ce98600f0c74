// What a test file needs besides Node and the npm dependencies, declared on a line of its own:
//
//   // test-needs: chromium, qemu
//
// scripts/run-tests.mjs leaves files that declare a need out of `--quick`, and scripts/test-guard.mjs
// lets a test process start only the programs of the needs its file declares: starting an
// undeclared one fails the file, in every run. So the quick suite provably starts no browser, no
// code-server, no QEMU and no RISC-V toolchain. (The e2e suite needs code-server and Chromium by
// definition and is not guarded.)

/** Each need: what it is and the programs (by file name) that belong to it. */
export const NEEDS = {
  chromium: {
    what: 'headless Chromium (Debian package chromium), driven by playwright-core',
    programs: [
      /^(chromium|chromium-browser|chrome|google-chrome|chrome-headless-shell|headless_shell)$/,
    ],
  },
  'code-server': {
    what: "VS Code's web build (scripts/e2e/install-code-server.sh)",
    programs: [/^code-server$/],
  },
  qemu: {
    what: 'QEMU (qemu-system-riscv32 from qemu-system-misc)',
    programs: [/^qemu-/],
  },
  'riscv-toolchain': {
    what: 'the RISC-V cross toolchain: gcc, binutils (as, ld, objdump, nm...), gdb, dtc',
    programs: [/^riscv(32|64)-unknown-elf-/, /^gdb(-multiarch)?$/, /^dtc$/],
  },
};

const MARKER = /^\/\/ test-needs:(.*)$/gm;

/**
 * The needs a test file's source declares. Throws on a need that is not in NEEDS, so a typo cannot
 * quietly put a file in the quick suite.
 */
export function declaredNeeds(source, file = 'a test file') {
  const needs = [];
  for (const m of source.matchAll(MARKER)) {
    for (const word of m[1].split(',').map((w) => w.trim())) {
      if (!Object.hasOwn(NEEDS, word)) {
        throw new Error(
          `${file}: unknown need "${word}" in "${m[0]}" (known: ${Object.keys(NEEDS).join(', ')})`,
        );
      }
      if (!needs.includes(word)) needs.push(word);
    }
  }
  return needs;
}

/** The need a program belongs to (by its file name), or undefined for anything else. */
export function needOfProgram(program) {
  const name = String(program).split('/').pop();
  for (const [need, { programs }] of Object.entries(NEEDS)) {
    if (programs.some((re) => re.test(name))) return need;
  }
  return undefined;
}
