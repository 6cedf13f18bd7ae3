#!/bin/sh
# dossier-bundle: the catalog and the calendar travel down from the
# province to a child office in catalog.jsonl and calendar.jsonl, are
# applied on import in the same transaction, only from a bundle later than
# any taken before, and never up; hostile catalog and calendar members,
# signed with the sender's key, import nothing.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

C=000.00.22.H56
P=000.00.01.H56
app() {
	birth "$1"
}
# snap DB: what an import may change
snap() {
	sqlite3 "$1" "SELECT count(*) FROM procedures; SELECT count(*) FROM units;
	    SELECT group_concat(day || kind, ' ') FROM calendar_overrides;
	    SELECT group_concat(day || office_hours || cutoff, ' ') FROM calendar_hours;
	    SELECT count(*) FROM bundles_in; SELECT count(*) FROM staff"
}

cat >mk.py <<'PY'
# mk.py MODE OUT: a bundle from the members in x/, changed as MODE says,
# the manifest listing the new sizes and hashes unless MODE is "hash",
# signed by the key in sign.pem (forge.py)
import sys
import forge
mode, out = sys.argv[1], sys.argv[2]
man, members = forge.load("x")
staff = b'{"kind":"staff","login":"evil","name":"E","unit":"000.00.22.H56","roles":["admin"]}\n'
extra = []
for i, (n, d) in enumerate(members):
    if n == "catalog.jsonl" and mode in ("staff", "hash"):
        members[i] = (n, d + staff)
    if n == "calendar.jsonl" and mode == "badday":
        members[i] = (n, d + b'{"date":"2026-02-30","kind":"holiday","name":"x"}\n')
    if n == "hours.jsonl" and mode == "badhours":
        members[i] = (n, d + b'{"from":"2027-01-04","office_hours":"17:00-07:00","cutoff":"16:00"}\n')
    if n == "catalog.jsonl" and mode == "badproc":
        members[i] = (n, d + b'{"kind":"procedure","code":"9.999999"}\n')
if mode == "extra":
    extra = [m for m in members if m[0] == "catalog.jsonl"]
    members = [m for m in members if m[0] != "catalog.jsonl"]
if mode != "hash":
    man["entries"] = forge.entries(members)
if mode == "huge":
    for e in man["entries"]:
        if e["name"] == "calendar.jsonl":
            e["size"] = 64 * 1024 * 1024 + 1
mb = forge.dump(man)
forge.write_tar(out, mb, forge.sign(mb, "sign.pem"), members + extra)
PY

expect_ok 'setup: a province with the catalog and a holiday, a new commune, trusting each other' '
	dossier-admin -d p.db init --agency $P --name "Tỉnh" >/dev/null &&
	dossier-admin -d p.db catalog import "$CATALOG" >/dev/null &&
	dossier-admin -d p.db calendar import "$DOSSIER_ROOT/examples/tet2026.jsonl" >/dev/null &&
	dossier-admin -d c.db init --agency $C --name "UBND xã" >/dev/null &&
	dossier-bundle -d p.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null'
expect_ok 'an export to a child office carries catalog.jsonl, calendar.jsonl and hours.jsonl, last' '
	dossier-bundle -d p.db export --to $C -o d1.bundle >out.json &&
	jq -e ".blobs == 0" out.json >/dev/null &&
	dossier-bundle -d c.db list d1.bundle | jq -r "select(.name) | .name" >names &&
	printf "events.jsonl\ncatalog.jsonl\ncalendar.jsonl\nhours.jsonl\n" >want &&
	same want names &&
	tar -tzf d1.bundle >tnames && printf "manifest.json\nmanifest.sig\n" | cat - want >twant &&
	same twant tnames &&
	mkdir x && tar -xzf d1.bundle -C x &&
	jq -r ".entries[] | \"\(.sha256)  \(.name)\"" x/manifest.json >sums &&
	(cd x && sha256sum -c --quiet ../sums) &&
	! grep -q "\"kind\":\"staff\"" x/catalog.jsonl &&
	test "$(grep -c "\"kind\":\"procedure\"" x/catalog.jsonl)" = 16 &&
	test "$(wc -l <x/calendar.jsonl)" = 5 && test ! -s x/hours.jsonl'
expect_ok 'import --dry-run says what would change, changes nothing' '
	snap c.db >before &&
	dossier-bundle -d c.db import --dry-run d1.bundle >out.json &&
	jq -e ".catalog_new > 0 and .calendar_days == 5 and .dry_run" out.json >/dev/null &&
	snap c.db >after && same before after'
expect_ok 'the commune takes the province'\''s procedures and holidays, and receives under them' '
	dossier-bundle -d c.db import d1.bundle >out.json &&
	jq -e ".catalog_new > 0 and .calendar_days == 5 and .recounted == 0" out.json >/dev/null &&
	test "$(sqlite3 c.db "SELECT count(DISTINCT code) FROM procedures")" = 16 &&
	sqlite3 c.db "SELECT day FROM calendar_overrides" >days && has 2026-02-17 days &&
	! sqlite3 c.db "SELECT login FROM staff" | grep -q an.nv &&
	app r1 | dossier-new -d c.db >new.json && jq -e ".code" new.json >/dev/null'
expect_ok 'the catalog down names the province, the commune and its sections: its staff and a hand-off need them' '
	sqlite3 c.db "SELECT code FROM units" >units &&
	has $P units && has $C units && has 000.01.22.H56 units && has 000.02.22.H56 units &&
	grep "\"kind\":\"staff\"" "$CATALOG" | grep "\"000.0[0-2].22.H56\"" >staff.jsonl &&
	dossier-admin -d c.db catalog import staff.jsonl >/dev/null &&
	jq -nc "{ref: \"h1\", procedure: \"1.001731\", unit: \"$C\", channel: \"direct\",
	    applicant: {type: \"citizen\", name: \"Lò Thị Hoa\", id_number: \"038190001234\"},
	    documents: [\"Tờ khai đề nghị hỗ trợ chi phí mai táng (Mẫu số 04)\",
	        \"Bản sao Giấy chứng tử hoặc Trích lục khai tử\"] | map({name: ., file: null})}" |
	    dossier-new -d c.db --as lan.tt >h1.json &&
	h1=$(jq -r .code h1.json) &&
	dossier-route -d c.db --as lan.tt start "$h1" -H dung.hv >/dev/null &&
	dossier-route -d c.db --as dung.hv next "$h1" -H binh.dt >/dev/null &&
	dossier-route -d c.db --as binh.dt next "$h1" >r.json &&
	jq -e ".step == 3 and .owner == \"$P\"" r.json >/dev/null'
expect_ok 'a replayed bundle changes nothing' '
	snap c.db >before &&
	dossier-bundle -d c.db import d1.bundle >out.json &&
	jq -e ".catalog_new == 0 and .calendar_days == 0" out.json >/dev/null &&
	snap c.db >after && same before after'
expect_ok 'a changed calendar: the later bundle wins, and an older one brought after it changes nothing' '
	for d in 1 2 3 4; do
		jq -nc --arg d "$(date -d "+$d day" +%F)" "{date: \$d, kind: \"holiday\", name: \"Lễ\"}"
	done >h.jsonl &&
	dossier-admin -d p.db calendar import h.jsonl >/dev/null &&
	sqlite3 p.db "DELETE FROM calendar_overrides WHERE day < date(\"now\")" &&
	dossier-bundle -d p.db export --to $C -o d2.bundle >/dev/null &&
	dossier-bundle -d c.db import d2.bundle >out.json &&
	jq -e ".calendar_days == 4 and .recounted == 1" out.json >/dev/null &&
	test "$(sqlite3 c.db "SELECT count(*) FROM calendar_overrides WHERE day < date(\"now\")")" = 0 &&
	test "$(sqlite3 c.db "SELECT count(*) FROM calendar_overrides")" = 4 &&
	snap c.db >before &&
	dossier-bundle -d c.db import d1.bundle >out.json &&
	jq -e ".calendar_days == 0 and .catalog_new == 0" out.json >/dev/null &&
	snap c.db >after && same before after'
expect_ok 'the province'\''s change of office hours travels down and moves the commune'\''s open dossier' '
	from=$(date -d "+1 day" +%F) &&
	sqlite3 c.db "SELECT due_at FROM dossiers" >due0 &&
	dossier-admin -d p.db calendar hours -f "$from" 08:00-10:00 09:00 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d4.bundle >/dev/null &&
	tar -xzOf d4.bundle hours.jsonl >h.got &&
	printf "{\"from\":\"%s\",\"office_hours\":\"08:00-10:00\",\"cutoff\":\"09:00\"}\n" "$from" >h.want &&
	same h.want h.got &&
	dossier-bundle -d c.db import d4.bundle >out.json &&
	jq -e ".calendar_hours == 1 and .recounted == 1" out.json >/dev/null &&
	test "$(sqlite3 c.db "SELECT day, office_hours, cutoff FROM calendar_hours")" = "$from|08:00-10:00|09:00" &&
	dossier-admin -d c.db calendar hours -f "$from" | jq -e ".office_hours == \"08:00-10:00\"" >/dev/null &&
	sqlite3 c.db "SELECT due_at FROM dossiers" >due1 && ! same due0 due1 2>/dev/null &&
	snap c.db >before &&
	dossier-bundle -d c.db import d2.bundle >out.json &&
	jq -e ".calendar_hours == 0" out.json >/dev/null &&
	snap c.db >after && same before after'
expect_ok 'the same hours again change nothing, and the commune'\''s own change of another day stays' '
	own=$(date -d "+9 day" +%F) &&
	dossier-admin -d c.db calendar hours -f "$own" 07:00-11:00,13:00-17:00 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d5.bundle >/dev/null &&
	sqlite3 c.db "SELECT * FROM calendar_hours" >before &&
	dossier-bundle -d c.db import d5.bundle >out.json &&
	jq -e ".calendar_hours == 0 and .recounted == 0" out.json >/dev/null &&
	sqlite3 c.db "SELECT * FROM calendar_hours" >after && same before after &&
	test "$(wc -l <after)" = 2'
expect_ok 'the commune'\''s export to its parent carries no catalog or calendar' '
	dossier-bundle -d c.db export --to $P -o u1.bundle >/dev/null &&
	dossier-bundle -d p.db list u1.bundle | jq -r "select(.name) | .name" >names &&
	printf "events.jsonl\nsync.jsonl\n" >want && same want names &&
	dossier-bundle -d p.db import u1.bundle >out.json &&
	jq -e ".dossiers_new == 2 and .catalog_new == 0" out.json >/dev/null'
expect_ok 'setup: the province'\''s members and key, for hostile bundles' '
	dossier-bundle -d p.db export --to $C -o d3.bundle >/dev/null &&
	rm -rf x && mkdir x && tar -xzf d3.bundle -C x && sec p.db.key sign.pem &&
	python3 mk.py none py.bundle && dossier-bundle -d c.db verify py.bundle >/dev/null'

# refused MODE TEXT: the bundle built in MODE is refused with TEXT by
# import, and the commune's database is unchanged
refused() {
	python3 mk.py "$1" "$1.bundle" || exit 99
	snap c.db >before
	dossier-bundle -d c.db import "$1.bundle" >out.json 2>err.txt; s=$?
	snap c.db >after
	has "$2" err.txt && test ! -s out.json && same before after || exit 99
	exit "$s"
}
expect_code 65 'a catalog carrying staff' \
	'refused staff "unknown kind '\''staff'\'' (unit, procedure)"'
expect_code 65 'a catalog with a bad procedure' \
	'refused badproc "catalog.jsonl:"'
expect_code 65 'office hours that end before they begin' \
	'refused badhours "hours.jsonl:2: "'
expect_code 65 'a calendar with a bad day' \
	'refused badday "invalid date '\''2026-02-30'\''"'
expect_code 65 'a catalog whose bytes are not the listed ones' \
	'refused hash "member '\''catalog.jsonl'\'' has"'
expect_code 65 'a catalog not in the manifest' \
	'refused extra "member '\''catalog.jsonl'\'' not in the manifest"'
expect_code 65 'a calendar declared larger than 64 MiB' \
	'refused huge "member '\''calendar.jsonl'\'' larger than"'
expect_ok 'after all that, the good bundle still imports' '
	dossier-bundle -d c.db import d3.bundle >out.json &&
	jq -e ".catalog_new == 0" out.json >/dev/null'

finish
