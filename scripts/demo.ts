/**
 * `npm run demo`: the demo engine and the dashboard, as two processes sharing data/demo.db —
 * exactly how tradewatch runs beside a real engine — plus a local webhook receiver that prints
 * the alerts the dashboard sends. Press `e` (then Enter) to stop or restart the engine, `k` to
 * kill it, and watch the CRITICAL alert fire and resolve. Extra arguments go to the dashboard
 * (`npm run demo -- --port 0`). Ctrl-C stops everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDemoWebhook } from './demo-webhook.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const DB = 'data/demo.db';
const LOGS = ['trading', 'system', 'error'].flatMap((name) => [
  '--log',
  `${name}=data/logs/${name}.log`,
]);

const say = (line: string) => process.stdout.write(`tradewatch demo: ${line}\n`);
const webhook = await startDemoWebhook(say);

const startEngine = () =>
  spawn(process.execPath, [here('./simulate-engine.js'), '--db', DB, '--quiet'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
let engine: ChildProcess | null = startEngine();
const dashboard = spawn(
  process.execPath,
  [
    here('../src/cli.js'),
    '--db',
    `demo=${DB}`,
    ...LOGS,
    // The dashboard's own files in a directory of their own, not beside the engine's file.
    '--data-dir',
    'data/dashboard',
    '--stale-after',
    '10s',
    '--notify-webhook',
    webhook.url,
    ...process.argv.slice(2),
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);

let shownUrl = false;
dashboard.stdout?.setEncoding('utf8');
dashboard.stdout?.on('data', (chunk: string) => {
  if (shownUrl) return; // the dashboard's JSON logs stay out of the way; see them with `npm start`
  const match = /tradewatch listening on (https?:\/\/[^\s"]+)/.exec(chunk);
  if (match) {
    shownUrl = true;
    process.stdout.write(
      `\ntradewatch demo: the engine simulator is writing ${DB}\n  dashboard: ${match[1]}/live\n  alerts:    ${match[1]}/alerts (sent to a webhook printed here)\n  API:       ${match[1]}/api/live/status\n  Press e + Enter to stop or restart the engine (k + Enter kills it); Ctrl-C stops everything.\n\n`,
    );
  }
});

let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  const children = [engine, dashboard].filter((c): c is ChildProcess => c !== null);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  webhook.server.close();
  Promise.all(children.map((c) => exited(c))).then(() => process.exit(code));
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

dashboard.once('exit', (code) => {
  if (stopping) return;
  process.stderr.write(`tradewatch demo: the dashboard exited (code ${code}); stopping.\n`);
  stopAll(code ?? 1);
});

/**
 * `e` + Enter: the engine stops cleanly (its heartbeat says "stopped": the badge shows down) or
 * starts again. `k` + Enter: it is killed without a word, as a crash would (stale after 10 s).
 */
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text: string) => {
  const key = text.trim().toLowerCase();
  if ((key !== 'e' && key !== 'k') || stopping) return;
  if (engine && engine.exitCode === null) {
    say(
      key === 'k'
        ? 'killing the engine: in about 10 s the badge turns stale and the CRITICAL alert arrives'
        : 'stopping the engine: the badge turns down and the CRITICAL alert arrives',
    );
    engine.kill(key === 'k' ? 'SIGKILL' : 'SIGTERM');
    engine = null;
  } else {
    say('starting the engine again: the alert resolves');
    engine = startEngine();
  }
});
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
