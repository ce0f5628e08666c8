import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

import { IllegalArgumentError } from '../../core/errors.js';
import { InvalidSourceStateError } from '../errors.js';
import type { Output } from '../stream-operator.js';
import type { ReaderStatus, Source, SourceReader, SourceReaderContext } from './source-reader.js';

/** Where reading a file stands: the byte offset of the next unread line and how many lines came before. */
export interface TextFileSplit {
  readonly path: string;
  readonly offset: number;
  readonly line: number;
}

/** Bytes read from a file at once. */
const CHUNK_SIZE = 64 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const AVAILABLE = Promise.resolve();

/**
 * The lines of text files, UTF-8, without their line ends (`\n` or `\r\n`) (Flink's TextLineInputFormat
 * through a FileSource). File j is read by subtask `j % parallelism`; its position is the byte offset
 * of the next line, so a restore reads on from exactly there. Files are read in chunks without
 * blocking the event loop: while a chunk is loading the reader reports NOTHING_AVAILABLE.
 */
export class TextFileSource implements Source<string> {
  readonly name: string;
  readonly paths: readonly string[];

  constructor(paths: string | readonly string[]) {
    this.paths = typeof paths === 'string' ? [paths] : [...paths];
    if (this.paths.length === 0)
      throw new IllegalArgumentError('A text file source needs at least one file.');
    this.name = `Text file ${this.paths.join(', ')}`;
  }

  createReader(): SourceReader<string> {
    return new TextFileReader(this);
  }
}

interface MutableSplit {
  path: string;
  offset: number;
  line: number;
}

class TextFileReader implements SourceReader<string> {
  private splits: MutableSplit[] = [];
  private restored = false;
  private handle: FileHandle | undefined;
  /** Unconsumed bytes of the current split, starting at its offset. */
  private pending: Buffer = Buffer.alloc(0);
  /** The file has no bytes after `pending`. */
  private endOfFile = false;
  private loading: Promise<void> | undefined;
  private failure: { readonly error: unknown } | undefined;
  private closed = false;

  constructor(private readonly source: TextFileSource) {}

  restoreState(splits: readonly unknown[]): void {
    this.restored = true;
    this.splits = splits.map((split) => {
      const candidate = split as Partial<TextFileSplit> | null;
      if (
        typeof candidate !== 'object' ||
        candidate === null ||
        typeof candidate.path !== 'string' ||
        !Number.isSafeInteger(candidate.offset) ||
        !Number.isSafeInteger(candidate.line)
      ) {
        throw new InvalidSourceStateError(
          this.source.name,
          `${JSON.stringify(split)} is not a text file split.`,
        );
      }
      return { path: candidate.path, offset: candidate.offset as number, line: candidate.line as number };
    });
  }

  open(context: SourceReaderContext): void {
    if (this.restored) return;
    this.splits = this.source.paths
      .filter((_, index) => index % context.parallelism === context.subtaskIndex)
      .map((path) => ({ path, offset: 0, line: 0 }));
  }

  pollNext(output: Output<string>, maxRecords: number): ReaderStatus {
    if (this.failure !== undefined) {
      const { error } = this.failure;
      throw error instanceof Error ? error : new Error(String(error));
    }
    let emitted = 0;
    while (emitted < maxRecords) {
      const split = this.splits[0];
      if (split === undefined) return 'END';
      const pending = this.pending;
      const newline = pending.indexOf(NEWLINE);
      if (newline >= 0 || (this.endOfFile && pending.length > 0)) {
        const lineEnd = newline >= 0 ? newline : pending.length;
        const consumed = newline >= 0 ? newline + 1 : pending.length;
        const textEnd = lineEnd > 0 && pending[lineEnd - 1] === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd;
        output.collect(pending.toString('utf8', 0, textEnd));
        emitted++;
        this.pending = pending.subarray(consumed);
        split.offset += consumed;
        split.line++;
        continue;
      }
      if (this.endOfFile) {
        this.finishSplit();
        continue;
      }
      this.load(split);
      return emitted > 0 ? 'MORE' : 'NOTHING_AVAILABLE';
    }
    return 'MORE';
  }

  getAvailableFuture(): Promise<void> {
    return this.loading ?? AVAILABLE;
  }

  snapshotState(): TextFileSplit[] {
    return this.splits.map(({ path, offset, line }) => ({ path, offset, line }));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.splits = [];
    await this.loading;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  /** Starts loading the next chunk of `split` (once); the loading promise never rejects. */
  private load(split: TextFileSplit): void {
    if (this.loading !== undefined) return;
    this.loading = this.readChunk(split)
      .catch((error: unknown) => {
        this.failure = { error };
      })
      .finally(() => {
        this.loading = undefined;
      });
  }

  private async readChunk(split: TextFileSplit): Promise<void> {
    let handle = this.handle;
    if (handle === undefined) {
      handle = await open(split.path, 'r');
      if (this.closed) {
        await handle.close();
        return;
      }
      this.handle = handle;
    }
    const position = split.offset + this.pending.length;
    const chunk = Buffer.allocUnsafe(CHUNK_SIZE);
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_SIZE, position);
    if (bytesRead === 0) this.endOfFile = true;
    else this.pending = Buffer.concat([this.pending, chunk.subarray(0, bytesRead)]);
  }

  private finishSplit(): void {
    this.splits.shift();
    this.pending = Buffer.alloc(0);
    this.endOfFile = false;
    const handle = this.handle;
    this.handle = undefined;
    void handle?.close().catch(() => undefined);
  }
}
