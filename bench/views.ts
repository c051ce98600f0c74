// Benchmarks of the views' data path, timed in process CPU time (the box is shared). Prints
// `name: number unit` lines:
//   views.capture.10k      ms to capture a 10k-region engine map as a TopologySnapshot
//   views.tree.diff.10k    ms for the Memory Tree model to take a new 10k snapshot with one change
//   views.tree.expand.10k  ms to expand every node of the 10k tree and build every item
//   views.resolve.10k      microseconds per "why this address?" on the 10k map
//   views.axis.10k         ms to cut and lay out the flat-view axis of 10k ranges
//   views.board.pc         ms to rebuild the snapshot of examples/pc-x86_64.board (one keystroke)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MemorySystem,
  createContainer,
  createIo,
  createRam,
  type MemoryRegion,
} from '../src/engine/index';
import { captureTopology } from '../src/snapshot';
import {
  MemoryTreeModel,
  type MemoryTreeElement,
  boardSnapshot,
} from '../src/extension/views/model';
import { indexTopology, resolveAddress } from '../src/protocol/index';
import { layoutAxis, segmentsOf } from '../src/webview/flatView';

const ops = { read: () => 0, write: () => undefined };

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Median CPU ms of `runs` runs of fn. */
function time(runs: number, fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = cpuMs();
    fn();
    samples.push(cpuMs() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

function buildMap(n: number): { system: MemorySystem; leaves: MemoryRegion[] } {
  const system = new MemorySystem();
  const root = createContainer(system, 'system', 1n << 32n);
  const leaves: MemoryRegion[] = [];
  system.transaction(() => {
    for (let g = 0; g * 100 < n; g++) {
      const bank = createContainer(system, `bank${g}`, 0x100000);
      root.addSubregion(g * 0x100000, bank);
      for (let i = 0; i < 100 && g * 100 + i < n; i++) {
        const mr =
          i % 3 === 0
            ? createRam(system, `r${g * 100 + i}`, 0x800, { sparse: true })
            : createIo(system, `r${g * 100 + i}`, 0x800, ops);
        bank.addSubregion(i * 0x1000, mr);
        leaves.push(mr);
      }
    }
  });
  system.createAddressSpace(root, 'memory');
  return { system, leaves };
}

const source = { kind: 'machine' as const, label: 'bench' };
const { system, leaves } = buildMap(10_000);
console.log(
  `views.capture.10k: ${time(5, () => captureTopology(system, { version: 1, source })).toFixed(1)} ms`,
);

const before = captureTopology(system, { version: 1, source }).snapshot;
leaves[4207]!.setEnabled(false);
const after = captureTopology(system, { version: 2, source }).snapshot;
const expandAll = (model: MemoryTreeModel) => {
  const visit = (e?: MemoryTreeElement): void =>
    model.getChildren(e).forEach((c) => {
      model.getItem(c);
      visit(c);
    });
  visit();
};
console.log(
  `views.tree.expand.10k: ${time(5, () => {
    const model = new MemoryTreeModel();
    model.setSnapshot(before);
    expandAll(model);
  }).toFixed(1)} ms`,
);
const model = new MemoryTreeModel();
let flip = false;
model.setSnapshot(before);
expandAll(model);
console.log(
  `views.tree.diff.10k: ${time(9, () => {
    flip = !flip;
    model.setSnapshot(flip ? after : before);
  }).toFixed(1)} ms`,
);

const index = indexTopology(after);
const addresses = Array.from({ length: 1000 }, (_, i) =>
  BigInt(((i * 7919) % 100) * 0x100000 + (i % 100) * 0x1000 + 0x10),
);
const resolveMs = time(5, () => {
  for (const a of addresses) resolveAddress(index, 'memory', a);
});
console.log(`views.resolve.10k: ${((resolveMs * 1000) / addresses.length).toFixed(1)} us`);

const flat = after.addressSpaces[0]!.flatView;
console.log(
  `views.axis.10k: ${time(9, () => layoutAxis(segmentsOf(flat, 1n << 32n), { width: 1200 })).toFixed(1)} ms`,
);

// Run from the repository root (npm run bench:views).
const pcPath = join(process.cwd(), 'examples', 'pc-x86_64.board');
const pcText = readFileSync(pcPath, 'utf8');
console.log(`views.board.pc: ${time(9, () => boardSnapshot(pcPath, pcText, 1)).toFixed(1)} ms`);
