import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { loadAll } from 'js-yaml';

/**
 * Offline Kubernetes schema checks, two layers:
 *  1. `kubernetes-models` ships ajv validators generated from the official Kubernetes OpenAPI spec:
 *     types, enums, required fields, formats (what `kubectl apply --dry-run=server` would reject).
 *  2. The official schema allows unknown fields (a typo such as `livenessprobe` passes it, and the
 *     API server would silently drop it). The same package ships exact TypeScript interfaces, so each
 *     manifest is compiled as an object literal of its interface: TypeScript's excess-property check
 *     then rejects any unknown field at any depth (like kubeconform -strict).
 */

export interface K8sDoc {
  file: string;
  index: number;
  doc: Record<string, any>;
}

export const REPO_ROOT = join(__dirname, '..', '..');

export function loadManifests(dir: string, files: string[]): K8sDoc[] {
  const out: K8sDoc[] = [];
  for (const file of files) {
    const docs = loadAll(readFileSync(join(dir, file), 'utf8')).filter((d) => d != null);
    docs.forEach((doc, index) => out.push({ file, index, doc: doc as Record<string, any> }));
  }
  return out;
}

/** Core kinds from kubernetes-models; the Prometheus Operator's CRDs from its own generated package. */
function modelPath(doc: Record<string, any>): string {
  const pkg = String(doc.apiVersion).startsWith('monitoring.coreos.com/')
    ? '@kubernetes-models/prometheus-operator'
    : 'kubernetes-models';
  return `${pkg}/${doc.apiVersion}/${doc.kind}`;
}

/** Layer 1: returns the validator's error message, or null when the object is valid. */
export function officialSchemaError(doc: Record<string, any>): string | null {
  let Model: new (d: unknown) => { validate(): void };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = require(modelPath(doc))[doc.kind];
  } catch {
    return `unknown apiVersion/kind ${doc.apiVersion}/${doc.kind}`;
  }
  try {
    new Model(doc).validate();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Layer 2: one TypeScript program for all documents; returns the diagnostics per document. */
export function strictFieldErrors(docs: Record<string, any>[]): string[][] {
  const fileName = join(REPO_ROOT, 'test', 'deploy', '__k8s_strict_check__.ts');
  const lines: string[] = [];
  const ranges: Array<[number, number]> = [];
  docs.forEach((doc, i) => {
    lines.push(`import type { I${doc.kind} as T${i} } from ${JSON.stringify(modelPath(doc))};`);
  });
  docs.forEach((doc, i) => {
    const start = lines.length;
    lines.push(`export const doc${i}: T${i} = ${JSON.stringify(doc, null, 2)};`);
    ranges.push([start, lines.join('\n').split('\n').length]);
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === fileName ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const sf = program.getSourceFile(fileName)!;
  const perDoc: string[][] = docs.map(() => []);
  for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
    const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line;
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    const i = ranges.findIndex(([a, b]) => line >= a && line < b);
    if (i >= 0) perDoc[i].push(message);
    else perDoc.forEach((p) => p.push(`(import) ${message}`));
  }
  return perDoc;
}

/** .dockerignore semantics (Go filepath.Match per path segment, `**` any depth, last match wins, `!` re-includes). */
export function dockerIgnored(patterns: string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+/, '').replace(/\/+$/, '');
    const re = new RegExp(
      '^' +
        pattern
          .split('/')
          .map((seg) =>
            seg === '**'
              ? '(?:.*)'
              : seg
                  .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                  .replace(/\*/g, '[^/]*')
                  .replace(/\?/g, '[^/]'),
          )
          .join('/')
          .replace(/\(\?:\.\*\)\//g, '(?:.*/)?') +
        '(?:/.*)?$',
    );
    if (re.test(path)) ignored = !negate;
  }
  return ignored;
}

export function dockerignorePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
