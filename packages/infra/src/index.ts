// Public API of @warmpool/infra: the Warmpool CDK construct and its props. api/infra.api.md lists it.
// Export by name; never `export *`.

export { DEFAULT_TARGETS_PER_SHARD } from './config.js';
export { CONFIG_FILE_IN_LAMBDA, CONFIG_LAYER_FILE } from './config-file.js';
export { NAG_ACKNOWLEDGEMENTS } from './nag.js';
export type { WarmpoolAlarmOptions, WarmpoolProps, WarmpoolSchedule, WarmpoolTarget } from './props.js';
export { Warmpool } from './warmpool.js';
