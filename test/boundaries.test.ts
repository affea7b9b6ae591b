import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The module table of ../shared/STYLE.md ("Who may import whom"), as data. `ours` lists the
 * modules whose values may be imported; `typesFrom` the ones that may be imported with
 * `import type` only; `npm` the packages allowed (node:* is always allowed). `any` = no limit.
 */
interface Rule {
  ours: readonly string[];
  typesFrom?: readonly string[];
  npm: readonly string[] | 'any';
}

const ANY_OURS = ['contract', 'state', 'reader', 'monitor', 'web', 'config', 'service', 'cli'];

const RULES: Record<string, Rule> = {
  contract: { ours: ['contract'], npm: [] },
  // The lean writer package is built from state + contract: nothing else may get in.
  state: { ours: ['contract', 'state'], npm: ['better-sqlite3'] },
  reader: { ours: ['contract', 'reader'], npm: ['better-sqlite3'] },
  // Metrics (prom-client) and e-mail (nodemailer) are monitor jobs the STYLE table does not forbid.
  monitor: {
    ours: ['contract', 'monitor'],
    typesFrom: ['reader'],
    npm: ['systeminformation', 'node-cron', 'better-sqlite3', 'prom-client', 'nodemailer'],
  },
  web: {
    ours: ['contract', 'web'],
    typesFrom: ['reader', 'monitor'],
    npm: ['express', 'ejs', 'helmet', 'prom-client'],
  },
  // The alert rule and channel tables config validates --alert and --notify-level with live in
  // contract (alert-rules.ts, channel-kinds.ts), shared with monitor.
  config: { ours: ['contract', 'config'], npm: ['yaml'] },
  // The composition root wires everything.
  service: { ours: ANY_OURS, npm: 'any' },
  cli: { ours: ANY_OURS, npm: 'any' },
};

const SRC = resolve(import.meta.dirname, '../src');

interface ImportArrow {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every import, re-export and dynamic import of a file, read by the TypeScript parser. */
function importsOf(file: string): ImportArrow[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: ImportArrow[] = [];
  const add = (specifier: ts.Node | undefined, typeOnly: boolean) => {
    if (specifier && ts.isStringLiteral(specifier))
      found.push({ file, specifier: specifier.text, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allNamedAreTypes =
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (clause.name === undefined && allNamedAreTypes));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause;
      const allTypes =
        named !== undefined &&
        ts.isNamedExports(named) &&
        named.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, node.isTypeOnly || allTypes);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal, true);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0]
    ) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `src/web/routes/api.ts` → `web`; `src/cli.ts` → `cli`. */
function moduleOf(path: string): string {
  const [first, second] = relative(SRC, path).split('/');
  return second === undefined ? (first ?? '').replace(/\.ts$/, '') : (first ?? '');
}

/** The broken rule of one arrow, or null when the table allows it. */
function violation(arrow: ImportArrow): string | null {
  const from = moduleOf(arrow.file);
  const rule = RULES[from];
  const where = `${relative(SRC, arrow.file)} imports '${arrow.specifier}'`;
  if (!rule) return `${where}: src/${from} is not in the module table`;
  if (arrow.specifier.startsWith('.')) {
    const to = moduleOf(resolve(dirname(arrow.file), arrow.specifier));
    if (rule.ours.includes(to)) return null;
    if (arrow.typeOnly && rule.typesFrom?.includes(to)) return null;
    return rule.typesFrom?.includes(to)
      ? `${where}: ${from} may take only types from ${to} (use \`import type\`, or move the value to contract, or hand it in)`
      : `${where}: ${from} may not import ${to}`;
  }
  if (arrow.specifier.startsWith('node:')) return null;
  const name = arrow.specifier.startsWith('@')
    ? arrow.specifier.split('/').slice(0, 2).join('/')
    : (arrow.specifier.split('/')[0] ?? '');
  if (rule.npm === 'any' || rule.npm.includes(name)) return null;
  return `${where}: ${from} may not depend on the npm package ${name}`;
}

const files = sourceFiles(SRC);
const arrows = files.flatMap(importsOf);

describe('module boundaries (STYLE.md, "Who may import whom")', () => {
  it('finds the imports of every source file, type-only ones told apart', () => {
    expect(files.length).toBeGreaterThan(50);
    const writer = arrows.filter((a) => a.file.endsWith('/state/writer.ts'));
    expect(writer).toContainEqual(
      expect.objectContaining({ specifier: 'better-sqlite3', typeOnly: true }),
    );
    expect(writer).toContainEqual(
      expect.objectContaining({ specifier: './database.js', typeOnly: false }),
    );
  });

  it('tells a forbidden value import from an allowed type import', () => {
    const web = join(SRC, 'web/routes/x.ts');
    expect(
      violation({ file: web, specifier: '../../monitor/history.js', typeOnly: false }),
    ).toMatch(/web may take only types from monitor/);
    expect(
      violation({ file: web, specifier: '../../monitor/history.js', typeOnly: true }),
    ).toBeNull();
    const state = join(SRC, 'state/x.ts');
    expect(violation({ file: state, specifier: 'express', typeOnly: false })).toMatch(
      /npm package/,
    );
    expect(violation({ file: state, specifier: '../reader/x.js', typeOnly: true })).toMatch(
      /state may not import reader/,
    );
  });

  it('has no import arrow that the module table forbids', () => {
    const broken = arrows.map(violation).filter((v) => v !== null);
    expect(broken).toEqual([]);
  });
});
