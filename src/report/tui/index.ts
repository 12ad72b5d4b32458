// The interactive terminal views. The CLI loads this module only when a person is at a terminal
// (see src/cli/load-tui.ts), so cron runs and pipes never load Ink.
export { startLiveView } from './live/start-live-view.js';
export { openReport } from './report/open-report.js';
