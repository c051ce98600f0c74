// Topology benchmarks of the memory engine, timed in process CPU time (the 2-core box is shared,
// so wall time mostly measures the neighbours). Prints `name: number unit` lines:
//   render.1k / render.10k / render.100k  ms to render a flat view of a nested map of that many regions
//   render.growth                          render.100k / render.10k (n log n would be ~12.5); the
//                                          sizes run in interleaved rounds, figures are medians
//   toggle.10k                             ms to commit one enable/disable on the 10k map
//   toggle.10k.listener                    the same with one listener on the address space
//   lookup.random                          million lookups per second over a 10k-range view
//   lookup.baseline-bsearch                a bare Float64Array binary search, same addresses, same run
import {
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  createRam,
  flatViewRoot,
  type MemoryRegion,
} from '../src/engine/index';

const ops = { read: () => 0, write: () => undefined };

/**
 * A realistic nested map of about @n regions: a 2^64 system with 16 "bridges" (containers of
 * 1 GiB), each holding buses of 64 devices (mostly MMIO, some RAM, a few with their own
 * subregions), plus aliases of RAM windows and a low-priority background region per bridge.
 */
function buildMap(n: number): { sys: MemorySystem; root: MemoryRegion; devices: MemoryRegion[] } {
  const sys = new MemorySystem();
  const root = createContainer(sys, 'system', 1n << 64n);
  const devices: MemoryRegion[] = [];
  let count = 1;
  sys.transaction(() => {
    const ram = createRam(sys, 'dram', 0x1000_0000, { sparse: true });
    root.addSubregion(0x8000_0000n, ram);
    count++;
    const perBridge = Math.ceil(n / 16);
    for (let b = 0; b < 16 && count < n; b++) {
      const bridge = createContainer(sys, `bridge${b}`, 0x4000_0000);
      root.addSubregion(BigInt(0x1_0000_0000 + b * 0x4000_0000), bridge);
      bridge.addSubregionOverlap(0, createIo(sys, `bridge${b}.bg`, 0x4000_0000, ops), -1);
      count += 2;
      const buses = Math.max(1, Math.ceil(perBridge / 66));
      for (let u = 0; u < buses && count < n; u++) {
        const bus = createContainer(sys, `bus${b}.${u}`, 0x10_0000);
        bridge.addSubregion(BigInt(u * 0x10_0000), bus);
        count++;
        for (let d = 0; d < 64 && count < n; d++) {
          const off = BigInt(d * 0x1000);
          let dev: MemoryRegion;
          if (d % 16 === 5) {
            dev = createAlias(
              sys,
              `win${b}.${u}.${d}`,
              ram,
              BigInt(((b * 64 + d) * 0x1000) % 0x0fff_0000),
              0x1000,
            );
          } else if (d % 8 === 3) {
            dev = createRam(sys, `sram${b}.${u}.${d}`, 0x1000);
          } else {
            dev = createIo(sys, `dev${b}.${u}.${d}`, 0x1000, ops);
            if (d % 32 === 7) {
              dev.addSubregionOverlap(0x800, createIo(sys, `dev${b}.${u}.${d}.sub`, 0x100, ops), 1);
              count++;
            }
          }
          bus.addSubregion(off, dev);
          devices.push(dev);
          count++;
        }
      }
    }
  });
  return { sys, root, devices };
}

/** CPU milliseconds of this process (user + system): steadier than wall time on a shared box. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Mean CPU ms per call of @fn, repeated for at least @minMs of CPU time after a warm-up. */
function timeMs(fn: () => void, minMs = 300): number {
  fn();
  let iterations = 0;
  const start = cpuMs();
  let elapsed = 0;
  do {
    fn();
    iterations++;
    elapsed = cpuMs() - start;
  } while (elapsed < minMs);
  return elapsed / iterations;
}

function print(name: string, value: number, unit: string): void {
  console.log(`${name}: ${value.toFixed(value < 10 ? 3 : 1)} ${unit}`);
}

{
  // The three sizes are timed in interleaved rounds (each round a mean over many renders, GC
  // included) and each figure is the median of its rounds: the load of the shared box drifts
  // within seconds, and timing the sizes one after the other let that drift into the ratio.
  const sizes = [
    ['1k', 1_000, 100],
    ['10k', 10_000, 150],
    ['100k', 100_000, 400],
  ] as const;
  const maps = sizes.map(([, n]) => {
    const { sys, root } = buildMap(n);
    const flatRoot = flatViewRoot(root);
    return () => void sys.renderFull(flatRoot);
  });
  const rounds: number[][] = sizes.map(() => []);
  for (let r = 0; r < 5; r++) {
    sizes.forEach(([, , minMs], k) => rounds[k]!.push(timeMs(maps[k]!, minMs)));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const renders = rounds.map(median);
  sizes.forEach(([label], k) => print(`render.${label}`, renders[k]!, 'ms'));
  print('render.growth', renders[2]! / renders[1]!, 'x');
}

{
  const { sys, root, devices } = buildMap(10_000);
  const as = sys.createAddressSpace(root, 'memory');
  const target = devices[Math.floor(devices.length / 2)]!;
  let on = false;
  print(
    'toggle.10k',
    timeMs(() => target.setEnabled((on = !on))),
    'ms',
  );
  let events = 0;
  sys.registerListener(
    { regionAdd: () => events++, regionDel: () => events++, regionNop: () => events++ },
    as,
  );
  print(
    'toggle.10k.listener',
    timeMs(() => target.setEnabled((on = !on))),
    'ms',
  );
  if (events === 0) throw new Error('listener saw nothing');
  print('ranges.10k', as.flatView.ranges.length, 'ranges');

  const view = as.flatView;
  const starts = view.ranges.map((r) => Number(r.start));
  const addrs = new Float64Array(1 << 16);
  let seed = 12345;
  for (let i = 0; i < addrs.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const r = view.ranges[seed % starts.length]!;
    addrs[i] = starts[seed % starts.length]! + (seed % Number(r.size));
  }
  let hits = 0;
  const lookups = () => {
    for (let i = 0; i < addrs.length; i++) if (view.lookup(addrs[i]!) !== null) hits++;
  };
  const ms = timeMs(lookups, 500);
  if (hits === 0) throw new Error('no lookup hit');
  print('lookup.random', addrs.length / ms / 1000, 'M/s');
  // The same addresses through a bare binary search over a Float64Array of range starts, in
  // the same run: what this box does without any index (shared CPUs slow both alike).
  const startArray = Float64Array.from(starts);
  let found = 0;
  const bare = () => {
    for (let i = 0; i < addrs.length; i++) {
      const a = addrs[i]!;
      let lo = 0;
      let hi = startArray.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (startArray[mid]! > a) hi = mid;
        else lo = mid + 1;
      }
      found += lo;
    }
  };
  const bareMs = timeMs(bare, 500);
  if (found === 0) throw new Error('baseline found nothing');
  print('lookup.baseline-bsearch', addrs.length / bareMs / 1000, 'M/s');
}
