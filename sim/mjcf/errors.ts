// MjcfError: a loader error that names the offending element path and attribute.

/**
 * Thrown for any MJCF input the loader rejects. The message reads
 * `<path>.<field>: <what was wrong>` (or `<path>: ...` when no single attribute is at fault),
 * prefixed with `<source>: ` when a source name was given to the loader.
 */
export class MjcfError extends Error {
  /** Element path such as `worldbody/body[thigh]/geom[0]` (root `mujoco` omitted; '' for the root). */
  readonly path: string;
  /** Attribute name, when one attribute is at fault. */
  readonly field?: string;
  /** What was wrong, without the location prefix. */
  readonly detail: string;

  constructor(path: string, field: string | undefined, detail: string, source?: string) {
    const where = `${path || 'mujoco'}${field === undefined ? '' : `.${field}`}`;
    super(`${source ? `${source}: ` : ''}${where}: ${detail}`);
    this.name = 'MjcfError';
    this.path = path;
    this.detail = detail;
    if (field !== undefined) this.field = field;
  }
}

/** Throws an {@link MjcfError} for `path` / `field`. */
export function fail(path: string, field: string | undefined, detail: string): never {
  throw new MjcfError(path, field, detail);
}
