/**
 * `npm run bench:json-depth`: what the contract's depth limit (64 levels, issue 11) adds to each
 * value the reader parses and the writer serialises. Baseline in the same run: `JSON.parse`
 * alone. A typical value has fewer brackets than the limit and is settled by a native count;
 * only values with more than 64 brackets are scanned.
 */
import { nestsDeeperThan, parseTolerantJson } from '../src/contract/index.js';
import { fmt, machineLine, printTable } from './lib/table.js';

const chart = JSON.stringify({
  price: 1.08421,
  dt: '2026-11-30T17:00:00Z',
  position_size: 1000,
  position_price: 1.084,
  sl_price: 1.08,
  tp_price: 1.09,
  rsi14: 55.2,
  ema20: 1.0841,
  quote_currency: 'USD',
});
const table = JSON.stringify({
  rows: Array.from({ length: 200 }, (_, i) => ({ i, name: `row ${i}`, v: [i, 2 * i, { x: i }] })),
});
const deep = `${'{"a":'.repeat(4500)}1${'}'.repeat(4500)}`;

/** Mean microseconds per call, after a warm-up of a tenth as many calls. */
function perCall(fn: () => unknown, runs: number): number {
  for (let i = 0; i < runs / 10; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return ((performance.now() - t0) / runs) * 1000;
}

const rows: string[][] = [];
for (const [name, text, runs] of [
  ['chart_<SYMBOL> value', chart, 200_000],
  ['10 KB value, 600 brackets', table, 5_000],
  ['27 KB value, 4,500 levels (refused)', deep, 5_000],
] as const) {
  const parse = perCall(() => JSON.parse(text), runs);
  const check = perCall(() => nestsDeeperThan(text), runs);
  const tolerant = perCall(() => parseTolerantJson(text), runs);
  rows.push([
    `${name} (${text.length} B)`,
    fmt(parse, 2),
    fmt(check, 2),
    `${fmt((check / parse) * 100, 0)} %`,
    fmt(tolerant, 2),
  ]);
}
console.log(await machineLine());
printTable(
  ['value', 'baseline: JSON.parse µs', 'depth check µs', 'check / parse', 'parseTolerantJson µs'],
  rows,
);
