import { IllegalArgumentError } from '../core/errors.js';

/** How a job restored from a snapshot treats it (Flink's RecoveryClaimMode); NO_CLAIM is the default. */
export type RestoreClaimMode = 'NO_CLAIM' | 'CLAIM' | 'LEGACY';
const CLAIM_MODES: readonly RestoreClaimMode[] = ['NO_CLAIM', 'CLAIM', 'LEGACY'];

export interface SavepointRestoreSettingsJson {
  readonly path: string;
  readonly allowNonRestoredState: boolean;
  readonly claimMode: RestoreClaimMode;
}

/**
 * The snapshot a job starts from (Flink's SavepointRestoreSettings): its path, whether state of
 * operators that no longer exist may be skipped (`allowNonRestoredState`, default false), and the
 * claim mode (default NO_CLAIM: Eddy never deletes the snapshot).
 */
export class SavepointRestoreSettings {
  private static readonly NONE = new SavepointRestoreSettings(undefined, false, 'NO_CLAIM');

  private constructor(
    private readonly path: string | undefined,
    private readonly allowNonRestored: boolean,
    private readonly claimMode: RestoreClaimMode,
  ) {}

  static none(): SavepointRestoreSettings {
    return SavepointRestoreSettings.NONE;
  }

  static forPath(
    path: string,
    allowNonRestoredState = false,
    claimMode: RestoreClaimMode = 'NO_CLAIM',
  ): SavepointRestoreSettings {
    if (path.trim().length === 0) throw new IllegalArgumentError('A savepoint path must not be empty.');
    if (!CLAIM_MODES.includes(claimMode)) {
      throw new IllegalArgumentError(`Unknown claim mode '${claimMode}': use ${CLAIM_MODES.join(', ')}.`);
    }
    return new SavepointRestoreSettings(path, allowNonRestoredState, claimMode);
  }

  static fromJson(json: SavepointRestoreSettingsJson): SavepointRestoreSettings {
    return SavepointRestoreSettings.forPath(json.path, json.allowNonRestoredState, json.claimMode);
  }

  restoreSavepoint(): boolean {
    return this.path !== undefined;
  }
  getRestorePath(): string | undefined {
    return this.path;
  }
  allowNonRestoredState(): boolean {
    return this.allowNonRestored;
  }
  getRecoveryClaimMode(): RestoreClaimMode {
    return this.claimMode;
  }
  toJson(): SavepointRestoreSettingsJson | null {
    return this.path === undefined
      ? null
      : { path: this.path, allowNonRestoredState: this.allowNonRestored, claimMode: this.claimMode };
  }
}
