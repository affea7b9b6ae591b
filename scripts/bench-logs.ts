/**
 * `npm run bench:logs`: the last 100 lines of a 1 GB log file, read backwards from the end,
 * beside the original design's `readlines()[-100:]` (whole file read and split) on 100 MB —
 * on 1 GB that approach cannot even run in Node: the file is longer than a V8 string may be.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tailFile } from '../src/monitor/log-tail.js';
import { fmt, machineLine, percentile, printTable } from './lib/table.js';

const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bench-logs-'));

function writeLog(path: string, bytes: number) {
  const fd = openSync(path, 'w');
  const block = Array.from(
    { length: 10_000 },
    (_, i) =>
      `2025-08-01 09:30:15,${String(i % 1000).padStart(3, '0')} - ${i % 50 ? 'INFO' : 'ERROR'} - order ${i} filled at 1.0842${i % 10} qty=100000 strategy=rsi-mean-reversion\n`,
  ).join('');
  let written = 0;
  while (written < bytes) written += writeSync(fd, block);
  closeSync(fd);
  return written;
}

async function time(fn: () => Promise<unknown> | unknown, runs: number) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}

console.log(`machine: ${await machineLine()}\n`);
const big = join(dir, 'big.log');
const bigSize = writeLog(big, 1024 ** 3);
const medium = join(dir, 'medium.log');
const mediumSize = writeLog(medium, 100 * 1024 ** 2);
const cold = await time(() => tailFile(big, 100), 1); // the process's first call: JIT warm-up
const tailBig = await time(() => tailFile(big, 100), 50);
const readlines = await time(() => readFileSync(medium, 'utf8').split('\n').slice(-101), 5);
printTable(
  ['last 100 lines', 'file', 'runs', 'p50 ms', 'p99 ms'],
  [
    [
      'tailFile (backwards from the end)',
      `${fmt(bigSize / 1024 ** 3, 2)} GiB`,
      50,
      fmt(percentile(tailBig, 50), 2),
      fmt(percentile(tailBig, 99), 2),
    ],
    [
      'tailFile, first call in the process',
      `${fmt(bigSize / 1024 ** 3, 2)} GiB`,
      1,
      fmt(cold[0] ?? Number.NaN, 2),
      '',
    ],
    [
      'read whole file + split (original design)',
      `${fmt(mediumSize / 1024 ** 2, 0)} MiB`,
      5,
      fmt(percentile(readlines, 50), 0),
      fmt(percentile(readlines, 99), 0),
    ],
  ],
);
rmSync(dir, { recursive: true, force: true });
