#!/bin/sh
# dossier-bundle: bundles go up to the office above or down to one below,
# as the catalog places them; an office aside (a mistyped code trusted
# by mistake, a sibling commune) neither gets this office's events nor
# sends it a catalog or a calendar.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=offices.sh
. "$(dirname "$0")/offices.sh"
setup

P=000.00.01.H56		# the province's service centre
C=000.00.22.H56		# a commune
S=000.00.23.H56		# another commune, in the catalog
X=000.00.98.H56		# a code in no catalog: a typo

expect_ok 'setup: a province and a commune trusting each other, a dossier at the province' '
	pair && dossier-admin -d s.db init --agency $S --name S >/dev/null &&
	dossier-admin -d x.db init --agency $X --name X >/dev/null &&
	app r1 1.001193 $P | dossier-new -d p.db >/dev/null'
expect_ok 'trust add of an office neither above nor below warns, and adds it' '
	dossier-bundle -d p.db trust add $X "$(key x.db)" >/dev/null 2>err.txt &&
	has "'\''$X'\'' is neither above nor below this office in its catalog" err.txt &&
	dossier-bundle -d p.db trust list | jq -r .agency >peers && has $X peers &&
	dossier-bundle -d c.db trust add $S "$(key s.db)" >/dev/null 2>err.txt &&
	has "'\''$S'\'' is neither above nor below" err.txt &&
	dossier-bundle -d c.db trust add $P "$(key p.db)" >/dev/null 2>err.txt && test ! -s err.txt'
expect_code 77 'export to it refuses, and sends nothing: the province'\''s dossier stays home' '
	dossier-bundle -d p.db export --to $X -o x.bundle >out.json 2>err.txt; s=$?
	has "'\''$X'\'' is neither above nor below this office in its catalog" err.txt &&
	test ! -e x.bundle && test ! -s out.json || exit 99; exit $s'
expect_code 77 'a commune refuses to send its events to a commune beside it' '
	app r2 1.001193 $C | dossier-new -d c.db >/dev/null &&
	dossier-bundle -d c.db export --to $S -o s.bundle 2>err.txt; s=$?
	has "neither above nor below" err.txt && test ! -e s.bundle || exit 99; exit $s'
expect_ok 'the commune still sends up, and the province down' '
	dossier-bundle -d c.db export --to $P -o u1.bundle >/dev/null &&
	dossier-bundle -d p.db import u1.bundle >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d1.bundle >/dev/null &&
	dossier-bundle -d c.db import d1.bundle >/dev/null'
expect_code 77 'a bundle from an office aside is refused before anything is read: no calendar from it' '
	dossier-bundle -d x.db trust add $P "$(key p.db)" >/dev/null &&
	jq -nc "{date: \"2027-05-03\", kind: \"holiday\", name: \"Fake\"}" >fake.jsonl &&
	dossier-admin -d x.db calendar import fake.jsonl >/dev/null &&
	dossier-bundle -d x.db export --to $P -o x1.bundle >/dev/null &&
	sqlite3 p.db "SELECT count(*) FROM calendar_overrides; SELECT count(*) FROM events" >before &&
	dossier-bundle -d p.db import x1.bundle 2>err.txt; s=$?
	has "bundle from '\''$X'\'', which is neither above nor below this office" err.txt &&
	sqlite3 p.db "SELECT count(*) FROM calendar_overrides; SELECT count(*) FROM events" >after &&
	same before after || exit 99; exit $s'
expect_code 65 'an office given its own bundle says so' '
	dossier-bundle -d p.db import d1.bundle 2>err.txt; s=$?
	has "a bundle this office wrote for '\''$C'\'', not one for it" err.txt || exit 99; exit $s'
expect_code 77 'a bundle from an office not trusted says how to trust it' '
	dossier-bundle -d s.db import u1.bundle 2>err.txt; s=$?
	has "which is not in the trust list: dossier-bundle trust add it first" err.txt || exit 99; exit $s'
expect_code 64 'a malformed code to export to is a usage error' '
	dossier-bundle -d c.db export --to ${P}x 2>err.txt; s=$?
	has "invalid agency code" err.txt || exit 99; exit $s'
expect_code 64 'a malformed code to remove is a usage error' '
	dossier-bundle -d c.db trust remove 000.00.9.H56 2>err.txt; s=$?
	has "invalid agency code" err.txt || exit 99; exit $s'

expect_code 64 'export refuses to write a bundle to a terminal, and takes no number' '
	command -v script >/dev/null || exit 64
	sqlite3 c.db "SELECT bundle_seq FROM peers WHERE agency = '\''$P'\''" >before &&
	script -qec "dossier-bundle -d c.db export --to $P" /dev/null >tty.txt; s=$?
	has "a bundle is not written to a terminal" tty.txt &&
	sqlite3 c.db "SELECT bundle_seq FROM peers WHERE agency = '\''$P'\''" >after &&
	same before after || exit 99; exit "$s"'

expect_ok 'list with a database that does not trust the sender shows it unchecked; verify refuses it' '
	dossier-bundle -d s.db list u1.bundle >list.jsonl &&
	head -n 1 list.jsonl | jq -e ".signature == \"unchecked\"" >/dev/null &&
	{ dossier-bundle -d s.db verify u1.bundle 2>err.txt; test $? = 77; } &&
	has "not in the trust list" err.txt'

expect_code 64 'verify of a folder is a usage error' '
	mkdir folder && dossier-bundle verify --key "$(key c.db)" folder 2>err.txt; s=$?
	has "folder: a folder, not a bundle file" err.txt || exit 99; exit "$s"'

expect_ok 'a district of another branch is aside: no bundle either way' '
	{ echo "{\"kind\":\"unit\",\"code\":\"000.00.40.H56\",\"name\":\"Huyện A\",\"level\":\"district\",\"parent\":\"000.00.00.H56\",\"remote\":false}"
	  echo "{\"kind\":\"unit\",\"code\":\"000.00.41.H56\",\"name\":\"Huyện B\",\"level\":\"district\",\"parent\":\"000.00.00.H56\",\"remote\":false}"
	  echo "{\"kind\":\"unit\",\"code\":\"000.00.27.H56\",\"name\":\"Xã\",\"level\":\"commune\",\"parent\":\"000.00.40.H56\",\"remote\":false}"
	} >districts.jsonl &&
	for o in d2:000.00.41.H56 k:000.00.27.H56; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name x >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import "$CATALOG" >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import districts.jsonl >/dev/null || exit 1
	done &&
	dossier-bundle -d d2.db trust add 000.00.27.H56 "$(key k.db)" >/dev/null 2>err.txt &&
	has "neither above nor below" err.txt &&
	dossier-bundle -d k.db trust add 000.00.41.H56 "$(key d2.db)" >/dev/null 2>err.txt &&
	has "neither above nor below" err.txt &&
	{ dossier-bundle -d d2.db export --to 000.00.27.H56 -o x.bundle 2>/dev/null; test $? = 77; } &&
	{ dossier-bundle -d k.db export --to 000.00.41.H56 -o x.bundle 2>/dev/null; test $? = 77; } &&
	test ! -e x.bundle'
expect_ok 'the land registry, a section of a department, is above a commune: its bundles go up to it, and come down' '
	dossier-admin -d r.db init --agency 000.01.12.H56 --name "VP ĐKĐĐ" >/dev/null &&
	dossier-admin -d r.db catalog import "$CATALOG" >/dev/null &&
	dossier-bundle -d c.db trust add 000.01.12.H56 "$(key r.db)" >/dev/null 2>err.txt && test ! -s err.txt &&
	dossier-bundle -d r.db trust add $C "$(key c.db)" >/dev/null 2>err.txt && test ! -s err.txt &&
	dossier-bundle -d c.db export --to 000.01.12.H56 -o cr.bundle >/dev/null &&
	dossier-bundle -d c.db list cr.bundle | jq -r "select(.name) | .name" >names &&
	! has catalog.jsonl names &&
	dossier-bundle -d r.db export --to $C -o rc.bundle >/dev/null &&
	dossier-bundle -d r.db list rc.bundle | jq -r "select(.name) | .name" >names &&
	has catalog.jsonl names'

expect_ok 'a commune that takes its catalog from its district knows the provincial offices it may hand to' '
	jq -c "if .kind == \"unit\" and .code == \"000.00.00.H56\" then ., {kind: \"unit\",
	        code: \"000.00.40.H56\", name: \"D\", level: \"district\",
	        parent: \"000.00.00.H56\", remote: true}
	    elif .kind == \"unit\" and .code == \"000.00.27.H56\" then .parent = \"000.00.40.H56\"
	    else . end" "$CATALOG" >cat3.jsonl &&
	dossier-admin -d p3.db init --agency $P --name P >/dev/null &&
	dossier-admin -d p3.db catalog import cat3.jsonl >/dev/null &&
	dossier-admin -d d3.db init --agency 000.00.40.H56 --name D >/dev/null &&
	dossier-admin -d c3.db init --agency 000.00.27.H56 --name C >/dev/null &&
	dossier-bundle -d p3.db trust add 000.00.40.H56 "$(key d3.db)" >/dev/null &&
	dossier-bundle -d d3.db trust add $P "$(key p3.db)" >/dev/null &&
	dossier-bundle -d d3.db trust add 000.00.27.H56 "$(key c3.db)" >/dev/null &&
	dossier-bundle -d c3.db trust add 000.00.40.H56 "$(key d3.db)" >/dev/null &&
	dossier-bundle -d p3.db export --to 000.00.40.H56 -o pd.bundle >/dev/null &&
	dossier-bundle -d d3.db import pd.bundle >/dev/null &&
	dossier-bundle -d d3.db export --to 000.00.27.H56 -o dc.bundle >/dev/null &&
	dossier-bundle -d c3.db import dc.bundle >/dev/null &&
	sqlite3 c3.db "SELECT code FROM units" >units &&
	has $P units && has 000.01.12.H56 units && has 000.00.40.H56 units &&
	dossier-bundle -d c3.db trust add $P "$(key p3.db)" >/dev/null 2>err.txt &&
	test ! -s err.txt'

finish
