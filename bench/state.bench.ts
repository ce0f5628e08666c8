/**
 * Keyed state on the heap (`HeapKeyedStateBackend`), measured next to same-run baselines.
 *
 * 1. Value state gets/s and updates/s over 500,000 existing keys (random non-negative 32-bit
 *    integers, accessed in a random order unrelated to their insertion order; each operation is
 *    `setCurrentKey(key)` then `value()` / `update(v)`, as in flink-benchmarks' ValueStateBenchmark).
 *    The log also shows the same with string keys. Baselines: a plain `Map` doing the same gets
 *    and sets with the same keys in the same order (same run), and Flink's heap backend figures
 *    (≈ 2.5 M gets/s, ≈ 4.6 M updates/s; published constants), which are also the targets.
 *    Median of 5 runs of 4 passes over the keys, after a warm-up.
 * 2. Snapshot and restore of 1,000,000 keys of value state, as MB/s of snapshot bytes. A snapshot
 *    is the synchronous `v8.serialize` plus writing the bytes to a file with fsync (the stream
 *    factory below, async I/O); a restore is reading the file, deserializing and adopting the key
 *    groups.
 *    Baseline: the disk's own write speed in the same run (the same number of bytes written with
 *    `fs.writeFileSync` + fsync to a temp dir, twice per run). Median of 3 runs after a warm-up.
 *    The restored key count is checked.
 *
 * Run alone: `npm run build && node --expose-gc --import tsx bench/state.bench.ts`.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { KeyGroupRange, StateReader, StreamStateHandle } from '@eddy/runtime';
import { HeapKeyedStateBackend, StateDescriptors } from '@eddy/runtime';

/** One figure, next to its baseline, as `run.ts` prints it. */
export interface BenchRow {
  name: string;
  figure: string;
  baseline: string;
  /** figure / baseline, e.g. `0.41×`. */
  ratio: string;
  /** e.g. `≥ 2.5 M/s`, or `-` without a target. */
  target: string;
  /** Whether the target is met; null without a target. */
  met: boolean | null;
}

const MAX_PARALLELISM = 128;
const FULL_RANGE: KeyGroupRange = { startKeyGroup: 0, endKeyGroup: MAX_PARALLELISM - 1 };
const ACCESS_KEYS = 500_000;
const ACCESS_PASSES = 4;
const SNAPSHOT_KEYS = 1_000_000;
const FLINK_HEAP_GETS_PER_SECOND = 2.5e6;
const FLINK_HEAP_UPDATES_PER_SECOND = 4.6e6;
const MB = 1024 * 1024;
const SNAPSHOT_OPTIONS: Parameters<HeapKeyedStateBackend<number>['snapshot']>[3] = {
  snapshotType: 'CHECKPOINT',
  drain: false,
  targetLocation: null,
};

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** `count` distinct random non-negative 32-bit integers, in random order (xorshift32, fixed seed). */
function randomKeys(count: number): number[] {
  const keys = new Set<number>();
  let x = 0x2545f491;
  while (keys.size < count) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    keys.add(x >>> 1);
  }
  return [...keys];
}

/** Writes bytes to a file and fsyncs it: what a snapshot file costs on this disk. */
function writeDurably(path: string, bytes: Uint8Array): void {
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A stream factory writing each piece of state to its own fsynced file in `directory`, with async
 * file I/O (the asynchronous phase of a snapshot).
 */
function fileStreamFactory(directory: string): {
  write(bytes: Uint8Array, nameHint: string): Promise<StreamStateHandle>;
} {
  let files = 0;
  return {
    async write(bytes, nameHint) {
      const relativePath = `${nameHint}-${files++}`;
      const file = await open(join(directory, relativePath), 'w');
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      return { type: 'file', relativePath, size: bytes.byteLength };
    },
  };
}

function fileReader(directory: string): StateReader {
  return (handle) =>
    handle.type === 'file'
      ? Promise.resolve(readFileSync(join(directory, handle.relativePath)))
      : Promise.resolve(Buffer.from(handle.data, 'base64'));
}

function perSecond(operations: number, ms: number): number {
  return (operations * 1000) / ms;
}

function formatRate(perSecondValue: number, unit: string): string {
  return `${(perSecondValue / 1e6).toFixed(2)} M ${unit}/s`;
}

function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}

/** Median ms of `runs` timed calls after one warm-up call. */
function timeMedian(runs: number, body: () => void): number {
  body();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    gc();
    const started = performance.now();
    body();
    times.push(performance.now() - started);
  }
  return median(times);
}

interface AccessFigures {
  readonly statePerSecond: number;
  readonly mapPerSecond: number;
}

/** `keys` in another random order (Fisher–Yates, fixed seed). */
function shuffled(keys: readonly number[]): number[] {
  const result = [...keys];
  let x = 0x9e3779b9;
  for (let i = result.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    const swap = result[i]!;
    result[i] = result[j]!;
    result[j] = swap;
  }
  return result;
}

/**
 * Gets and updates of existing keys in an order unrelated to their insertion order (a Map stores
 * its entries in insertion order, so replaying that order would measure the CPU cache instead).
 */
function measureAccess(inserted: readonly (number | string)[], access: readonly (number | string)[]) {
  const operations = access.length * ACCESS_PASSES;
  const backend = new HeapKeyedStateBackend<number | string>({
    keyGroupRange: FULL_RANGE,
    maxParallelism: MAX_PARALLELISM,
  });
  const state = backend.getValueState(StateDescriptors.value<number>('value', 0));
  const map = new Map<number | string, number>();
  for (let i = 0; i < inserted.length; i++) {
    backend.setCurrentKey(inserted[i]!);
    state.update(i);
    map.set(inserted[i]!, i);
  }
  let sink = 0;

  const stateUpdates = timeMedian(5, () => {
    for (let pass = 0; pass < ACCESS_PASSES; pass++) {
      for (let i = 0; i < access.length; i++) {
        backend.setCurrentKey(access[i]!);
        state.update(i + pass);
      }
    }
  });
  const mapUpdates = timeMedian(5, () => {
    for (let pass = 0; pass < ACCESS_PASSES; pass++) {
      for (let i = 0; i < access.length; i++) map.set(access[i]!, i + pass);
    }
  });
  const stateGets = timeMedian(5, () => {
    for (let pass = 0; pass < ACCESS_PASSES; pass++) {
      for (let i = 0; i < access.length; i++) {
        backend.setCurrentKey(access[i]!);
        sink += state.value()!;
      }
    }
  });
  const mapGets = timeMedian(5, () => {
    for (let pass = 0; pass < ACCESS_PASSES; pass++) {
      for (let i = 0; i < access.length; i++) sink += map.get(access[i]!)!;
    }
  });
  if (backend.numberOfKeys() !== inserted.length || map.size !== inserted.length || !Number.isFinite(sink)) {
    throw new Error(`Expected ${inserted.length} keys, the backend has ${backend.numberOfKeys()}.`);
  }
  backend.dispose();
  const figures = (stateMs: number, mapMs: number): AccessFigures => ({
    statePerSecond: perSecond(operations, stateMs),
    mapPerSecond: perSecond(operations, mapMs),
  });
  return { gets: figures(stateGets, mapGets), updates: figures(stateUpdates, mapUpdates) };
}

interface SnapshotFigures {
  readonly bytes: number;
  readonly snapshotMs: number;
  readonly syncMs: number;
  readonly restoreMs: number;
  readonly diskWriteMs: number;
}

async function measureSnapshotAndRestore(directory: string): Promise<SnapshotFigures> {
  const backend = new HeapKeyedStateBackend<number>({
    keyGroupRange: FULL_RANGE,
    maxParallelism: MAX_PARALLELISM,
  });
  const state = backend.getValueState(StateDescriptors.value<number>('value'));
  const keys = randomKeys(SNAPSHOT_KEYS);
  for (let i = 0; i < keys.length; i++) {
    backend.setCurrentKey(keys[i]!);
    state.update(i * 3);
  }
  const factory = fileStreamFactory(directory);
  const read = fileReader(directory);

  const snapshotTimes: number[] = [];
  const syncTimes: number[] = [];
  const restoreTimes: number[] = [];
  const diskTimes: number[] = [];
  let bytes = 0;
  for (let run = 0; run < 4; run++) {
    gc();
    const started = performance.now();
    const pending = backend.snapshot(run, Date.now(), factory, SNAPSHOT_OPTIONS);
    const synced = performance.now();
    const handle = await pending;
    const snapshotMs = performance.now() - started;
    if (handle === undefined) throw new Error('A snapshot of 1M keys was empty.');
    bytes = handle.stream.size;

    gc();
    const restored = new HeapKeyedStateBackend<number>({
      keyGroupRange: FULL_RANGE,
      maxParallelism: MAX_PARALLELISM,
    });
    const restoreStarted = performance.now();
    await restored.restore([handle], read);
    const restoreMs = performance.now() - restoreStarted;
    if (restored.numberOfKeys() !== SNAPSHOT_KEYS) {
      throw new Error(`Restored ${restored.numberOfKeys()} keys, expected ${SNAPSHOT_KEYS}.`);
    }
    restored.dispose();

    // The disk's own speed for the same bytes, twice per run (fsync times vary a lot on VMs).
    const filler = Buffer.alloc(bytes, 0x5a);
    for (let write = 0; write < 2; write++) {
      const diskStarted = performance.now();
      writeDurably(join(directory, `disk-${run}-${write}`), filler);
      if (run > 0) diskTimes.push(performance.now() - diskStarted);
    }

    if (run === 0) continue; // warm-up
    snapshotTimes.push(snapshotMs);
    syncTimes.push(synced - started);
    restoreTimes.push(restoreMs);
  }
  backend.dispose();
  return {
    bytes,
    snapshotMs: median(snapshotTimes),
    syncMs: median(syncTimes),
    restoreMs: median(restoreTimes),
    diskWriteMs: median(diskTimes),
  };
}

/** Runs the state benchmarks; `log` receives progress and detail lines. */
export async function runStateBenchmarks(log: (line: string) => void = () => undefined): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const keys = randomKeys(ACCESS_KEYS);
  const { gets, updates } = measureAccess(keys, shuffled(keys));
  // String keys as records carry them (flat strings, not the ones the state was written with).
  const stringKeys = keys.map((key) => `user-${key}`);
  const strings = measureAccess(
    stringKeys,
    JSON.parse(JSON.stringify(shuffled(keys).map((key) => `user-${key}`))) as string[],
  );
  const { gets: stringGets, updates: stringUpdates } = strings;
  log(
    `with string keys: ${formatRate(stringGets.statePerSecond, 'gets')} ` +
      `(Map ${formatRate(stringGets.mapPerSecond, 'gets')}), ` +
      `${formatRate(stringUpdates.statePerSecond, 'updates')} ` +
      `(Map ${formatRate(stringUpdates.mapPerSecond, 'updates')})`,
  );
  for (const [kind, figures, flink] of [
    ['gets', gets, FLINK_HEAP_GETS_PER_SECOND],
    ['updates', updates, FLINK_HEAP_UPDATES_PER_SECOND],
  ] as const) {
    log(
      `value state ${kind}: ${formatRate(figures.statePerSecond, kind)}, plain Map ` +
        `${formatRate(figures.mapPerSecond, kind)}, Flink heap ≈ ${formatRate(flink, kind)}`,
    );
    rows.push({
      name: `keyed value state ${kind} (500k keys)`,
      figure: formatRate(figures.statePerSecond, kind),
      baseline:
        `plain Map ${formatRate(figures.mapPerSecond, kind)} (same run); ` +
        `Flink heap ≈ ${formatRate(flink, kind)} (published)`,
      ratio: formatRatio(figures.statePerSecond / figures.mapPerSecond),
      target: `≥ ${formatRate(flink, kind)} (Flink heap)`,
      met: figures.statePerSecond >= flink,
    });
  }

  const directory = mkdtempSync(join(tmpdir(), 'eddy-state-bench-'));
  try {
    const figures = await measureSnapshotAndRestore(directory);
    const mb = figures.bytes / MB;
    const diskMbPerSecond = (mb * 1000) / figures.diskWriteMs;
    const disk = `disk write + fsync ${diskMbPerSecond.toFixed(1)} MB/s (same run)`;
    log(
      `1M keys: ${mb.toFixed(1)} MB; snapshot ${figures.snapshotMs.toFixed(1)} ms (sync phase ` +
        `${figures.syncMs.toFixed(1)} ms), restore ${figures.restoreMs.toFixed(1)} ms, the same bytes ` +
        `written + fsynced ${figures.diskWriteMs.toFixed(1)} ms`,
    );
    for (const [what, ms] of [
      ['snapshot (serialize + write + fsync)', figures.snapshotMs],
      ['restore (read + deserialize)', figures.restoreMs],
    ] as const) {
      const mbPerSecond = (mb * 1000) / ms;
      rows.push({
        name: `keyed ${what}, 1M keys`,
        figure: `${mbPerSecond.toFixed(1)} MB/s (${ms.toFixed(0)} ms for ${mb.toFixed(1)} MB)`,
        baseline: disk,
        ratio: formatRatio(mbPerSecond / diskMbPerSecond),
        target: '-',
        met: null,
      });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runStateBenchmarks((line) => {
    console.log(`  ${line}`);
  });
  console.table(rows);
}
