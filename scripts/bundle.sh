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
mkdir -p dist/grammars
node_modules/.bin/tsx -e "
  import { GRAMMAR_FILES, RUNTIME_FILE } from './src/checks/code/grammars.ts'
  console.log([RUNTIME_FILE, ...GRAMMAR_FILES].join('\\n'))
" | while read -r file; do
  if [ -f "node_modules/tree-sitter-wasms/out/$file" ]; then cp "node_modules/tree-sitter-wasms/out/$file" dist/grammars/
  elif [ -f "node_modules/web-tree-sitter/$file" ]; then cp "node_modules/web-tree-sitter/$file" dist/grammars/
  else echo "bundle: grammar file $file not found in node_modules" >&2; exit 1; fi
done
echo "dist/ rebuilt" >&2
