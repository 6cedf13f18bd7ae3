#!/bin/sh
# mutants.sh: mutation testing (make mutate).  Applies each one-line
# mutation listed in tests/mutants.txt, one at a time, to a scratch copy
# of the tree, builds it, and runs the tests the mutant names.  A mutant
# that the tests let pass has "survived": the tests miss that bug.
# Fails if any mutant survives, if its line is not found exactly once,
# or if it does not build.
#
# A mutant is found by its source text, never by a line number: the line
# in its file, or, when the code moved to another file, the one line of
# the sources (cmd/, libcommon/) that is equal to it, with a note to
# update the block.
#
#   tests/mutants.sh [LIST]          LIST defaults to tests/mutants.txt
#   tests/mutants.sh --check [LIST]  only find each mutant's line, build
#                                    and run nothing (make check)
#
# The copy is made from the working tree (with its build directory, so
# that only the mutated file is recompiled); the tree itself is never
# touched.  MUTATE_KEEP=1 keeps the scratch copy.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
checkonly=0
if [ "${1:-}" = --check ]; then
	checkonly=1
	shift
fi
list=${1:-$root/tests/mutants.txt}
O=${O:-build}
jobs=${JOBS:-2}

# count FILE FROM: how many lines of FILE equal FROM (but for blanks at
# either end)
count() {
	FROM=$2 awk '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	BEGIN { from = ENVIRON["FROM"] }
	trim($0) == from { n++ }
	END { print n + 0 }' "$1"
}

# locate TREE FILE FROM: the file of TREE that holds the line FROM once:
# FILE itself, or the one source file that does when FILE does not (the
# code moved).  Prints it; fails, saying why, when there is none.
locate() {
	_n=0
	[ -f "$1/$2" ] && _n=$(count "$1/$2" "$3")
	if [ "$_n" = 1 ]; then
		echo "$2"
		return 0
	fi
	if [ "$_n" -gt 1 ]; then
		echo "line found $_n times in $2, not once: $3" >&2
		return 1
	fi
	_found="" _times=0
	for _f in "$1"/cmd/*.c "$1"/libcommon/*.c "$1"/libcommon/*.h; do
		_k=$(count "$_f" "$3")
		if [ "$_k" -gt 0 ]; then
			_found="$_found ${_f#"$1"/}"
			_times=$((_times + _k))
		fi
	done
	if [ "$_times" = 1 ]; then
		echo "${_found# }"
		return 0
	fi
	echo "line found $_times times in the sources (${_found# }), not once: $3" >&2
	return 1
}

if [ "$checkonly" = 1 ]; then
	n=0 bad=0 moved=0
	file="" from=""
	errf=$(mktemp "${TMPDIR:-/tmp}/dossier-mutants.XXXXXX") || exit 1
	trap 'rm -f "$errf"' EXIT
	checkone() {
		if [ -z "$file" ]; then
			return
		fi
		n=$((n + 1))
		if ! at=$(locate "$root" "$file" "$from" 2>"$errf"); then
			echo "mutant $n: $file: $(cat "$errf")"
			bad=$((bad + 1))
		elif [ "$at" != "$file" ]; then
			echo "mutant $n: $file: the line is now in $at: update its block"
			moved=$((moved + 1))
		fi
		file="" from=""
	}
	while IFS= read -r l || [ -n "$l" ]; do
		case $l in
		'#'*) continue ;;
		'') checkone; continue ;;
		esac
		case ${l%%:*} in
		file) file=$(printf '%s\n' "${l#*:}" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//') ;;
		from) from=$(printf '%s\n' "${l#*:}" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//') ;;
		esac
	done <"$list"
	checkone
	echo "mutate: $n mutants, $bad not found once, $moved moved"
	[ "$bad" -eq 0 ] && [ "$moved" -eq 0 ]
	exit
fi

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
	if ! at=$(locate "$scratch" "$file" "$from" 2>"$scratch/.where"); then
		echo "mutant $label: $(cat "$scratch/.where")"
		broken=$((broken + 1))
		return
	fi
	if [ "$at" != "$file" ]; then
		echo "mutant $label: the line is now in $at: update its block"
		label="$total: $at: $why"
	fi
	f="$scratch/$at"
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
