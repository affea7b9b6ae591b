import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPageAssets } from '../../src/web/page-assets.js';
import { tempDir } from '../helpers/tmp.js';

const PUBLIC = fileURLToPath(new URL('../../public', import.meta.url));

describe('page assets', () => {
  it('hashes the inlined theme script as a browser reads it: CRLF line ends count as LF', () => {
    const dir = join(tempDir(), 'public');
    cpSync(PUBLIC, dir, { recursive: true });
    const theme = join(dir, 'js/theme.js');
    writeFileSync(theme, readFileSync(theme, 'utf8').replace(/\n/g, '\r\n'));
    const assets = loadPageAssets(dir);
    expect(assets.themeScript).not.toContain('\r');
    const lf = readFileSync(join(PUBLIC, 'js/theme.js'), 'utf8').trim();
    expect(assets.themeScript).toBe(lf);
    const hash = createHash('sha256').update(lf).digest('base64');
    expect(assets.themeScriptHash).toBe(`'sha256-${hash}'`);
  });

  it('names each bundle by its content', () => {
    const dir = join(tempDir(), 'public');
    cpSync(PUBLIC, dir, { recursive: true });
    const before = loadPageAssets(dir).urls;
    writeFileSync(
      join(dir, 'js/app.js'),
      `${readFileSync(join(dir, 'js/app.js'), 'utf8')}\n// changed\n`,
    );
    const after = loadPageAssets(dir).urls;
    expect(after.page).not.toBe(before.page);
    expect(after.charts).toBe(before.charts);
    expect(after.css).toBe(before.css);
  });
});
