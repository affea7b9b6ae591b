import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import type { Snapshot } from '../../reader/types.js';
import type { EngineView, ViewContext } from '../types.js';
import type { PanelSpec } from './panels.js';

/**
 * Renders panel fragments, each once per snapshot version however many clients ask: SSE
 * streams, page loads and polls all share the result. `renders` counts real renders (tests
 * prove the "once" with it).
 */
export class PanelRenderer {
  private readonly cache = new WeakMap<Snapshot, Map<string, string>>();
  /**
   * Monitor panels (per panel and engine, valid for one snapshot and monitor generation) and
   * versioned panels (valid while their version string is the same): the last render of each.
   */
  private readonly kept = new Map<
    string,
    { snapshot: Snapshot | null; version: string; html: string }
  >();
  private readonly templates = new Map<string, ejs.TemplateFunction>();
  renders = 0;

  constructor(
    private readonly viewsDir: string,
    private readonly context: (snapshot: Snapshot | null) => ViewContext,
    /** Moves on whenever alerts or host values change. */
    private readonly generation: () => number = () => 0,
    /** Hears of a panel that could not be rendered (it shows an error in its place). */
    private readonly onError: (error: unknown, panel: string) => void = (error, panel) =>
      process.stderr.write(`tradewatch: panel ${panel} failed: ${describe(error)}\n`),
  ) {}

  render(
    snapshot: Snapshot,
    panel: PanelSpec,
    engine: EngineView,
    symbol: string | null = null,
  ): string {
    const key = symbol === null ? panel.name : `${panel.name}:${symbol}`;
    const now = () => this.renderNow(snapshot, panel, engine, symbol);
    // A fleet panel reads every engine: kept while its version string stays the same.
    if (panel.version) return this.keep(`version|${key}`, null, this.versionOf(panel), now);
    if (panel.monitor)
      return this.keep(`${snapshot.engine}|${key}`, snapshot, String(this.generation()), now);
    let perSnapshot = this.cache.get(snapshot);
    if (!perSnapshot) {
      perSnapshot = new Map();
      this.cache.set(snapshot, perSnapshot);
    }
    const cached = perSnapshot.get(key);
    if (cached !== undefined) return cached;
    const html = now();
    perSnapshot.set(key, html);
    return html;
  }

  /** What a panel with a `version` shows now (for its cache and the polling fallback's ETag). */
  versionOf(panel: PanelSpec): string {
    return panel.version?.(this.context(null)) ?? '';
  }

  /** The last render under `cacheKey`, while it was for this snapshot (or none) and version. */
  private keep(
    cacheKey: string,
    snapshot: Snapshot | null,
    version: string,
    render: () => string,
  ): string {
    const cached = this.kept.get(cacheKey);
    if (cached && cached.snapshot === snapshot && cached.version === version) return cached.html;
    const html = render();
    this.kept.set(cacheKey, { snapshot, version, html });
    return html;
  }

  private renderNow(
    snapshot: Snapshot,
    panel: PanelSpec,
    engine: EngineView,
    symbol: string | null,
  ): string {
    this.renders++;
    try {
      return this.template(panel.template)({
        m: panel.model(snapshot, this.context(snapshot), engine, symbol),
      });
    } catch (error) {
      // Data nobody foresaw breaks this panel only: it says so, every other panel still renders.
      this.onError(error, panel.name);
      return `<p class="notice notice-error" role="alert">This panel cannot be shown: ${ejs.escapeXML(describe(error))}</p>`;
    }
  }

  private template(name: string): ejs.TemplateFunction {
    let fn = this.templates.get(name);
    if (!fn) {
      const filename = join(this.viewsDir, 'panels', `${name}.ejs`);
      fn = ejs.compile(readFileSync(filename, 'utf8'), {
        filename,
        views: [this.viewsDir],
        // Without it EJS compiles every include() again on every call: a row partial in a
        // 100-row loop was compiled 100 times per render (found by profiling the soak).
        cache: true,
      }) as ejs.TemplateFunction;
      this.templates.set(name, fn);
    }
    return fn;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
