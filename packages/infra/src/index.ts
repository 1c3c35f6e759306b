// Public API of @warmpool/infra. Export by name; never `export *`.
export const VERSION = '0.1.0' as const;

export type { ControllerConfig } from './config.js';
export { DEFAULT_ALARM, DEFAULT_SCHEDULE, MAX_CONFIG_ENV_BYTES } from './config.js';
export { NAG_ACKNOWLEDGEMENTS } from './nag.js';
export { ACCOUNT_SETTINGS_ACTION, DECISION_TABLE_ACTIONS, METRICS_ACTION } from './permissions.js';
export type { WarmpoolAlarmOptions, WarmpoolProps, WarmpoolSchedule, WarmpoolTarget } from './props.js';
export {
  CONTROLLER_ASSET_DIR,
  CONTROLLER_MEMORY_MB,
  CONTROLLER_RUNTIME,
  CONTROLLER_TIMEOUT,
  Warmpool,
} from './warmpool.js';
