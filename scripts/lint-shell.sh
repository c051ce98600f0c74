#!/usr/bin/env bash
# Runs shellcheck over every shell script in the repository (part of `npm run lint`): the files git
# knows (tracked or new, not ignored) that end in .sh or start with a sh/bash/dash/ksh shebang.
# Fix a warning rather than silence it; when a warning is wrong, disable it on that line with a
# `# shellcheck disable=SCxxxx` comment above it that says why.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null; then
  echo "lint-shell: shellcheck is not installed (bash scripts/setup.sh installs it)" >&2
  exit 1
fi

scripts=()
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue # deleted in the work tree
  case $file in
    *.sh) scripts+=("$file") ;;
    *)
      IFS= read -r first_line <"$file" || true
      if [[ $first_line =~ ^#!.*[/\ ](ba|da|k)?sh([[:space:]]|$) ]]; then scripts+=("$file"); fi
      ;;
  esac
done < <(git ls-files -z --cached --others --exclude-standard)

if ((${#scripts[@]} == 0)); then
  echo "lint-shell: no shell scripts found" >&2
  exit 1
fi
shellcheck --external-sources "${scripts[@]}"
echo "lint-shell: ${#scripts[@]} shell scripts clean"
