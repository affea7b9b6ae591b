import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes log lines the way a Python engine's `logging` does
 * (`2025-08-01 09:30:15,123 - LEVEL - message`), into trading, system and error files.
 */
export class EngineLogs {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  write(
    file: 'trading' | 'system' | 'error',
    level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL',
    message: string,
  ): void {
    const now = new Date();
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())},${pad(now.getMilliseconds(), 3)}`;
    const line = `${stamp} - ${level} - ${message}\n`;
    appendFileSync(join(this.dir, `${file}.log`), line);
    // Like a Python handler at WARNING level on error.log: every problem also lands there.
    if (file !== 'error' && (level === 'WARNING' || level === 'ERROR' || level === 'CRITICAL')) {
      appendFileSync(join(this.dir, 'error.log'), line);
    }
  }
}
