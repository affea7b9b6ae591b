/**
 * One writer process of `bench:fleet`: several engine files, each written every `interval` ms
 * (every symbol, the summary and the heartbeat) through the public writer, as an engine would.
 *
 *   node dist/scripts/bench/fleet-writer.js INTERVAL_MS SYMBOLS DB...
 */
import { StateWriter } from '../../src/state/index.js';

const [intervalText = '1000', symbolsText = '100', ...paths] = process.argv.slice(2);
const interval = Number(intervalText);
const symbols = Number(symbolsText);
const writers = paths.map((path) => StateWriter.open(path));
let tick = 0;

function writeAll(): void {
  tick++;
  writers.forEach((writer, e) => {
    writer.updateMany(
      Array.from({ length: symbols }, (_, i): [string, object] => [
        `chart_S${i}`,
        {
          price: 100 + i + Math.sin((tick + e) / 7),
          dt: new Date().toISOString(),
          position_size: i % 10 === 0 ? 5 : 0,
          position_price: 100 + i,
          rsi14: 50 + ((tick + i) % 20),
        },
      ]),
    );
    writer.summary({
      cash: 100_000,
      value: 100_000 + e * 1000 + tick,
      currency: e % 5 ? 'USD' : 'EUR',
    });
    writer.heartbeat({ mode: 'paper' });
  });
}

writeAll();
const timer = setInterval(writeAll, interval);
process.on('SIGTERM', () => {
  clearInterval(timer);
  for (const writer of writers) writer.close();
  process.exit(0);
});
process.stdout.write('ready\n');
