import { execFileSync } from 'node:child_process';

/**
 * Whether a system binary (promtool, chromium) is installed. `.ci/run` installs them, so in CI
 * (CI=true) a missing one is a failure; on a developer machine the test is skipped with a note.
 */
export function hasBinary(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI)
      throw new Error(`${name} is not installed; .ci/run should have installed it`);
    console.warn(
      `skipping: ${name} is not installed (apt-get install ${name === 'promtool' ? 'prometheus' : name})`,
    );
    return false;
  }
}
