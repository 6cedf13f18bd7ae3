#!/bin/sh
# bench/down.sh: what bundles down to a child office weigh.
#
# A province receives N applications (default 100), each with its own
# scan of 100 KB of random bytes, and hands every one to a commune on a
# bundle (the first bundle down: the dossiers with their histories and
# scans).  The commune processes them and sends the finished work up;
# the province returns each result (one event a dossier) and exports to
# the commune again: the second bundle down.  Prints the bytes, events
# and attachments of both, and checks that the commune holds every result.
# With the commune's word of the last bundle whose content it holds
# (sync.jsonl), the second carries only the new events; run with an older
# build (O=...) to see the whole histories and scans carried again.
#
#   bench/down.sh [N]     (O=build by default; WORK=dir for the files)
set -eu

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
n=${1:-100}
work=${WORK:-$bin/bench}/down
P=000.00.00.H56
C=000.00.27.H56
rm -rf "$work"
mkdir -p "$work/att"
cd "$work"

for o in p:$P c:$C; do
	dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name "O ${o#*:}" \
	    >/dev/null
	dossier-admin -d "${o%%:*}.db" catalog import "$cat" >/dev/null
done
dossier-bundle -d p.db trust add $C \
    "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null
dossier-bundle -d c.db trust add $P \
    "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null

i=1
while [ "$i" -le "$n" ]; do
	head -c 100000 /dev/urandom >"att/s$i.pdf"
	jq -nc --arg ref "p$i" --arg f "s$i.pdf" --slurpfile cat "$cat" '{
	    ref: $ref, procedure: "1.001193", unit: "000.00.01.H56",
	    channel: "direct", applicant: {type: "citizen",
	    name: "Lò Thị Hoa", id_number: "038190001234",
	    phone: "0912345678"}, documents: ([$cat[] |
	    select(.kind == "procedure" and .code == "1.001193") |
	    .documents[] | select(.required) | {name, file: null}] |
	    .[0].file = $f)}'
	i=$((i + 1))
done | dossier-new -d p.db --as an.nv --attachments att >/dev/null
codes=$(sqlite3 p.db "SELECT code FROM dossiers ORDER BY id")

# route DB LOGIN ACTION [OPTION ...]: the action on every dossier
route() {
	_db=$1 _as=$2 _act=$3
	shift 3
	for c in $codes; do
		dossier-route -d "$_db" --as "$_as" "$_act" "$c" "$@" >/dev/null
	done
}

route p.db an.nv forward -t 000.03.27.H56
dossier-bundle -d p.db export --to $C -o d1.bundle >d1.json
dossier-bundle -d c.db import d1.bundle >/dev/null
route c.db chien.hv start
route c.db chien.hv next -H tuan.lm
route c.db tuan.lm finish
dossier-bundle -d c.db export --to $P -o u1.bundle >/dev/null
dossier-bundle -d p.db import u1.bundle >/dev/null
route p.db an.nv return
t0=$(date +%s.%N)
dossier-bundle -d p.db export --to $C -o d2.bundle >d2.json
t1=$(date +%s.%N)
dossier-bundle -d c.db import d2.bundle >i2.json

returned=$(sqlite3 c.db "SELECT count(*) FROM dossiers WHERE status = 10")
echo "bench/down.sh: $n dossiers handed down, each with a scan of 100 KB"
for b in d1 d2; do
	echo "  bundle $b: $(stat -c %s $b.bundle) bytes," \
	    "$(jq .events $b.json) events, $(jq .blobs $b.json) attachments"
done
echo "  the second export took $(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }") s"
echo "  the commune took $(jq .events_new i2.json) new events;" \
    "$returned of $n results returned there"
[ "$returned" = "$n" ] || { echo "bench: the commune misses results" >&2; exit 1; }
