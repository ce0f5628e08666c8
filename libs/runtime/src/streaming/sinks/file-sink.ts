import { closeSync, openSync, writeSync } from 'node:fs';
import { access, mkdir, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import type { ListState } from '../../state/state-api.js';
import { StateDescriptors } from '../../state/state-api.js';
import { SinkOperator } from '../operators.js';
import type { Sink } from '../operators.js';
import type { StateInitializationContext } from '../stream-operator.js';

/** How a {@link FileSink} writes. */
export interface FileSinkOptions<IN> {
  /** One line per record (without the newline). Default: strings as they are, anything else as JSON. */
  readonly format?: (record: IN) => string;
}

/** A written part file waiting for its checkpoint to complete. */
export interface PendingPartFile {
  readonly subtask: number;
  readonly part: number;
  readonly checkpointId: number;
}

/** Name of the union list state of a file sink's pending part files. */
export const FILE_SINK_STATE = 'file-sink-pending-parts';
/** Characters buffered before they are written to the part file. */
const WRITE_BUFFER_CHARS = 64 * 1024;
const IN_PROGRESS = /^\.part-(\d+)-(\d+)\.inprogress$/;
const FINISHED = /^part-(\d+)-(\d+)$/;

/** The name of a part file being written or waiting for its commit. */
export function inProgressPartName(subtask: number, part: number): string {
  return `.part-${subtask}-${part}.inprogress`;
}

/** The name of a committed part file. */
export function finishedPartName(subtask: number, part: number): string {
  return `part-${subtask}-${part}`;
}

function defaultFormat(record: unknown): string {
  return typeof record === 'string' ? record : JSON.stringify(record);
}

/**
 * Writes records as lines to part files in `directory`, exactly once, by two-phase commit (Flink's
 * FileSink): the records between two checkpoints go to a hidden part file
 * `.part-<subtask>-<n>.inprogress`; the snapshot closes it and records it as pending in union list
 * state; when the checkpoint completes it is committed by renaming it to `part-<subtask>-<n>`. A
 * restore commits the pending files of the restored (completed) checkpoint, deletes in-progress
 * files written after it, and numbers new parts after the existing ones. At the end of the input
 * everything written is committed. Writes are synchronous and buffered (64 K characters).
 */
export class FileSink<IN = unknown> implements Sink<IN> {
  readonly name: string;
  private readonly format: (record: IN) => string;

  constructor(
    readonly directory: string,
    options: FileSinkOptions<IN> = {},
  ) {
    if (!path.isAbsolute(directory)) {
      throw new IllegalArgumentError(`A file sink needs an absolute directory, got '${directory}'.`);
    }
    this.format = options.format ?? defaultFormat;
    this.name = `File sink ${directory}`;
  }

  createOperator(): SinkOperator<IN> {
    return new FileSinkOperator<IN>(this.directory, this.format);
  }
}

interface InProgressPart {
  readonly part: number;
  readonly fd: number;
  chunks: string[];
  chars: number;
}

class FileSinkOperator<IN> extends SinkOperator<IN> {
  private subtask = 0;
  private state: ListState<PendingPartFile> | undefined;
  private pending: PendingPartFile[] = [];
  private inProgress: InProgressPart | undefined;
  private nextPart = 0;

  constructor(
    private readonly directory: string,
    private readonly format: (record: IN) => string,
  ) {
    super();
  }

  override async initializeState(context: StateInitializationContext): Promise<void> {
    const { indexOfThisSubtask, numberOfParallelSubtasks } = this.getContext().taskInfo;
    this.subtask = indexOfThisSubtask;
    await mkdir(this.directory, { recursive: true });
    const state = context
      .getOperatorStateBackend()
      .getUnionListState(StateDescriptors.list<PendingPartFile>(FILE_SINK_STATE));
    this.state = state;
    // Union state: every subtask sees every pending file; each commits those of the old subtasks it inherits.
    const restored = context.isRestored() ? [...state.get()] : [];
    state.clear();
    const owns = (subtask: number): boolean => subtask % numberOfParallelSubtasks === indexOfThisSubtask;
    for (const pending of restored) if (owns(pending.subtask)) await this.commit(pending);
    const known = new Set(restored.map((pending) => inProgressPartName(pending.subtask, pending.part)));
    let lastPart = -1;
    for (const name of await readdir(this.directory)) {
      const inProgress = IN_PROGRESS.exec(name);
      if (inProgress !== null && owns(Number(inProgress[1])) && !known.has(name)) {
        // Written after the restored checkpoint (or by an attempt that never checkpointed): replayed.
        await unlink(path.join(this.directory, name));
        continue;
      }
      const finished = FINISHED.exec(name);
      if (finished !== null && Number(finished[1]) === indexOfThisSubtask) {
        lastPart = Math.max(lastPart, Number(finished[2]));
      }
    }
    this.nextPart = lastPart + 1;
  }

  processElement(record: IN): void {
    const part = this.inProgress ?? this.openPart();
    const line = this.format(record) + '\n';
    part.chunks.push(line);
    part.chars += line.length;
    if (part.chars >= WRITE_BUFFER_CHARS) this.flush(part);
  }

  override snapshotState(checkpointId: number): void {
    const part = this.inProgress;
    if (part !== undefined) {
      this.closePart(part);
      this.pending.push({ subtask: this.subtask, part: part.part, checkpointId });
    }
    this.state?.update(this.pending);
  }

  override async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const ready = this.pending.filter((pending) => pending.checkpointId <= checkpointId);
    if (ready.length === 0) return;
    this.pending = this.pending.filter((pending) => pending.checkpointId > checkpointId);
    for (const pending of ready) await this.commit(pending);
  }

  override async endInput(): Promise<void> {
    const part = this.inProgress;
    if (part !== undefined) {
      this.closePart(part);
      this.pending.push({ subtask: this.subtask, part: part.part, checkpointId: Number.MAX_SAFE_INTEGER });
    }
    const all = this.pending;
    this.pending = [];
    for (const pending of all) await this.commit(pending);
  }

  override close(): void {
    // An unfinished part stays in progress: a restore deletes it, its records are replayed.
    const part = this.inProgress;
    this.inProgress = undefined;
    if (part !== undefined) closeSync(part.fd);
  }

  private openPart(): InProgressPart {
    const part = this.nextPart++;
    const fd = openSync(path.join(this.directory, inProgressPartName(this.subtask, part)), 'w');
    this.inProgress = { part, fd, chunks: [], chars: 0 };
    return this.inProgress;
  }

  private flush(part: InProgressPart): void {
    if (part.chunks.length === 0) return;
    writeSync(part.fd, part.chunks.join(''));
    part.chunks = [];
    part.chars = 0;
  }

  private closePart(part: InProgressPart): void {
    this.flush(part);
    this.inProgress = undefined;
    closeSync(part.fd);
  }

  /** Renames a pending part to its final name; a part committed before (by an earlier attempt) is fine. */
  private async commit(pending: PendingPartFile): Promise<void> {
    const from = path.join(this.directory, inProgressPartName(pending.subtask, pending.part));
    const to = path.join(this.directory, finishedPartName(pending.subtask, pending.part));
    try {
      await rename(from, to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const committed = await access(to).then(
        () => true,
        () => false,
      );
      if (!committed) {
        throw new IllegalStateError(
          `Part file ${from} of a completed checkpoint is missing: its records are lost.`,
          { cause: error },
        );
      }
    }
  }
}
