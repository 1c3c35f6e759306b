// Public API of @warmpool/infra: the Warmpool CDK construct and its props. api/infra.api.md lists it.
// Export by name; never `export *`.
export { NAG_ACKNOWLEDGEMENTS } from './nag.js';
export type { WarmpoolAlarmOptions, WarmpoolProps, WarmpoolTarget } from './props.js';
export { Warmpool } from './warmpool.js';
