import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);

/** Browser libraries, served by the dashboard itself from node_modules: no CDN, works offline. */
export const VENDOR_PACKAGE_FILES: Record<string, string> = {
  'htmx.min.js': 'htmx.org/dist/htmx.min.js',
  'chart.umd.min.js': 'chart.js/dist/chart.umd.min.js',
  'chartjs-plugin-annotation.min.js':
    'chartjs-plugin-annotation/dist/chartjs-plugin-annotation.min.js',
};

/** Browser libraries kept in public/vendor/ (see its README: the npm package would bring 28 MB). */
const VENDORED = ['chartjs-adapter-date-fns.bundle.min.js'];

/**
 * What each page loads, as one file per kind: twenty tabs opened at once made some 340 requests
 * for sixteen small files each, and queued their streams behind them (docs/benchmarks.md).
 * Order matters inside a bundle: the chart bundle needs Chart.js before its glue, and the page
 * bundle puts htmx before the scripts that swap panels through it.
 */
const BUNDLES = {
  /** Every page's styles. */
  css: [
    'css/app.css',
    'css/panels.css',
    'css/status.css',
    'css/tables.css',
    'css/timebar.css',
    'css/fleet.css',
  ],
  /** Pages with charts (/live, symbol pages, /system) load this before the page bundle. */
  charts: [
    'vendor:chart.umd.min.js',
    'vendor:chartjs-adapter-date-fns.bundle.min.js',
    'vendor:chartjs-plugin-annotation.min.js',
    'js/chart-format.js',
    'js/chart-style.js',
    'js/chart-window.js',
    'js/charts.js',
    'js/replay-cursor.js',
  ],
  /** Every page: htmx, then the page glue (each script does nothing where its page parts are missing). */
  page: [
    'vendor:htmx.min.js',
    'js/tables.js',
    'js/logs.js',
    'js/timebar.js',
    'js/switching-source.js',
    'js/shared-stream.js',
    'js/app.js',
  ],
} as const;

export type BundleName = keyof typeof BUNDLES;

/** One bundle, built once at start: its bytes, gzipped bytes and content type. */
export interface Bundle {
  body: Buffer;
  gzip: Buffer;
  type: 'text/css' | 'text/javascript';
}

/**
 * The scripts and styles of every page, read once when the dashboard starts.
 *
 * @example
 * const assets = loadPageAssets('/opt/tradewatch/public');
 * assets.urls.charts; // "/bundle/charts.3f9a0c1d2e4b.js": changes whenever its content does
 */
export interface PageAssets {
  /** URLs with the content's hash in them, so they can be cached for a year. */
  urls: Record<BundleName, string>;
  /** Bundles by file name (`charts.3f9a0c1d2e4b.js`). */
  bundles: ReadonlyMap<string, Bundle>;
  /** Vendor files by name, as /vendor/* serves them one by one. */
  vendorFiles: Readonly<Record<string, string>>;
  /** The theme script, inlined in every page's head so it applies before the first paint. */
  themeScript: string;
  /** `'sha256-…'` of themeScript, for the Content-Security-Policy. */
  themeScriptHash: string;
}

/** A file inside an installed package, wherever npm put it (packages need not export package.json). */
function resolvePackageFile(spec: string): string {
  const [scopeOrName = '', ...rest] = spec.split('/');
  const pkg = scopeOrName.startsWith('@') ? `${scopeOrName}/${rest.shift()}` : scopeOrName;
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = join(dir, pkg);
    if (existsSync(join(candidate, 'package.json'))) return join(candidate, ...rest);
  }
  throw new Error(`package ${pkg} is not installed (needed for /vendor)`);
}

// A concatenated file has no source map of its own; a stale comment would point at the wrong one.
const SOURCE_MAP_COMMENT = /^\/[/*][#@] sourceMappingURL=.*$/gm;

export function loadPageAssets(publicDir: string): PageAssets {
  const vendorFiles = Object.fromEntries([
    ...Object.entries(VENDOR_PACKAGE_FILES).map(([name, spec]) => [name, resolvePackageFile(spec)]),
    ...VENDORED.map((name) => [name, join(publicDir, 'vendor', name)]),
  ]) as Record<string, string>;
  const read = (part: string) => {
    const file = part.startsWith('vendor:')
      ? vendorFiles[part.slice('vendor:'.length)]
      : join(publicDir, part);
    if (!file) throw new Error(`no vendor file ${part}`);
    return readFileSync(file, 'utf8').replace(SOURCE_MAP_COMMENT, '');
  };

  const urls = {} as Record<BundleName, string>;
  const bundles = new Map<string, Bundle>();
  for (const [name, parts] of Object.entries(BUNDLES) as [BundleName, readonly string[]][]) {
    const css = name === 'css';
    // Each script in a try of its own: one that throws must not stop those after it (each
    // was its own <script> before), and no file may run into the next.
    const text = css
      ? parts.map(read).join('\n')
      : parts
          .map((part) => `try {\n${read(part)}\n} catch (error) {\n  console.error(error);\n}`)
          .join('\n');
    const body = Buffer.from(text);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const file = `${name}.${hash}.${css ? 'css' : 'js'}`;
    bundles.set(file, {
      body,
      gzip: gzipSync(body, { level: 9 }),
      type: css ? 'text/css' : 'text/javascript',
    });
    urls[name] = `/bundle/${file}`;
  }

  // LF only: the browser hashes the script as its HTML parser reads it, CRLF turned into LF
  // (a checkout with CRLF line ends would otherwise have the theme script blocked).
  const themeScript = readFileSync(join(publicDir, 'js/theme.js'), 'utf8')
    .replace(/\r\n?/g, '\n')
    .trim();
  const themeScriptHash = `'sha256-${createHash('sha256').update(themeScript).digest('base64')}'`;
  return { urls, bundles, vendorFiles, themeScript, themeScriptHash };
}
