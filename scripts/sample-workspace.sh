#!/usr/bin/env bash
# The sample workspace `npm start` opens (scripts/start.sh): a git repository with a first commit, so a
# dispatch can start a worktree from HEAD, and a planning folder with a goal and one example task (from
# scripts/sample-workspace/, the rest filled in by `ato init`).
#   scripts/sample-workspace.sh <folder>   (dist/cli.js must be built)
# Idempotent, and it repairs a sample an earlier version left without a commit. A sample that has a
# commit is the user's: nothing in it is changed. Works with no git identity configured on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
sample=$1
template=scripts/sample-workspace
mkdir -p "$sample"
[ -e "$sample/.git" ] || git -C "$sample" init -q --initial-branch=main
if git -C "$sample" rev-parse --verify --quiet 'HEAD^{commit}' >/dev/null; then
  exit 0
fi
# New, or left without a commit by an earlier run: add what is missing, never overwriting a file, and not
# the example task when an earlier dispatch already moved it on.
while IFS= read -r -d '' file; do
  relative=${file#"$template"/}
  name=$(basename "$relative")
  case $relative in
    planning/issue_queue/pending/*)
      [ -e "$sample/planning/issue_queue/processed/$name" ] || [ -e "$sample/planning/issue_queue/complete/$name" ] && continue ;;
  esac
  [ -e "$sample/$relative" ] && continue
  mkdir -p "$(dirname "$sample/$relative")"
  cp "$file" "$sample/$relative"
done < <(find "$template" -type f -print0)
node dist/cli.js init --workspace "$sample" >/dev/null
# The identity, signing and hooks are the sample's own: the machine may have none configured, or ones
# that would stop the commit.
git -C "$sample" add --all
git -C "$sample" -c user.name='ATO sample' -c user.email='sample@ato.invalid' -c commit.gpgsign=false \
  commit -q --no-verify -m 'Sample project for ATO: a goal and one example task'
echo "Sample workspace ready at $sample"
