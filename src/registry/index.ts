// Model versions on disk: publish, activate, roll back, verify, diff (issue #15 item 3).
export { ModelRegistry, type VersionDiff, type VersionInfo, type VersionMeta } from './ModelRegistry.js';
