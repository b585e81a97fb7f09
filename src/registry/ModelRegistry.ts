import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { checksums, fsyncDir, fsyncFile, SourceError, SpecError, writeFileAtomic } from '../core/index.js';
import { withRegistryLock } from './RegistryLock.js';
import { STALE_STAGING_MS, stagingName, startHeartbeat, stopHeartbeat, sweepStaging } from './staging.js';

/** The file naming the active version (one line, e.g. `v0003`). */
const ACTIVE = 'ACTIVE';
const META = 'meta.json';
const VERSION = /^v(\d{4,})$/;
/** The files of a version SHA256SUMS lists first, in this order (then any other file of the run, by name). */
const SEALED = ['pipeline.json', 'report.json', META];
/** How long publish, activate and rollback wait for another process's lock by default. */
const LOCK_TIMEOUT_MS = 5000;

export interface RegistryOptions {
  /** Make a missing or empty directory a registry. */
  create?: boolean;
  /** How long to wait for another process publishing or activating in this registry (ms, default 5000). */
  lockTimeoutMs?: number;
  /**
   * A staging directory made on another machine and untouched this long is removed as abandoned
   * (ms, default an hour; a live run touches its own every minute). See staging.ts.
   */
  staleStagingMs?: number;
}

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
  /**
   * The versions that trained it: sluice, Node, and the installed version of each of sluice's
   * dependencies (null when not found); `dependencies` is absent in versions published before it.
   */
  packages: { sluice: string | null; node: string; dependencies?: Record<string, string | null> };
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
  /** sluice, node and dependency versions of both; `changed` names those that differ. */
  packages: { a: VersionMeta['packages']; b: VersionMeta['packages']; changed: string[] };
  data: { a: VersionMeta['data']; b: VersionMeta['data']; sameSchema: boolean; sameSource: boolean };
  metrics: Array<{ name: string; a: number | null; b: number | null; delta: number | null }>;
  test: Array<{ name: string; a: number | null; b: number | null; delta: number | null }>;
}

/**
 * Versions of a trained pipeline on disk. REG/v0001, REG/v0002 … each hold a saved directory
 * (pipeline.json, report.json) with meta.json (parent, lineage, data fingerprint, metrics,
 * package versions) and SHA256SUMS over every file; REG/ACTIVE names the version
 * `loadPipeline(REG)` and `sluice predict REG` use.
 *
 * - A run saves into a staging directory (`stage()`); `publish` seals it and renames it to the
 *   next version name, then points ACTIVE at it, so a crash leaves at most an ignored `*.tmp-*`
 *   directory, never a half version under a version name. Abandoned staging directories are
 *   removed by the next stage() or publish (staging.ts says when a directory is abandoned).
 * - Durable: every file is flushed to disk before it is sealed, meta.json, SHA256SUMS and ACTIVE
 *   are written with writeFileAtomic (flushed, renamed, directory flushed), and the registry
 *   directory is flushed after the version's rename, so ACTIVE never names a version a power cut
 *   could lose.
 * - Locked: publish (choosing the number, renaming, writing ACTIVE), activate and rollback hold
 *   REG/.lock (RegistryLock.ts), so two processes never take one number, and ACTIVE always names
 *   a complete version. Readers (list, show, load) take no lock: what they read is replaced by
 *   renames only.
 * - Checked: a version's files are all listed in its SHA256SUMS; verify (and so load, show,
 *   activate, rollback) refuses a file whose bytes changed, a listed file that is missing and a
 *   file that is not listed, naming the file; meta.json is checked whenever it is read.
 */
export class ModelRegistry {
  static readonly ACTIVE = ACTIVE;
  readonly dir: string;
  private readonly lockTimeoutMs: number;
  private readonly staleStagingMs: number;

  private constructor(dir: string, options: RegistryOptions) {
    this.dir = dir;
    this.lockTimeoutMs = nonNegative('lockTimeoutMs', options.lockTimeoutMs, LOCK_TIMEOUT_MS);
    this.staleStagingMs = nonNegative('staleStagingMs', options.staleStagingMs, STALE_STAGING_MS);
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
  static open(dir: string, options: RegistryOptions = {}): ModelRegistry {
    if (ModelRegistry.isRegistry(dir)) return new ModelRegistry(dir, options);
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new SourceError(dir, 'not a model registry: it is a file, not a directory');
    if (!options.create) {
      if (!existsSync(dir)) throw new SourceError(dir, 'no such model registry (sluice train --registry DIR creates one)');
      throw new SourceError(dir, 'not a model registry: no ACTIVE file and no version directories (v0001 …) here');
    }
    if (existsSync(join(dir, 'pipeline.json')))
      throw new SourceError(dir, 'not a model registry: it holds a pipeline.json saved by --save; give --registry a new or empty directory');
    mkdirSync(dir, { recursive: true });
    return new ModelRegistry(dir, options);
  }

  /**
   * The directory a version or registry path loads from, after checking every file of that
   * version (verify): REG gives its active version, REG/vNNNN that version. Null for any other path.
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
    // A version directory is checked as a version whatever is missing from it (meta.json included).
    if (VERSION.test(name) && ModelRegistry.isRegistry(parent)) {
      ModelRegistry.open(parent).verify(name);
      return path;
    }
    return null;
  }

  /** The versions published, oldest first, each with its meta.json (checked against SHA256SUMS). */
  versions(): VersionInfo[] {
    const active = this.active();
    return this.names().map((version) => ({ version, dir: this.versionDir(version), active: version === active, meta: this.meta(version) }));
  }

  /**
   * The active version's name as ACTIVE says it, or null before the first publish. The name is not
   * checked against the versions here: using it (verify, meta, load) refuses one that is absent.
   */
  active(): string | null {
    const file = join(this.dir, ACTIVE);
    if (!existsSync(file)) return null;
    const name = readFileSync(file, 'utf8').trim();
    if (!VERSION.test(name))
      throw new SourceError(
        file,
        `expected a version name such as v0001, got ${JSON.stringify(name.slice(0, 80))}; the file is damaged (sluice models activate REG V rewrites it)`,
      );
    return name;
  }

  /**
   * meta.json of a version, after checking it against the version's SHA256SUMS (a SourceError
   * naming the file and both sums when it changed); an unknown version is a SourceError listing
   * the known ones.
   */
  meta(version: string): VersionMeta {
    const file = join(this.known(version), META);
    if (!existsSync(file)) throw new SourceError(file, `missing: every version has a ${META}`);
    const bytes = checksums.read(file);
    try {
      return JSON.parse(bytes.toString('utf8')) as VersionMeta;
    } catch (e) {
      throw new SourceError(file, `not a version's meta.json: ${(e as Error).message}`);
    }
  }

  /**
   * A new staging directory for a run to save into (`train --save` layout); `publish` makes it a
   * version, `discard` removes it. Removes abandoned staging directories first.
   */
  stage(): string {
    sweepStaging(this.dir, this.staleStagingMs);
    const dir = join(this.dir, stagingName(this.nextName()));
    mkdirSync(dir, { recursive: true });
    startHeartbeat(dir);
    return dir;
  }

  /**
   * Makes a saved directory (pipeline.json, report.json, any other file the run wrote there) the
   * next version and the active one: flushes its files to disk, then, holding the registry's lock,
   * writes meta.json (parent: the version active until now), seals SHA256SUMS over every file,
   * renames the directory to vNNNN, flushes the registry directory and writes ACTIVE. `source`
   * names the data it was trained on. Removes abandoned staging directories (not this one).
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
    const files = sealable(savedDir);
    // The run's files reach the disk before they are sealed and renamed (once per file; outside the lock).
    for (const name of files) if (name !== META) fsyncFile(join(savedDir, name));
    sweepStaging(this.dir, this.staleStagingMs, savedDir);
    const meta: VersionMeta = {
      version: '',
      parent: null,
      created: new Date().toISOString(),
      lineage: artifact.lineage ?? null,
      data: { source: options.source ?? null, rows: report.rows?.read ?? null, schemaHash: schemaHash(artifact.input?.types ?? {}) },
      task: artifact.task ?? null,
      metrics: report.metrics ?? {},
      ...(report.test ? { test: report.test } : {}),
      packages: { sluice: sluiceVersion(), node: process.version, dependencies: dependencyVersions() },
    };
    const info = withRegistryLock(this.dir, 'publish', this.lockTimeoutMs, () => {
      // Under the lock: the parent is the version active now, and the next number is ours alone.
      // An ACTIVE naming an absent version (damaged by hand) gives no parent; this publish repairs ACTIVE.
      const active = this.active();
      meta.parent = active !== null && this.names().includes(active) ? active : null;
      meta.created = new Date().toISOString();
      // A process that ignores the lock (an older sluice) may still take a number: a rename onto an
      // existing version fails (it is never empty), and we take the next.
      for (let attempt = 0; ; attempt++) {
        const version = this.nextName();
        meta.version = version;
        writeFileAtomic(join(savedDir, META), `${JSON.stringify(meta, null, 2)}\n`);
        // writeFileAtomic flushes SHA256SUMS and the directory, with every entry the run made in it.
        checksums.write(savedDir, files);
        try {
          if (existsSync(this.versionDir(version))) throw Object.assign(new Error('taken'), { code: 'EEXIST' });
          renameSync(savedDir, this.versionDir(version));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if ((code === 'EEXIST' || code === 'ENOTEMPTY') && attempt < 100) continue;
          throw e;
        }
        // The rename reaches the disk before ACTIVE names the version.
        fsyncDir(this.dir);
        writeFileAtomic(join(this.dir, ACTIVE), `${version}\n`);
        return { version, dir: this.versionDir(version), active: true, meta };
      }
    });
    stopHeartbeat(savedDir);
    return info;
  }

  /** Removes a staging directory that will not be published (the run failed or saved nothing). */
  discard(staged: string): void {
    stopHeartbeat(staged);
    rmSync(staged, { recursive: true, force: true });
  }

  /** Points ACTIVE at a version, after checking its files (holding the registry's lock). */
  activate(version: string): VersionInfo {
    return withRegistryLock(this.dir, 'activate', this.lockTimeoutMs, () => this.activateLocked(version));
  }

  /** Activates the active version's parent (a SourceError when it has none), holding the registry's lock. */
  rollback(): VersionInfo {
    return withRegistryLock(this.dir, 'rollback', this.lockTimeoutMs, () => {
      const active = this.active();
      if (active === null) throw new SourceError(this.dir, 'no active version to roll back from');
      const parent = this.meta(active).parent;
      if (parent === null) throw new SourceError(this.dir, `${active} is the first version: it has no parent to roll back to`);
      return this.activateLocked(parent);
    });
  }

  /**
   * Checks a version's files against its SHA256SUMS: every file it lists is there with the same
   * bytes, pipeline.json and meta.json are among them, and every file of the version is listed (a
   * file added after publishing is refused, not ignored: the version's files are sealed when it is
   * published, so an unlisted one was put there later, and what loads it cannot vouch for it). A
   * SourceError names the file (and both sums for changed bytes). Returns the files checked.
   */
  verify(version: string): string[] {
    const dir = this.known(version);
    const sums = join(dir, checksums.FILE);
    const names = checksums.verify(dir);
    for (const need of ['pipeline.json', META]) if (!names.includes(need)) throw new SourceError(sums, `does not list ${need}: the version cannot be trusted`);
    for (const name of names)
      if (name !== basename(name) || name === '.' || name === '..' || name === checksums.FILE)
        throw new SourceError(sums, `lists ${JSON.stringify(name)}, which is not a file of this version: the version cannot be trusted`);
    const listed = new Set(names);
    for (const entry of readdirSync(dir).sort())
      if (entry !== checksums.FILE && !listed.has(entry))
        throw new SourceError(
          join(dir, entry),
          `not listed in ${checksums.FILE}: every file of a version is sealed when it is published, so this one was added or renamed since; remove it if it does not belong, or the version is not loaded`,
        );
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
      packages: { a: ma.packages, b: mb.packages, changed: changedPackages(ma.packages, mb.packages) },
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

  /** Under the lock: checks the version's files, then writes ACTIVE (flushed). */
  private activateLocked(version: string): VersionInfo {
    this.verify(version);
    const meta = this.meta(version);
    writeFileAtomic(join(this.dir, ACTIVE), `${version}\n`);
    return { version, dir: this.versionDir(version), active: true, meta };
  }

  /**
   * The directory of a known version; a SourceError listing the known ones otherwise, which names
   * REG/ACTIVE when it is ACTIVE that names the absent version (damaged or edited by hand).
   */
  private known(version: string): string {
    const names = this.names();
    if (names.includes(version)) return this.versionDir(version);
    const known = names.length ? `known: ${names.join(', ')}` : 'no versions yet';
    let active: string | null = null;
    try {
      active = this.active();
    } catch {
      // a damaged ACTIVE is reported where it is read
    }
    if (active === version)
      throw new SourceError(
        join(this.dir, ACTIVE),
        `names ${version}, which is not a version of this registry (${known}); sluice models activate ${this.dir} <version> repairs it`,
      );
    throw new SourceError(this.dir, `unknown version ${JSON.stringify(version)}; ${known}`);
  }
}

/**
 * The files of a saved directory to seal: meta.json (which publish writes) and every file the run
 * wrote there (a snapshot too), SEALED's first, then the others by name; not SHA256SUMS. A
 * subdirectory is refused: a version holds files only, each with its checksum.
 */
function sealable(dir: string): string[] {
  const names: string[] = [META];
  for (const name of readdirSync(dir)) {
    if (name === checksums.FILE || name === META) continue;
    if (!statSync(join(dir, name)).isFile())
      throw new SourceError(join(dir, name), 'not a plain file: a version holds only files, each sealed with its checksum; remove it before publishing');
    names.push(name);
  }
  const first = SEALED.filter((n) => names.includes(n));
  return [...first, ...names.filter((n) => !first.includes(n)).sort()];
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new SpecError(name, `expected a number of milliseconds >= 0, got ${String(value)}`);
  return value;
}

/** The names of the packages (sluice, node, each dependency) whose versions differ. */
function changedPackages(a: VersionMeta['packages'], b: VersionMeta['packages']): string[] {
  const out: string[] = [];
  if (a.sluice !== b.sluice) out.push('sluice');
  if (a.node !== b.node) out.push('node');
  const da = a.dependencies ?? {},
    db = b.dependencies ?? {};
  for (const name of [...new Set([...Object.keys(da), ...Object.keys(db)])].sort()) if ((da[name] ?? null) !== (db[name] ?? null)) out.push(name);
  return out;
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

interface OwnPackage {
  dir: string;
  version: string | null;
  dependencies: string[];
}

let ownPackage: OwnPackage | null | undefined;
let installed: Record<string, string | null> | undefined;

/** sluice's package.json (searched upward from this file: src/registry or dist), read once. */
function findOwnPackage(): OwnPackage | null {
  if (ownPackage !== undefined) return ownPackage;
  ownPackage = null;
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string; dependencies?: Record<string, string> };
        if (pkg.name === 'sluice') {
          ownPackage = { dir, version: pkg.version ?? null, dependencies: Object.keys(pkg.dependencies ?? {}).sort() };
          break;
        }
      } catch {
        // not ours: keep looking
      }
    }
    if (dirname(dir) === dir) break;
  }
  return ownPackage;
}

/** The version in sluice's package.json. */
function sluiceVersion(): string | null {
  return findOwnPackage()?.version ?? null;
}

/**
 * The installed version of each of sluice's dependencies (null when not found), looked up as Node
 * resolves them: node_modules/<name>/package.json in sluice's directory and each one above it
 * (installed as a dependency, they are usually hoisted beside sluice). Read once per process.
 */
function dependencyVersions(): Record<string, string | null> {
  if (installed !== undefined) return installed;
  const own = findOwnPackage();
  installed = {};
  for (const name of own?.dependencies ?? []) {
    let version: string | null = null;
    for (let dir = own!.dir; ; dir = dirname(dir)) {
      const file = join(dir, 'node_modules', name, 'package.json');
      if (existsSync(file)) {
        try {
          version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
        } catch {
          version = null;
        }
        break;
      }
      if (dirname(dir) === dir) break;
    }
    installed[name] = version;
  }
  return installed;
}
