#!/usr/bin/env node
/** The `tradewatch` command: flags, environment and config file → a running dashboard. */
import { ConfigError, helpText, loadConfig } from './config/load.js';
import { hashPassword } from './contract/password.js';
import { startDashboard } from './service/dashboard.js';
import { createLogger } from './service/log-output.js';
import { notifyTest } from './service/notify-test.js';
import { packageVersion } from './service/package-info.js';

/** `tradewatch hash-password`: the password on standard input → a hash for the config file. */
async function printPasswordHash(): Promise<number> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const password = input.replace(/\r?\n$/, '');
  if (password.length < 8) {
    process.stderr.write(
      'tradewatch: give a password of at least 8 characters on standard input\n',
    );
    return 2;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
  return 0;
}

/** `tradewatch COMMAND --help` for the commands that are not the dashboard itself. */
const COMMAND_HELP: Record<string, string> = {
  'hash-password': [
    'usage: tradewatch hash-password < password-file',
    '',
    'Reads a password (8+ characters, one line) on standard input and prints its scrypt hash,',
    'for `auth-password-hash` in the config file or TRADEWATCH_AUTH_PASSWORD_HASH. The password',
    'itself is never a flag: flags show in `ps`.',
    '',
  ].join('\n'),
};

async function main(): Promise<void> {
  const version = packageVersion();
  let parsed: ReturnType<typeof loadConfig>;
  try {
    parsed = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `tradewatch: ${error.message}\nRun 'tradewatch --help' for the options.\n`,
    );
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(COMMAND_HELP[parsed.command] ?? helpText(version));
    return;
  }
  if (parsed.version) {
    process.stdout.write(`${version}\n`);
    return;
  }
  if (parsed.command === 'hash-password') {
    process.exitCode = await printPasswordHash();
    return;
  }
  if (parsed.command === 'notify-test') {
    process.exitCode = await notifyTest(parsed.config, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  if (parsed.command !== 'serve') {
    process.stderr.write(
      `tradewatch: unknown command ${JSON.stringify(parsed.command)}; commands: serve, notify-test, hash-password\n`,
    );
    process.exit(2);
  }
  const { config } = parsed;
  const logger = createLogger(config['log-level']);
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  try {
    // Scripts and tests wait for this message (in the JSON line's `msg`) to learn the URL.
    dashboard = await startDashboard(config, logger, (url) =>
      logger.info({ url }, `tradewatch listening on ${url}`),
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is already in use (--port)`
        : code === 'EADDRNOTAVAIL'
          ? `${config.host} is not an address of this machine (--host)`
          : (error as Error).message;
    process.stderr.write(`tradewatch: cannot listen: ${reason}\n`);
    process.exit(1);
  }
  logger.info(
    {
      version,
      engines: config.db,
      pollMs: config['poll-ms'],
      timeZone: config.tz,
      url: dashboard.url,
    },
    'dashboard started',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Whatever happens, be gone within 2 s.
    setTimeout(() => process.exit(0), 2000).unref();
    dashboard.close().then(() => {
      logger.flush();
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(
    `tradewatch: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
