#!/usr/bin/env node
// Bundles the compiled service (dist/main.js, from `nest build`) and its dependencies into one file,
// dist/bundle/main.js, which the image runs: Node then resolves and reads one module instead of
// about eight hundred, which is most of the start-up time (docs/performance.md, "Start-up").
// Names are kept (Nest and our logs read class names); whitespace and syntax are minified, which
// also shrinks the source text V8 keeps in the heap for every loaded function.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The compiled folder to bundle: dist/ by default; the benchmark passes its private copy.
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const requireFrom = createRequire(join(dist, 'main.js'));
const outfile = join(dist, 'bundle', 'main.js');

/** Optional packages Nest and others probe with require() inside try/catch: left as run-time requires. */
const unresolvedStayExternal = {
  name: 'unresolved-stay-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.pluginData?.checked) return undefined;
      try {
        requireFrom.resolve(args.path, { paths: [args.resolveDir] });
        return undefined;
      } catch {
        return { path: args.path, external: true };
      }
    });
  },
};

await build({
  entryPoints: [join(dist, 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // Served from their own folders at run time (Swagger UI's assets are located through __dirname).
  external: ['swagger-ui-dist', '@fastify/static'],
  plugins: [unresolvedStayExternal],
});

// Node keeps the bundle's source text in V8's heap, and a single non-ASCII character makes V8 store
// all of it as UTF-16: twice the bytes, ~8 MiB more at rest (docs/performance.md, "Start-up").
// esbuild's default ASCII charset escapes strings but leaves regular-expression literals as
// written (validator's alphabets), so the rest is escaped here: `\uXXXX` is the same code unit in a
// string, a template's value, a regular expression (with or without the u flag) and an identifier.
// Columns of the few lines that change shift in the source map.
const bundled = readFileSync(outfile, 'utf8');
if (/\\[^\x00-\x7f]/.test(bundled)) throw new Error('bundle: a backslash before a non-ASCII character');
const escape = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
writeFileSync(outfile, bundled.replace(/[^\x00-\x7f]/g, escape));
