// Model versions on disk: publish, activate, roll back, verify, diff (issue #15 item 3).
export { ModelRegistry, type RegistryOptions, type VersionDiff, type VersionInfo, type VersionMeta } from './ModelRegistry.js';
export { type LockHolder, RegistryLockedError } from './RegistryLock.js';
