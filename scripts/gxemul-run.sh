#!/bin/sh
# gxemul-run.sh: run a bare-metal guest image on GXemul 0.7.0 as a
# DECstation 5000/200 and print the cleaned console output.
#
#   scripts/gxemul-run.sh IMAGE.elf [TIMEOUT_SECONDS]
#   scripts/gxemul-run.sh --all     rewrite <name>.gxemul beside every
#                                   <name>.expected in src/exos/conformance and src/exos/bench
#
# GXemul hangs when its stdin is at end of file, so stdin is a FIFO opened
# read-write (0<>fifo), which never reports EOF. The run is killed after
# TIMEOUT_SECONDS (default 60).
#
# Cleaning rule (the only one): GXemul prints its own diagnostics on the
# same stdout as the guest console, one per line, as "[ ... ]". Every line
# whose first two characters are "[ " is dropped, carriage returns are
# removed, and nothing else is changed. With -q GXemul prints no banner.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)

clean() {
	tr -d '\r' | grep -v '^\[ ' || true
}

run_one() {
	elf=$1
	limit=${2:-60}
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
	mkfifo "$dir/stdin"
	timeout "$limit" gxemul -e 3max -C R3000A -q "$elf" 0<>"$dir/stdin" | clean
	rm -rf "$dir"
	trap - EXIT
}

if [ "${1:-}" = "--all" ]; then
	for exp in "$here"/src/exos/conformance/*.expected "$here"/src/exos/bench/*.expected; do
		name=$(basename "$exp" .expected)
		echo "gxemul: $name" >&2
		run_one "$here/src/exos/images/$name.elf" 60 \
			>"$(dirname "$exp")/$name.gxemul"
	done
	exit 0
fi

if [ $# -lt 1 ]; then
	echo "usage: $0 IMAGE.elf [TIMEOUT_SECONDS] | --all" >&2
	exit 2
fi
run_one "$@"
