#!/usr/bin/env bash
# Bundles the action's entry points with ncc into dist/, which is committed: what users run is
# what this script makes from src/. scripts/check-dist.sh rebuilds and compares.
set -euo pipefail
cd "$(dirname "$0")/.."
ncc=node_modules/.bin/ncc
rm -rf dist
"$ncc" build src/index.ts -o dist --source-map --license licenses.txt --quiet
"$ncc" build src/post-entry.ts -o dist/post --source-map --quiet
"$ncc" build src/bin.ts -o dist/cli --source-map --quiet
# The code-aware checks load tree-sitter grammars at run time; the action runs offline, so the
# grammar files travel with the bundle.
if [ -f src/checks/code/grammars.ts ]; then
  mkdir -p dist/grammars
  node --input-type=module -e "
    import { readFileSync } from 'node:fs'
    const src = readFileSync('src/checks/code/grammars.ts', 'utf8')
    const files = [...src.matchAll(/'(tree-sitter[-\w]*\.wasm)'/g)].map((m) => m[1])
    console.log([...new Set(files)].join('\n'))
  " | while read -r file; do
    if [ -f "node_modules/tree-sitter-wasms/out/$file" ]; then cp "node_modules/tree-sitter-wasms/out/$file" dist/grammars/
    elif [ -f "node_modules/web-tree-sitter/$file" ]; then cp "node_modules/web-tree-sitter/$file" dist/grammars/
    else echo "bundle: grammar $file not found" >&2; exit 1; fi
  done
fi
echo "dist/ rebuilt" >&2
