import { IllegalStateError } from '../../core/errors.js';
import type { JobID } from '../../core/ids.js';
import type { StreamStateHandle } from '../../state/state-handles.js';
import type {
  CheckpointMetadataJson,
  CheckpointStorage,
  CheckpointStorageLocation,
  CheckpointStreamFactory,
  CompletedCheckpointStorageLocation,
} from '../storage/checkpoint-storage.js';

/** What an {@link InMemoryCheckpointStorage} does. Every field is optional. */
export interface InMemoryCheckpointStorageOptions {
  /** Default savepoint parent directory; null (the default) means savepoints need a target. */
  readonly savepointDirectory?: string | null;
  /** Checkpoint parent directory. Default `/checkpoints`. */
  readonly checkpointDirectory?: string;
}

/** One location the storage handed out, with what happened to it. */
export interface RecordedLocation {
  readonly checkpointId: number;
  readonly kind: 'checkpoint' | 'savepoint';
  readonly directory: string;
  /** The metadata `finalize` wrote, if it did. */
  finalizedMetadata: CheckpointMetadataJson | undefined;
  disposed: boolean;
}

/**
 * A CheckpointStorage for coordinator tests: keeps `_metadata` in memory and records every location,
 * finalize and dispose. Failures can be injected per call.
 */
export class InMemoryCheckpointStorage implements CheckpointStorage {
  readonly locations: RecordedLocation[] = [];
  /** `_metadata` by external pointer, for snapshots finalized and not disposed. */
  readonly snapshots = new Map<string, CheckpointMetadataJson>();
  /** When set, the next initializeLocation* call rejects with it (then it is cleared). */
  failNextInitialize: Error | undefined;
  /** When set, every finalize rejects with it. */
  failFinalize: Error | undefined;
  /** When set, location creation waits for this promise (to test aborts during initialization). */
  initializeGate: Promise<void> | undefined;
  private readonly savepointDirectory: string | null;
  private readonly checkpointDirectory: string;

  constructor(options: InMemoryCheckpointStorageOptions = {}) {
    this.savepointDirectory = options.savepointDirectory ?? null;
    this.checkpointDirectory = options.checkpointDirectory ?? '/checkpoints';
  }

  async initializeLocationForCheckpoint(
    jobId: JobID,
    checkpointId: number,
  ): Promise<CheckpointStorageLocation> {
    await this.beforeInitialize();
    return this.newLocation(
      checkpointId,
      'checkpoint',
      `${this.checkpointDirectory}/${jobId}/chk-${checkpointId}`,
    );
  }

  async initializeLocationForSavepoint(
    jobId: JobID,
    checkpointId: number,
    targetDirectory: string | null,
  ): Promise<CheckpointStorageLocation> {
    await this.beforeInitialize();
    const parent = targetDirectory ?? this.savepointDirectory;
    if (parent === null) throw new IllegalStateError('No savepoint directory configured.');
    return this.newLocation(
      checkpointId,
      'savepoint',
      `${parent}/savepoint-${jobId.slice(0, 6)}-${checkpointId}`,
    );
  }

  createStreamFactory(_targetLocation: string | null): CheckpointStreamFactory {
    return {
      write: (bytes: Uint8Array) =>
        Promise.resolve({ type: 'bytes', data: Buffer.from(bytes).toString('base64'), size: bytes.length }),
    };
  }

  resolveCheckpoint(pointer: string): Promise<CompletedCheckpointStorageLocation> {
    const metadata = this.snapshots.get(pointer);
    if (metadata === undefined) return Promise.reject(new IllegalStateError(`No snapshot at ${pointer}.`));
    return Promise.resolve({ metadata, externalPointer: pointer, baseDirectory: pointer });
  }

  readState(handle: StreamStateHandle, _baseDirectory: string | null): Promise<Uint8Array> {
    if (handle.type !== 'bytes') return Promise.reject(new IllegalStateError('Only inline state here.'));
    return Promise.resolve(Buffer.from(handle.data, 'base64'));
  }

  disposeSnapshot(pointer: string): Promise<void> {
    this.snapshots.delete(pointer);
    return Promise.resolve();
  }

  hasDefaultSavepointLocation(): boolean {
    return this.savepointDirectory !== null;
  }

  /** The recorded location of `checkpointId`. */
  location(checkpointId: number): RecordedLocation | undefined {
    return this.locations.find((l) => l.checkpointId === checkpointId);
  }

  private async beforeInitialize(): Promise<void> {
    if (this.initializeGate !== undefined) await this.initializeGate;
    const failure = this.failNextInitialize;
    if (failure !== undefined) {
      this.failNextInitialize = undefined;
      throw failure;
    }
  }

  private newLocation(
    checkpointId: number,
    kind: RecordedLocation['kind'],
    directory: string,
  ): CheckpointStorageLocation {
    const recorded: RecordedLocation = {
      checkpointId,
      kind,
      directory,
      finalizedMetadata: undefined,
      disposed: false,
    };
    this.locations.push(recorded);
    return {
      checkpointId,
      directory,
      finalize: (metadata) => {
        if (this.failFinalize !== undefined) return Promise.reject(this.failFinalize);
        recorded.finalizedMetadata = metadata;
        this.snapshots.set(directory, metadata);
        return Promise.resolve(directory);
      },
      dispose: () => {
        recorded.disposed = true;
        this.snapshots.delete(directory);
        return Promise.resolve();
      },
    };
  }
}
