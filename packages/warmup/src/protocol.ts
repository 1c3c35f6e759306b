// `@warmpool/warmup/protocol`: the warm-ping wire protocol (docs/protocol.md), for the controller that builds
// pings and reads answers, and for stand-ins that play a function. Users' handlers need only the main entry.
// Export by name; never `export *`.
export type {
  MarkerVerdict,
  WarmPingAnswer,
  WarmPingAnswerPayload,
  WarmPingMarker,
} from './protocol/warm-ping.js';
export {
  clientContextFor,
  createMarker,
  DEFAULT_MAX_HOLD_MS,
  encodeClientContext,
  readAnswer,
  readMarker,
  signMarker,
  verifyMarker,
  WARM_PING_PROTOCOL_VERSION,
} from './protocol/warm-ping.js';
