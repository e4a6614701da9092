#!/usr/bin/env bash
# Fails when dist/ is not what the source builds: users run dist/, reviewers read src/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bundle.sh
if ! git diff --quiet --exit-code -- dist || [ -n "$(git status --porcelain --untracked-files=all -- dist)" ]; then
  echo "dist/ differs from what src/ builds. Run 'npm run bundle' and commit dist/:" >&2
  git status --short -- dist >&2
  git diff --stat -- dist >&2
  exit 1
fi
echo "dist/ matches the source"
