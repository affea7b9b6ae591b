/**
 * `tradewatch/state`: the engine-side writer. Imports only the contract — no web framework,
 * no dashboard code — so an engine pays for SQLite and nothing else.
 */
export type {
  BrokerValue,
  ChartValue,
  EngineValue,
  JsonObject,
  Level,
  SummaryValue,
} from '../contract/index.js';
export {
  createRateLimitedStderrReporter,
  type ErrorContext,
  type ErrorReporter,
  StateWriterError,
  type StateWriterErrorCode,
} from './errors.js';
export type { TimeInput, TradeInput, TradeSide } from './events.js';
export type { StateWriterOptions } from './options.js';
export { StateWriter } from './writer.js';
