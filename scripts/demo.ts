/**
 * `npm run demo`: the demo engine and the dashboard, as two processes sharing data/demo.db —
 * exactly how tradewatch runs beside a real engine. Extra arguments go to the dashboard
 * (`npm run demo -- --port 0`). Ctrl-C stops both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const DB = 'data/demo.db';
const LOGS = ['trading', 'system', 'error'].flatMap((name) => [
  '--log',
  `${name}=data/logs/${name}.log`,
]);

const engine = spawn(process.execPath, [here('./simulate-engine.js'), '--db', DB, '--quiet'], {
  stdio: 'inherit',
});
const dashboard = spawn(
  process.execPath,
  [here('../src/cli.js'), '--db', `demo=${DB}`, ...LOGS, ...process.argv.slice(2)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);

let shownUrl = false;
dashboard.stdout?.setEncoding('utf8');
dashboard.stdout?.on('data', (chunk: string) => {
  if (shownUrl) return; // the dashboard's JSON logs stay out of the way; see them with `npm start`
  const match = /tradewatch listening on (\S+)/.exec(chunk);
  if (match) {
    shownUrl = true;
    process.stdout.write(
      `\ntradewatch demo: the engine simulator is writing ${DB}\n  dashboard: ${match[1]}/live\n  API:       ${match[1]}/api/live/status\n  Ctrl-C stops both.\n\n`,
    );
  }
});

let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of [engine, dashboard]) if (child.exitCode === null) child.kill('SIGTERM');
  Promise.all([engine, dashboard].map((c) => exited(c))).then(() => process.exit(code));
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

for (const [name, child] of [
  ['engine', engine],
  ['dashboard', dashboard],
] as const) {
  child.once('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`tradewatch demo: the ${name} exited (code ${code}); stopping.\n`);
      stopAll(code ?? 1);
    }
  });
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
