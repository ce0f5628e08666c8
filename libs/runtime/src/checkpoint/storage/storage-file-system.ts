import { randomBytes } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { IllegalArgumentError } from '../../core/errors.js';

/**
 * The file operations checkpoint storage uses: a subset of `node:fs/promises`, so tests can inject
 * failures (a rename that never happens simulates a crash before a file is published).
 */
export type StorageFileSystem = Pick<
  typeof fsPromises,
  'open' | 'rename' | 'rm' | 'mkdir' | 'readFile' | 'stat' | 'readdir'
>;

/** The real local file system. */
export const LOCAL_FILE_SYSTEM: StorageFileSystem = fsPromises;

/** The name of a snapshot's self-description inside its directory. */
export const METADATA_FILE_NAME = '_metadata';

/** The marker in the names of files still being written; no reader ever opens them. */
export const IN_PROGRESS_MARKER = '.inprogress-';

/** `count` random bytes as lowercase hex (2·count characters). */
export function randomHex(count: number): string {
  return randomBytes(count).toString('hex');
}

/** The temporary name a file is written under before it is renamed to `name` (same directory). */
export function inProgressName(name: string): string {
  return `.${name}${IN_PROGRESS_MARKER}${randomHex(8)}`;
}

/** Whether a file name is a temporary one (see {@link inProgressName}). */
export function isInProgressName(name: string): boolean {
  return name.startsWith('.') && name.includes(IN_PROGRESS_MARKER);
}

/**
 * A configured or given directory as an absolute local path: `file:` URIs are accepted, relative
 * paths resolve against the working directory, other schemes (s3://, hdfs://) are refused.
 */
export function toAbsoluteLocalPath(location: string, what: string): string {
  const trimmed = location.trim();
  if (trimmed === '') throw new IllegalArgumentError(`The ${what} must not be empty.`);
  if (trimmed.startsWith('file:')) return path.resolve(fileURLToPath(trimmed));
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//.exec(trimmed);
  if (scheme !== null) {
    throw new IllegalArgumentError(
      `The ${what} '${trimmed}' uses the file system scheme '${scheme[1] ?? ''}', which Eddy does not ` +
        'support: use a local path or a file:// URI.',
    );
  }
  return path.resolve(trimmed);
}

/** Whether an error is Node's "no such file or directory". */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** The kind of entry at a path, or null when there is none. */
export async function entryKind(
  fs: StorageFileSystem,
  target: string,
): Promise<'file' | 'directory' | 'other' | null> {
  try {
    const stats = await fs.stat(target);
    return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Publishes `bytes` as `<directory>/<name>` atomically: writes them under a temporary name in the
 * same directory, fsyncs, then renames. A crash at any point leaves either no file under `name` or
 * the complete one; a leftover temporary file is never read. With `exclusive`, an existing file
 * under `name` makes the call fail instead of being replaced.
 */
export async function writeFileAtomically(
  fs: StorageFileSystem,
  directory: string,
  name: string,
  bytes: Uint8Array,
  options: { exclusive?: boolean } = {},
): Promise<void> {
  const finalPath = path.join(directory, name);
  const tempPath = path.join(directory, inProgressName(name));
  try {
    const handle = await fs.open(tempPath, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive === true && (await entryKind(fs, finalPath)) !== null) {
      throw new IllegalArgumentError(`Cannot write ${finalPath}: the file already exists.`);
    }
    await fs.rename(tempPath, finalPath);
  } catch (error) {
    await fs.rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(fs, directory);
}

/**
 * Makes a rename in `directory` durable (fsync of the directory). Best effort: some platforms
 * cannot open a directory for syncing, and the rename itself is already atomic.
 */
async function syncDirectory(fs: StorageFileSystem, directory: string): Promise<void> {
  try {
    const handle = await fs.open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (for example EISDIR or EPERM on Windows): the data is still in place.
  }
}

/**
 * Whether `relativePath` stays inside the directory it is relative to: not absolute, no `..`
 * segment, not empty. Handles from a `_metadata` file are checked so a crafted snapshot cannot
 * read or name files elsewhere.
 */
export function isContainedRelativePath(relativePath: string): boolean {
  if (relativePath === '' || path.isAbsolute(relativePath) || relativePath.includes('\0')) return false;
  return relativePath.split(/[\\/]/).every((segment) => segment !== '..' && segment !== '');
}
