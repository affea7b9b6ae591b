/**
 * The shared-state contract (schema v1): DDL, key names, value types, and the tolerant parsers
 * both the writer and the reader need. Imports nothing else of tradewatch.
 */
export * from './json.js';
export * from './json-depth.js';
export * from './keys.js';
export * from './money.js';
export * from './schema.js';
export * from './time.js';
