#!/bin/sh
# mutants.sh: mutation testing (make mutate).  Applies each one-line
# mutation listed in tests/mutants.txt, one at a time, to a scratch copy
# of the tree, builds it, and runs the tests the mutant names.  A mutant
# that the tests let pass has "survived": the tests miss that bug.
# Fails if any mutant survives, if its line is not found exactly once,
# or if it does not build.
#
#   tests/mutants.sh [LIST]      LIST defaults to tests/mutants.txt
#
# The copy is made from the working tree (with its build directory, so
# that only the mutated file is recompiled); the tree itself is never
# touched.  MUTATE_KEEP=1 keeps the scratch copy.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
list=${1:-$root/tests/mutants.txt}
O=${O:-build}
jobs=${JOBS:-2}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dossier-mutate.XXXXXX")
if [ "${MUTATE_KEEP:-0}" != 1 ]; then
	trap 'rm -rf "$scratch"' EXIT
fi
trap 'exit 130' INT TERM

echo "mutate: copying the tree to $scratch"
(cd "$root" && git ls-files -z | xargs -0 cp -p --parents -t "$scratch") ||
    exit 1
if [ -d "$root/$O" ]; then
	cp -pR "$root/$O" "$scratch/$O" || exit 1
fi
if ! make -C "$scratch" -s -j"$jobs" O="$O" all "$O/unit-tests" \
    "$O/mutate" >"$scratch/.build.log" 2>&1; then
	echo "mutate: the unmutated tree does not build:" >&2
	tail -n 20 "$scratch/.build.log" >&2
	exit 1
fi

# trim: strip leading and trailing blanks
trim() {
	sed 's/^[[:space:]]*//; s/[[:space:]]*$//'
}

# apply FILE FROM TO: replace the one line of FILE equal to FROM (but for
# blanks at either end) by TO, keeping its indentation.  Prints the number
# of lines that matched; changes the file only if exactly one did.
apply() {
	FROM=$2 TO=$3 awk '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	BEGIN { from = ENVIRON["FROM"]; to = ENVIRON["TO"] }
	{ line[NR] = $0; if (trim($0) == from) { n++; at = NR } }
	END {
		print n + 0 > "/dev/stderr"
		if (n != 1)
			exit 1
		for (i = 1; i <= NR; i++) {
			if (i == at) {
				ind = line[i]; sub(/[^ \t].*$/, "", ind)
				print ind to
			} else
				print line[i]
		}
	}' "$1" >"$1.mutant" 2>"$scratch/.count"
}

total=0 killed=0 survived=0 broken=0
summary=""
# one MUTANT: try the mutant in $file $from $to $tests $why
one() {
	total=$((total + 1))
	label="$total: $file: $why"
	f="$scratch/$file"
	if [ ! -f "$f" ]; then
		echo "mutant $label: no file $file"
		broken=$((broken + 1))
		return
	fi
	cp -p "$f" "$scratch/.orig"
	if ! apply "$f" "$from" "$to"; then
		echo "mutant $label: line found $(cat "$scratch/.count") times, not once: $from"
		rm -f "$f.mutant"
		broken=$((broken + 1))
		return
	fi
	mv "$f.mutant" "$f"
	if ! make -C "$scratch" -s -j"$jobs" O="$O" all "$O/unit-tests" \
	    </dev/null >"$scratch/.build.log" 2>&1; then
		echo "mutant $label: does not build"
		sed 's/^/#   /' "$scratch/.build.log" | tail -n 10
		broken=$((broken + 1))
	else
		# shellcheck disable=SC2086
		if (cd "$scratch" && O="$O" tests/run $tests) \
		    </dev/null >"$scratch/.run.log" 2>&1; then
			echo "mutant $label: SURVIVED ($tests)"
			survived=$((survived + 1))
			summary="$summary
  survived: $label"
		else
			echo "mutant $label: killed by $tests ($(grep -c '^not ok' \
			    "$scratch/.run.log") failing tests)"
			killed=$((killed + 1))
		fi
	fi
	# back to the original, newer than the mutant's objects
	cp "$scratch/.orig" "$f"
	touch "$f"
}

file="" from="" to="" tests="" why=""
flush() {
	if [ -n "$file" ]; then
		if [ -z "$from" ] || [ -z "$tests" ]; then
			echo "mutate: $list: a block for $file lacks from or tests" >&2
			broken=$((broken + 1))
		else
			one
		fi
	fi
	file="" from="" to="" tests="" why=""
}
while IFS= read -r l || [ -n "$l" ]; do
	case $l in
	'#'*) continue ;;
	'') flush; continue ;;
	esac
	key=${l%%:*}
	val=$(printf '%s\n' "${l#*:}" | trim)
	case $key in
	file) file=$val ;;
	from) from=$val ;;
	to) to=$val ;;
	tests) tests=$val ;;
	why) why=$val ;;
	*) echo "mutate: $list: unknown key '$key'" >&2; exit 2 ;;
	esac
done <"$list"
flush

echo "mutate: $total mutants, $killed killed, $survived survived, $broken not applied${summary}"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
