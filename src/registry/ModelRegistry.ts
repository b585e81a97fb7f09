import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { checksums, SourceError, writeFileAtomic } from '../core/index.js';

/** The file naming the active version (one line, e.g. `v0003`). */
const ACTIVE = 'ACTIVE';
const META = 'meta.json';
const VERSION = /^v(\d{4,})$/;
/** The files of a version that its SHA256SUMS records (those present). */
const SEALED = ['pipeline.json', 'report.json', META];

/** What a registry records about one version, in its meta.json. */
export interface VersionMeta {
  version: string;
  /** The version that was active when this one was published (null for the first). */
  parent: string | null;
  /** ISO time of publication. */
  created: string;
  /** The artifact's lineage: the command line or the spec that trained it. */
  lineage: unknown;
  /** A fingerprint of the data seen: the source, rows read, sha256 of the input column types (keys sorted). */
  data: { source: string | null; rows: number | null; schemaHash: string };
  task: string | null;
  metrics: Record<string, number | null>;
  /** Metrics on held-out rows or a test file, when the run had them. */
  test?: Record<string, number | null>;
  packages: { sluice: string | null; node: string };
}

export interface VersionInfo {
  version: string;
  /** The version's directory (pipeline.json, report.json, meta.json, SHA256SUMS). */
  dir: string;
  active: boolean;
  meta: VersionMeta;
}

/** Two versions side by side: metrics with b − a, the data fingerprint, task and lineage. */
export interface VersionDiff {
  a: string;
  b: string;
  task: { a: string | null; b: string | null; same: boolean };
  lineage: { a: unknown; b: unknown; same: boolean };
  data: { a: VersionMeta['data']; b: VersionMeta['data']; sameSchema: boolean; sameSource: boolean };
  metrics: Array<{ name: string; a: number | null; b: number | null; delta: number | null }>;
  test: Array<{ name: string; a: number | null; b: number | null; delta: number | null }>;
}

/**
 * Versions of a trained pipeline on disk. REG/v0001, REG/v0002 … each hold a saved directory
 * (pipeline.json, report.json) with meta.json (parent, lineage, data fingerprint, metrics,
 * package versions) and SHA256SUMS over all three; REG/ACTIVE names the version `loadPipeline(REG)`
 * and `sluice predict REG` use. A run saves into a staging directory (`stage()`); `publish` seals
 * it and renames it to the next version name, then points ACTIVE at it, so a crash leaves at most
 * an ignored `*.tmp-*` directory, never a half version under a version name.
 */
export class ModelRegistry {
  static readonly ACTIVE = ACTIVE;
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** True when dir looks like a registry: it has an ACTIVE file or a version directory. */
  static isRegistry(dir: string): boolean {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
    return existsSync(join(dir, ACTIVE)) || readdirSync(dir).some((n) => VERSION.test(n) && statSync(join(dir, n)).isDirectory());
  }

  /**
   * The registry at dir. Without `create`, dir must be a registry already; with it, a missing or
   * empty directory becomes one (a directory written by `train --save` is refused either way).
   */
  static open(dir: string, options: { create?: boolean } = {}): ModelRegistry {
    if (ModelRegistry.isRegistry(dir)) return new ModelRegistry(dir);
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new SourceError(dir, 'not a model registry: it is a file, not a directory');
    if (!options.create) {
      if (!existsSync(dir)) throw new SourceError(dir, 'no such model registry (sluice train --registry DIR creates one)');
      throw new SourceError(dir, 'not a model registry: no ACTIVE file and no version directories (v0001 …) here');
    }
    if (existsSync(join(dir, 'pipeline.json')))
      throw new SourceError(dir, 'not a model registry: it holds a pipeline.json saved by --save; give --registry a new or empty directory');
    mkdirSync(dir, { recursive: true });
    return new ModelRegistry(dir);
  }

  /**
   * The directory a version or registry path loads from, after checking every file of that
   * version: REG gives its active version, REG/vNNNN that version. Null for any other path.
   */
  static resolve(path: string): string | null {
    if (ModelRegistry.isRegistry(path)) {
      const reg = ModelRegistry.open(path);
      const active = reg.active();
      if (active === null) throw new SourceError(path, 'the registry has no active version (ACTIVE is missing): sluice models activate REG V');
      reg.verify(active);
      return reg.versionDir(active);
    }
    const parent = dirname(resolve(path)),
      name = basename(resolve(path));
    if (VERSION.test(name) && existsSync(join(path, META)) && ModelRegistry.isRegistry(parent)) {
      checksums.verify(path);
      return path;
    }
    return null;
  }

  /** The versions published, oldest first, each with its meta.json. */
  versions(): VersionInfo[] {
    const active = this.active();
    return this.names().map((version) => ({ version, dir: this.versionDir(version), active: version === active, meta: this.meta(version) }));
  }

  /** The active version's name, or null before the first publish. */
  active(): string | null {
    const file = join(this.dir, ACTIVE);
    if (!existsSync(file)) return null;
    const name = readFileSync(file, 'utf8').trim();
    if (!VERSION.test(name)) throw new SourceError(file, `expected a version name such as v0001, got ${JSON.stringify(name)}`);
    return name;
  }

  /** meta.json of a version (an unknown version is a SourceError listing the known ones). */
  meta(version: string): VersionMeta {
    const file = join(this.known(version), META);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as VersionMeta;
    } catch (e) {
      throw new SourceError(file, `not a version's meta.json: ${(e as Error).message}`);
    }
  }

  /** A new staging directory for a run to save into (`train --save` layout); `publish` makes it a version. */
  stage(): string {
    const dir = join(this.dir, `${this.nextName()}.tmp-${process.pid}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Makes a saved directory (pipeline.json, report.json) the next version and the active one:
   * writes meta.json (parent: the version active until now), seals SHA256SUMS over the files,
   * renames the directory to vNNNN, then writes ACTIVE. `source` names the data it was trained on.
   */
  publish(savedDir: string, options: { source?: string } = {}): VersionInfo {
    const pipelineFile = join(savedDir, 'pipeline.json');
    if (!existsSync(pipelineFile)) throw new SourceError(savedDir, 'nothing to publish: no pipeline.json here');
    const artifact = parseJson(pipelineFile, checksums.read(pipelineFile)) as {
      task?: string;
      lineage?: unknown;
      input?: { types?: Record<string, unknown> };
      report?: Report;
    };
    const reportFile = join(savedDir, 'report.json');
    const report = (existsSync(reportFile) ? parseJson(reportFile, checksums.read(reportFile)) : (artifact.report ?? {})) as Report;
    const parent = this.active();
    const meta: VersionMeta = {
      version: '',
      parent,
      created: new Date().toISOString(),
      lineage: artifact.lineage ?? null,
      data: { source: options.source ?? null, rows: report.rows?.read ?? null, schemaHash: schemaHash(artifact.input?.types ?? {}) },
      task: artifact.task ?? null,
      metrics: report.metrics ?? {},
      ...(report.test ? { test: report.test } : {}),
      packages: { sluice: sluiceVersion(), node: process.version },
    };
    // Claim the next name by renaming onto it: a rename onto a version another process just made fails, and we take the next.
    for (let attempt = 0; ; attempt++) {
      const version = this.nextName();
      meta.version = version;
      writeFileAtomic(join(savedDir, META), `${JSON.stringify(meta, null, 2)}\n`);
      checksums.write(
        savedDir,
        SEALED.filter((n) => existsSync(join(savedDir, n))),
      );
      try {
        if (existsSync(this.versionDir(version))) throw Object.assign(new Error('taken'), { code: 'EEXIST' });
        renameSync(savedDir, this.versionDir(version));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code === 'EEXIST' || code === 'ENOTEMPTY') && attempt < 100) continue;
        throw e;
      }
      writeFileAtomic(join(this.dir, ACTIVE), `${version}\n`);
      return { version, dir: this.versionDir(version), active: true, meta };
    }
  }

  /** Removes a staging directory that will not be published (the run failed or saved nothing). */
  discard(staged: string): void {
    rmSync(staged, { recursive: true, force: true });
  }

  /** Points ACTIVE at a version, after checking its files. */
  activate(version: string): VersionInfo {
    this.verify(version);
    writeFileAtomic(join(this.dir, ACTIVE), `${version}\n`);
    return { version, dir: this.versionDir(version), active: true, meta: this.meta(version) };
  }

  /** Activates the active version's parent (a SourceError when it has none). */
  rollback(): VersionInfo {
    const active = this.active();
    if (active === null) throw new SourceError(this.dir, 'no active version to roll back from');
    const parent = this.meta(active).parent;
    if (parent === null) throw new SourceError(this.dir, `${active} is the first version: it has no parent to roll back to`);
    return this.activate(parent);
  }

  /**
   * Checks every file a version's SHA256SUMS lists, and that pipeline.json and meta.json are among
   * them: a corrupted version is a SourceError naming the file and the mismatch. Returns the files checked.
   */
  verify(version: string): string[] {
    const dir = this.known(version);
    const names = checksums.verify(dir);
    for (const need of ['pipeline.json', META])
      if (!names.includes(need)) throw new SourceError(join(dir, checksums.FILE), `does not list ${need}: the version cannot be trusted`);
    return names;
  }

  /** Two versions side by side. */
  diff(a: string, b: string): VersionDiff {
    const ma = this.meta(a),
      mb = this.meta(b);
    const side = (x: Record<string, number | null> | undefined, y: Record<string, number | null> | undefined) =>
      [...new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})])].map((name) => {
        const va = x?.[name] ?? null,
          vb = y?.[name] ?? null;
        return { name, a: va, b: vb, delta: va !== null && vb !== null ? vb - va : null };
      });
    return {
      a,
      b,
      task: { a: ma.task, b: mb.task, same: ma.task === mb.task },
      lineage: { a: ma.lineage, b: mb.lineage, same: JSON.stringify(ma.lineage) === JSON.stringify(mb.lineage) },
      data: { a: ma.data, b: mb.data, sameSchema: ma.data.schemaHash === mb.data.schemaHash, sameSource: ma.data.source === mb.data.source },
      metrics: side(ma.metrics, mb.metrics),
      test: side(ma.test, mb.test),
    };
  }

  /** The directory of a version name (whether or not it exists). */
  versionDir(version: string): string {
    return join(this.dir, version);
  }

  private names(): string[] {
    return readdirSync(this.dir)
      .filter((n) => VERSION.test(n) && statSync(join(this.dir, n)).isDirectory())
      .sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
  }

  private nextName(): string {
    const last = this.names().at(-1);
    return `v${String(last ? Number(last.slice(1)) + 1 : 1).padStart(4, '0')}`;
  }

  /** The directory of a known version; a SourceError listing the known ones otherwise. */
  private known(version: string): string {
    if (!this.names().includes(version)) {
      const names = this.names();
      throw new SourceError(this.dir, `unknown version ${JSON.stringify(version)}; ${names.length ? `known: ${names.join(', ')}` : 'no versions yet'}`);
    }
    return this.versionDir(version);
  }
}

interface Report {
  rows?: { read?: number };
  metrics?: Record<string, number | null>;
  test?: Record<string, number | null>;
}

function parseJson(path: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new SourceError(path, `not JSON: ${(e as Error).message}`);
  }
}

/** sha256 of the column types as JSON with sorted keys: the same schema hashes the same whatever the column order. */
function schemaHash(types: Record<string, unknown>): string {
  const sorted = Object.fromEntries(
    Object.keys(types)
      .sort()
      .map((k) => [k, types[k]]),
  );
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

let packageVersion: string | null | undefined;

/** The version in sluice's package.json (searched upward from this file: src/registry or dist). */
function sluiceVersion(): string | null {
  if (packageVersion !== undefined) return packageVersion;
  packageVersion = null;
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'sluice') {
          packageVersion = pkg.version ?? null;
          break;
        }
      } catch {
        // not ours: keep looking
      }
    }
    if (dirname(dir) === dir) break;
  }
  return packageVersion;
}
