#!/usr/bin/env bash
# Bundles the action's entry points with ncc into dist/, which is committed: what users run is
# what this script makes from src/. scripts/check-dist.sh rebuilds and compares.
set -euo pipefail
cd "$(dirname "$0")/.."
ncc=node_modules/.bin/ncc
# Source maps are written for debugging (node --enable-source-maps), but not registered: the
# register parsed the 6 MB map the first time any error's stack was read (undici reads one on
# every closed connection), about 80 ms and 70 MB of a run, and users never see a stack trace.
rm -rf dist
"$ncc" build src/index.ts -o dist --source-map --no-source-map-register --license licenses.txt --quiet
"$ncc" build src/post-entry.ts -o dist/post --source-map --no-source-map-register --quiet
"$ncc" build src/bin.ts -o dist/cli --source-map --no-source-map-register --license licenses.txt --quiet
# The code-aware checks load tree-sitter and its grammars at run time (ncc cannot bundle
# web-tree-sitter); the action runs offline, so these files travel with the bundle.
mkdir -p dist/grammars
node_modules/.bin/tsx -e "
  import { SHIPPED_FILES } from './src/checks/code/grammars.ts'
  console.log(SHIPPED_FILES.join('\\n'))
" | while read -r file; do
  if [ -f "node_modules/tree-sitter-wasms/out/$file" ]; then cp "node_modules/tree-sitter-wasms/out/$file" dist/grammars/
  elif [ -f "node_modules/web-tree-sitter/$file" ]; then cp "node_modules/web-tree-sitter/$file" dist/grammars/
  else echo "bundle: grammar file $file not found in node_modules" >&2; exit 1; fi
done
# Their licences go with them: ncc's licenses.txt lists only what it bundled.
cp node_modules/web-tree-sitter/LICENSE dist/grammars/LICENSE.web-tree-sitter
cp node_modules/tree-sitter-wasms/LICENSE dist/grammars/LICENSE.tree-sitter-wasms
echo "dist/ rebuilt" >&2
