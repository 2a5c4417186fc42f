#!/usr/bin/env node
// Folder-level dependency rule: no feature folder of the gateway (apps/gateway/src/<folder>) imports another that
// imports it back. ESLint checks single imports; this checks the graph. Usage: node scripts/check-module-graph.js
'use strict';
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, normalize, relative, sep } = require('node:path');

const IMPORT = /(?:from|import\(|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Pairs [a, b] of top-level folders under `root` where a imports b and b imports a (each pair once). */
function twoWayFolders(root) {
  const edges = new Map();
  for (const file of sourceFiles(root)) {
    const from = relative(root, file).split(sep)[0];
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = relative(root, normalize(join(dirname(file), spec))).split(sep)[0];
      if (to === from || to.startsWith('..') || to.endsWith('.ts')) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  }
  const pairs = [];
  for (const [a, targets] of edges) for (const b of targets) if (a < b && edges.get(b)?.has(a)) pairs.push([a, b]);
  return pairs.sort();
}

module.exports = { twoWayFolders };

if (require.main === module) {
  const root = join(__dirname, '..', 'apps', 'gateway', 'src');
  const pairs = twoWayFolders(root);
  for (const [a, b] of pairs) console.error(`two-way imports between ${a}/ and ${b}/`);
  if (pairs.length) process.exit(1);
  console.log('module graph: no two-way imports between feature folders');
}
