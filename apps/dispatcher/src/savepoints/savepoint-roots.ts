import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BadOperationRequestError } from '../operations/operations.errors.js';

export const SAVEPOINT_ROOTS = Symbol('SAVEPOINT_ROOTS');

/** A path or `file:` URI as a local absolute path; undefined when it is neither. */
function localPath(path: string): string | undefined {
  if (path.startsWith('file:')) {
    try {
      return fileURLToPath(new URL(path));
    } catch {
      return undefined;
    }
  }
  return isAbsolute(path) ? resolve(path) : undefined;
}

/** `path` with symbolic links of its longest existing prefix resolved. */
async function realLocation(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await realLocation(parent), basename(path));
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The directories the REST API may write savepoints into and dispose them from
 * (`EDDY_SAVEPOINT_ROOTS`): a client names only absolute paths inside one of them, symbolic links
 * resolved, so that no request writes or deletes elsewhere on the host.
 */
export class SavepointRoots {
  constructor(readonly roots: readonly string[]) {}

  /**
   * The local absolute form of `path` (what = how the request calls it) when it lies inside a
   * root; BadOperationRequestError naming it otherwise.
   */
  async check(path: string, what: string): Promise<string> {
    const local = localPath(path);
    if (local === undefined)
      throw new BadOperationRequestError(`The ${what} '${path}' is not an absolute path.`);
    const real = await realLocation(local);
    for (const root of this.roots) {
      if (isInside(await realLocation(resolve(root)), real)) return local;
    }
    throw new BadOperationRequestError(
      `The ${what} '${path}' is outside the allowed savepoint directories (EDDY_SAVEPOINT_ROOTS): ${this.roots.join(', ')}.`,
    );
  }
}
