// The live terminal dashboard: a telemetry store, presentational ink components, and
// `dashboard()` which puts them on the terminal for `sluice demo`, `run` and `train`, drawing
// in a worker thread (src/tui/dashboardWorker.mjs → workerMain) so frames never cost the pipeline.
export { dashboard, type DashboardOptions, type DashboardHandle } from './dashboard.js';
export {
  DashboardStore, type DashboardStoreOptions, type DashboardSnapshot, type RunState,
  type SourceView, type ModelView, type ConfusionView, type EventEntry,
} from './DashboardStore.js';
export { PauseGate } from './PauseGate.js';
export { Series } from './Series.js';
export { useSnapshot, MAX_FPS, FRAME_BUDGET, type SnapshotSource } from './useSnapshot.js';
export { LiveDashboard, type LiveDashboardProps } from './LiveDashboard.js';
export { RemoteDashboard, type RemoteDashboardProps, WORKER_FRAME_BUDGET } from './RemoteDashboard.js';
export { dashboardKey, type DashboardKeys } from './dashboardKey.js';
export { SnapshotMailbox } from './SnapshotMailbox.js';
export { FdTerminal, type FdTerminalOptions } from './FdTerminal.js';
export { useTerminalSize } from './useTerminalSize.js';
// Named DashboardView: a Dashboard.tsx would clash with dashboard.tsx on case-insensitive disks.
export { DashboardView, type DashboardViewProps } from './DashboardView.js';
export { Header, type HeaderProps } from './Header.js';
export { ProgressBar, type ProgressBarProps } from './ProgressBar.js';
export { MetricsPanel, type MetricsPanelProps } from './MetricsPanel.js';
export { LineChart, type LineChartProps } from './LineChart.js';
export { ConfusionMatrixView, type ConfusionMatrixViewProps } from './ConfusionMatrixView.js';
export { ColumnStatsPanel, type ColumnStatsPanelProps } from './ColumnStatsPanel.js';
export { SkippedPanel, type SkippedPanelProps } from './SkippedPanel.js';
export { EventLog, type EventLogProps } from './EventLog.js';
export { chartMetrics } from './chartMetrics.js';
export { bestModel } from './bestModel.js';
export { lowerIsBetter } from './lowerIsBetter.js';
