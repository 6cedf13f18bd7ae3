#!/bin/sh
# bench/run.sh: run every benchmark (make bench).  Figures and ratios are
# printed; nothing here asserts a time.  N sets the size (default 1000000)
# of the first three; bundle.sh has its own (10,000 dossiers), down.sh
# too (100).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/new.sh" "${N:-1000000}"
"$here/route.sh" "${N:-1000000}"
"$here/status.sh" "${N:-1000000}"
"$here/bundle.sh"
"$here/down.sh"
