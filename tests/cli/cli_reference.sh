#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# docs/CLI.md documents every command and option that `medveil-cli --help` prints.
# Usage: cli_reference.sh MEDVEIL_CLI DOCS_CLI_MD
set -uo pipefail
cli=$1
doc=$2
help=$("$cli" --help) || { echo "cli_reference: --help failed"; exit 1; }
missing=0
while read -r option; do
  grep -qF -- "$option" "$doc" || { echo "cli_reference: option $option is not in docs/CLI.md"; missing=1; }
done < <(grep -oE -- '--[a-z][a-z0-9-]*' <<< "$help" | sort -u)
while read -r command; do
  grep -qE -- "medveil-cli $command[ \`]" "$doc" || { echo "cli_reference: command $command is not in docs/CLI.md"; missing=1; }
done < <(grep -oE '^  [a-z][a-z-]+' <<< "$help" | sort -u)
((missing == 0)) && echo "cli_reference: every command and option of --help is documented"
exit $missing
