#!/bin/sh
# dossier-admin migrate: a database of an older schema is brought up to
# date, and the search index is filled for the dossiers it already holds.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

expect_ok 'a fresh database is at the newest schema' '
	dossier-admin migrate >out.json &&
	jq -e ".schema_version == 19" out.json'

# What migration 7 adds: the views.
DROP7='DROP VIEW dossiers_v; DROP VIEW events_v;'
# What migration 6 adds: the first due time, the late flag, the result.
DROP6='ALTER TABLE dossiers DROP COLUMN original_due_at;
    ALTER TABLE dossiers DROP COLUMN late;
    ALTER TABLE dossiers DROP COLUMN result;'

# What migration 8 adds: the indexes of the report.
DROP8='DROP INDEX dossiers_received; DROP INDEX dossiers_finished;
    DROP INDEX events_at; DROP INDEX events_dossier_at;
    CREATE INDEX events_dossier ON events(dossier);'

# What migration 9 adds: office hours changed from a date.
DROP9='DROP TABLE calendar_hours;'
# What migration 10 adds: the conflicts' bundle, owner and hashes, the
# acknowledgements of the peers.
DROP10='ALTER TABLE conflicts DROP COLUMN sender;
    ALTER TABLE conflicts DROP COLUMN bundle_seq;
    ALTER TABLE conflicts DROP COLUMN owner;
    ALTER TABLE conflicts DROP COLUMN action;
    ALTER TABLE conflicts DROP COLUMN prev_hash;
    ALTER TABLE conflicts DROP COLUMN hash;
    ALTER TABLE peers DROP COLUMN ack;'


# What migration 11 adds: the time of a dossier's last change, kept by
# triggers, and the report's covering indexes.
DROP11='DROP TRIGGER events_changed; DROP TRIGGER dossiers_changed;
    DROP INDEX dossiers_report; DROP INDEX dossiers_report_long;
    ALTER TABLE dossiers DROP COLUMN changed_at;
    CREATE INDEX dossiers_received ON dossiers (received_at);'
# What migration 12 adds: the guide events by time.
DROP12='DROP INDEX events_guide;'
# What migration 13 changes: the open dossiers' index, in its old words.
DROP13='DROP INDEX dossiers_open_due;
    CREATE INDEX dossiers_open_due ON dossiers (unit, due_at)
    WHERE status IN (2, 4, 5, 6);'

# What migration 14 changes: the dossiers' checks of channel, late and
# result, back in their old words (only the text of the table's
# definition changes, not its rows).
DROP14="PRAGMA writable_schema = ON;
    UPDATE sqlite_schema SET sql = replace(replace(replace(sql,
    'CHECK (channel = ''direct'' OR   channel = ''online'' OR channel = ''postal'')',
    'CHECK (channel IN (''direct'',''online'',''postal''))'),
    'CHECK (late = 0 OR late = 1)', 'CHECK (late IN (0, 1))'),
    'CHECK (result = ''early'' OR result = ''on_time'' OR   result = ''late'')',
    'CHECK (result IN (''early'',''on_time'',''late''))')
    WHERE type = 'table' AND name = 'dossiers';
    PRAGMA writable_schema = OFF;"

# What migration 15 drops: the triggers that kept changed_at.
DROP15="CREATE TRIGGER events_changed AFTER INSERT ON events
    WHEN NEW.action <> 'receive' BEGIN
    UPDATE dossiers SET changed_at = NEW.at WHERE uuid = NEW.dossier
    AND (changed_at IS NULL OR changed_at < NEW.at); END;
    CREATE TRIGGER dossiers_changed AFTER INSERT ON dossiers
    WHEN EXISTS (SELECT 1 FROM events WHERE dossier = NEW.uuid
    AND action <> 'receive') BEGIN
    UPDATE dossiers SET changed_at = (SELECT max(at) FROM events
    WHERE dossier = NEW.uuid AND action <> 'receive') WHERE id = NEW.id;
    END;"
# What migration 16 adds: blobs kept as they are, beside zlib streams.
DROP16='ALTER TABLE blobs DROP COLUMN raw;'
# What migration 17 changes: the report's index of the long-lived, back to
# holding every dossier, submissions too.
DROP17='DROP INDEX dossiers_report_long;
    CREATE INDEX dossiers_report_long ON dossiers (received_at, finished_at, status, channel,
    procedure_id, unit, due_at, paused_at, result, changed_at)
    WHERE finished_at IS NULL OR finished_at - received_at > 3888000;'
# What migration 18 drops: the events by time.
DROP18='CREATE INDEX events_at ON events (at, dossier);'
# What migration 19 adds: what a parent sent down, what a child holds.
DROP19='DROP TABLE sent_bundles; DROP TABLE sent;
    ALTER TABLE bundles_in DROP COLUMN manifest;
    ALTER TABLE bundles_in DROP COLUMN holds;
    ALTER TABLE bundles_in DROP COLUMN created_at;
    ALTER TABLE peers DROP COLUMN held_seq;
    ALTER TABLE peers DROP COLUMN held_manifest;'

# Before schema 4, the secret key was in the office row; before schema 5
# there were no official calendar tables, before schema 6 no results,
# before schema 7 no views, before schema 8 no report indexes, before schema 9 no dated office
# hours, before schema 11 no changed_at, before schema 12 no index of
# guidance, before schema 13 an IN list in the open dossiers' index,
# before schema 14 IN lists in the dossiers' checks, before schema 15
# triggers keeping changed_at, before schema 16 every blob a zlib
# stream.
to_schema3() {
	secret=$(cut -d" " -f2 "$DOSSIER_DB.key") &&
	rm "$DOSSIER_DB.key" &&
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 $DROP11 $DROP10 $DROP9 $DROP8 $DROP7 $DROP6 DROP TABLE office_keys; DROP TABLE seals;
	    DROP TABLE calendar_official; DROP TABLE calendar_years;
	    ALTER TABLE office ADD COLUMN secret_key BLOB;
	    UPDATE office SET secret_key = X'$secret';
	    PRAGMA user_version = 3;"
}

# Make the database look like schema 1: without what migration 2 adds.
expect_ok 'setup: 30 dossiers' '
	gen-dossiers -n 30 -s 3 -c "$CATALOG" >apps.jsonl &&
	dossier-new apps.jsonl >/dev/null'
to_schema3
expect_ok 'setup: back to schema 1' '
	sqlite3 "$DOSSIER_DB" "DROP TABLE dossier_search; DROP TABLE search_first;
	    DROP INDEX dossiers_open_due; PRAGMA user_version = 1;"'

expect_code 65 'a read-only tool asks for the upgrade' '
	dossier-status --name "a" 2>err.txt; s=$?;
	has "run dossier-admin migrate" err.txt || exit 1; exit $s'
expect_ok 'migrate brings it to schema 19' '
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "PRAGMA user_version")" = 19'

# every dossier is found by its full name, its last two words, its
# last word, its first word and a letter, and its first two letters
found_by_name() {
	sqlite3 -separator "	" "$DOSSIER_DB" "SELECT code,
	    json_extract(applicant, '$.name') FROM dossiers" >names.tsv
	while IFS="	" read -r code name; do
		two=$(echo "$name" | awk '{ print $(NF - 1), $NF }')
		last=$(echo "$name" | awk '{ print $NF }')
		half=$(echo "$name" | jq -Rr 'split(" ") | "\(.[0]) \(.[1][0:1])"')
		start=$(echo "$name" | jq -Rr '.[0:2]')
		for q in "$name" "$two" "$last" "$half" "$start"; do
			dossier-status --format json --name "$q" \
			    >found.jsonl || return 1
			jq -r .code found.jsonl >found.txt
			grep -qx "$code" found.txt || {
				echo "$code not found by --name \"$q\""
				return 1
			}
		done
	done <names.tsv
}
expect_ok 'the search index holds the dossiers stored before' '
	found_by_name && dossier-admin check >check.json'

# Schema 2: the first search index, of single words.
to_schema3
expect_ok 'setup: back to schema 2' '
	sqlite3 "$DOSSIER_DB" "DROP TABLE dossier_search; DROP TABLE search_first;
	    CREATE VIRTUAL TABLE dossier_search USING fts5(name, id_number, phone,
	    content='\'''\'', detail='\''none'\'',
	    tokenize='\''unicode61 remove_diacritics 0'\'');
	    PRAGMA user_version = 2;"'
expect_ok 'migrate brings schema 2 to 19 and refills the index' '
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	found_by_name && dossier-admin check >check.json'
# Schema 3: the secret key in the database.
to_schema3
# shellcheck disable=SC2034
pub=$(sqlite3 "$DOSSIER_DB" "SELECT lower(hex(public_key)) FROM office")
expect_ok 'migrate moves the secret key out to the key file, mode 0600' '
	test ! -e "$DOSSIER_DB.key" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(stat -c %a "$DOSSIER_DB.key")" = 600 &&
	test "$(cut -d" " -f2 "$DOSSIER_DB.key")" = "$secret" &&
	dossier-admin keys show >keys.json &&
	jq -e ".key_state == \"ok\" and .public_key == \"$pub\"" keys.json'
expect_ok '... and leaves no trace of it in the database' '
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM pragma_table_info('\''office'\'') WHERE name = '\''secret_key'\''")" = 0 &&
	cat "$DOSSIER_DB" "$DOSSIER_DB"-wal 2>/dev/null | od -An -tx1 -v | tr -d " \n" >db.hex &&
	! grep -q "$secret" db.hex'
expect_ok '... and keeps its public key for the seals' '
	dossier-admin keys export >export.jsonl &&
	test "$(wc -l <export.jsonl)" = 1 &&
	jq -e ".public_key == \"$pub\" and .retired_at == null" export.jsonl'
to_schema3
printf 'ed25519 %064d\n' 0 >"$DOSSIER_DB.key"
chmod 600 "$DOSSIER_DB.key"
expect_code 73 'a key file of another key stops the migration' '
	dossier-admin migrate 2>err.txt; s=$?
	has "holds another key than the database" err.txt &&
	test "$(sqlite3 "$DOSSIER_DB" "PRAGMA user_version")" = 3 || exit 99
	exit "$s"'
expect_ok '... which goes through once the file is moved away' '
	mv "$DOSSIER_DB.key" other.key && dossier-admin migrate >out.json &&
	test "$(cut -d" " -f2 "$DOSSIER_DB.key")" = "$secret"'

# Schema 5 with dossiers that ended: migration 6 fills in their first due
# times and results as their events give them.
expect_ok 'migrate brings schema 5 to 19 with the results of ended dossiers' '
	m4() {
		jq -nc --arg ref "$1" --arg t "$2" --slurpfile cat "$CATALOG" \
		    "{ref: \$ref, procedure: \"1.001022\", unit: \"000.00.01.H56\",
		    received_at: \$t, applicant: {name: \"Lê Văn Tám\"},
		    documents: [\$cat[] | select(.kind == \"procedure\" and
		    .code == \"1.001022\") | .documents[] | select(.required) |
		    {name}]}" | dossier-new --as trang.ntt | jq -r .code
	} &&
	r() { _a=$1 _t=$2; shift 2; dossier-route --as "$_a" --at "$_t" "$@" \
	    >/dev/null; } &&
	c1=$(m4 m1 2026-03-02T08:00:00+07:00) &&
	r an.nv 2026-03-02T09:00:00+07:00 start "$c1" &&
	r hung.lv 2026-03-03T09:00:00+07:00 -r x \
	    -D 2026-03-10T08:00:00+07:00 extend "$c1" &&
	r hung.lv 2026-03-06T09:00:00+07:00 -r x reject "$c1" &&
	c2=$(m4 m2 2026-03-02T08:00:00+07:00) &&
	r an.nv 2026-03-02T09:00:00+07:00 -r x withdraw "$c2" &&
	r hung.lv 2026-03-09T09:00:00+07:00 stop "$c2" &&
	sqlite3 "$DOSSIER_DB" "SELECT code, original_due_at, late, result
	    FROM dossiers ORDER BY code" >before.txt &&
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 $DROP11 $DROP10 $DROP9 $DROP8 $DROP7 $DROP6 PRAGMA user_version = 5;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	sqlite3 "$DOSSIER_DB" "SELECT code, original_due_at, late, result
	    FROM dossiers ORDER BY code" >after.txt &&
	same before.txt after.txt &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT result FROM dossiers
	    WHERE code = '\''$c1'\''")" = early &&
	dossier-admin check >check.json'
expect_ok 'migrate brings schema 6 to 19: the views, over the dossiers there' '
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 $DROP11 $DROP10 $DROP9 $DROP8 $DROP7 PRAGMA user_version = 6;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers_v")" = \
	    "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers")" &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events_v")" = \
	    "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events")"'
expect_ok 'migrate brings schema 8 to 19: the table of dated office hours' '
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 $DROP11 $DROP10 $DROP9 PRAGMA user_version = 8;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	dossier-admin calendar hours -f 2026-01-05 08:00-16:00 >h.json &&
	jq -e ".from == \"2026-01-05\"" h.json'
expect_ok 'migrate brings schema 7 to 19: the indexes of the report' '
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 $DROP11 $DROP10 $DROP9 $DROP8 PRAGMA user_version = 7;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM sqlite_master
	    WHERE name IN ('\''dossiers_report'\'', '\''dossiers_finished'\'',
	    '\''events_dossier_at'\'')")" = 3 &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM sqlite_master
	    WHERE name IN ('\''events_dossier'\'', '\''events_at'\'')")" = 0'
expect_ok 'migrate brings schema 9 to 19: the conflicts kept apart, the acknowledgements' '
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 $DROP11 $DROP10 PRAGMA user_version = 9;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	sqlite3 "$DOSSIER_DB" "SELECT sender, bundle_seq, owner, action, prev_hash, hash
	    FROM conflicts; SELECT ack FROM peers" >/dev/null'
expect_ok 'migrate brings schema 10 to 19: the last change of each dossier' '
	c=$(sqlite3 "$DOSSIER_DB" "SELECT code FROM dossiers ORDER BY id LIMIT 1") &&
	dossier-route --as an.nv --at 2026-06-01T09:00:00+07:00 -H hung.lv \
	    start "$c" >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT changed_at FROM dossiers
	    WHERE code = '\''$c'\''")" = \
	    "$(sqlite3 "$DOSSIER_DB" "SELECT unixepoch('\''2026-06-01T02:00:00'\'')")" &&
	sqlite3 "$DOSSIER_DB" "SELECT id, changed_at FROM dossiers" >before.txt &&
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 $DROP11 PRAGMA user_version = 10;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	sqlite3 "$DOSSIER_DB" "SELECT id, changed_at FROM dossiers" >after.txt &&
	same before.txt after.txt'
expect_ok 'migrate brings schema 11 to 19: the index of the guide events' '
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 PRAGMA user_version = 11;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM sqlite_master
	    WHERE name = '\''events_guide'\''")" = 1'
expect_ok 'migrate brings schema 12 to 19: the open index without an IN list' '
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 PRAGMA user_version = 12;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	sqlite3 "$DOSSIER_DB" "SELECT sql FROM sqlite_master
	    WHERE name = '\''dossiers_open_due'\''" >index.sql &&
	has "WHERE (status = 2 OR status = 4 OR status = 5 OR status = 6)" \
	    index.sql && ! has " IN " index.sql &&
	sqlite3 "$DOSSIER_DB" "EXPLAIN QUERY PLAN SELECT id FROM dossiers d
	    WHERE d.unit = '\''000.00.01.H56'\'' AND (d.status = 2 OR
	    d.status = 4 OR d.status = 5 OR d.status = 6)
	    AND d.due_at < 1 ORDER BY d.due_at, d.id" >plan &&
	has "USING INDEX dossiers_open_due (unit=? AND due_at<?)" plan'
# Schema 13: the table made again with its checks as comparisons; its
# rows, ids, indexes, triggers and views as they were.
dossiers_sql() {
	sqlite3 "$DOSSIER_DB" "SELECT sql FROM sqlite_schema
	    WHERE type = 'table' AND name = 'dossiers'"
}
snapshot() {
	sqlite3 "$DOSSIER_DB" "SELECT * FROM dossiers ORDER BY id;
	    SELECT * FROM dossiers_v ORDER BY id;
	    SELECT * FROM events_v ORDER BY id;
	    SELECT type, name, tbl_name, sql FROM sqlite_schema
	    WHERE name <> 'dossiers' ORDER BY name;
	    PRAGMA integrity_check; PRAGMA foreign_key_check"
}
expect_ok 'migrate brings schema 13 to 19: the checks without IN lists, the data intact' '
	c=$(sqlite3 "$DOSSIER_DB" "SELECT code FROM dossiers ORDER BY id
	    LIMIT 1 OFFSET 1") &&
	dossier-route --as an.nv --at 2026-06-02T09:00:00+07:00 -H hung.lv \
	    start "$c" >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers
	    WHERE result IS NOT NULL")" -gt 0 &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers
	    WHERE changed_at IS NOT NULL")" -gt 1 &&
	dossiers_sql >new.sql && ! grep -qF " IN " new.sql &&
	snapshot >before.txt &&
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 PRAGMA user_version = 13;" &&
	dossiers_sql >old.sql &&
	has "CHECK (channel IN ('\''direct'\'','\''online'\'','\''postal'\''))" old.sql &&
	has "CHECK (result IN ('\''early'\'','\''on_time'\'','\''late'\''))" old.sql &&
	test "$(sqlite3 "$DOSSIER_DB" "PRAGMA integrity_check")" = ok &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	snapshot >after.txt && same before.txt after.txt &&
	dossiers_sql >again.sql && same new.sql again.sql &&
	found_by_name && dossier-admin check >check.json && jq -e ".ok" check.json'
# what each statement does to a row: ok, or the constraint that refused it
refused() {
	sqlite3 "$DOSSIER_DB" "$1" 2>&1 | sed -n "s/.*CHECK constraint failed: \([a-z_]*\).*/\1/p"
}
expect_ok '... which still refuses a channel or a result not among its values' '
	id=$(sqlite3 "$DOSSIER_DB" "SELECT min(id) FROM dossiers") &&
	sqlite3 "$DOSSIER_DB" "SELECT * FROM dossiers" >rows.before &&
	for v in fax Online "direct " "" 1; do
		test "$(refused "UPDATE dossiers SET channel = '\''$v'\''
		    WHERE id = $id")" = channel || { echo "channel $v"; exit 1; }
	done &&
	for v in early_ ontime Late "" 0; do
		test "$(refused "UPDATE dossiers SET result = '\''$v'\''
		    WHERE id = $id")" = result || { echo "result $v"; exit 1; }
	done &&
	test "$(refused "UPDATE dossiers SET late = 2 WHERE id = $id")" = late &&
	sqlite3 "$DOSSIER_DB" "SELECT * FROM dossiers" >rows.after &&
	same rows.before rows.after &&
	for v in direct online postal; do
		sqlite3 "$DOSSIER_DB" "BEGIN; UPDATE dossiers SET channel =
		    '\''$v'\'' WHERE id = $id; ROLLBACK" || exit 1
	done &&
	for v in early on_time late; do
		sqlite3 "$DOSSIER_DB" "BEGIN; UPDATE dossiers SET result =
		    '\''$v'\'' WHERE id = $id; ROLLBACK" || exit 1
	done &&
	sqlite3 "$DOSSIER_DB" "BEGIN; UPDATE dossiers SET result = NULL
	    WHERE id = $id; ROLLBACK"'
expect_ok '... and its dossiers go on: a new one received, one routed' '
	gen-dossiers -n 3 -s 14 -c "$CATALOG" >apps14.jsonl &&
	n=$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers") &&
	dossier-new apps14.jsonl >new14.jsonl &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers")" = $((n + 3)) &&
	c=$(jq -r .code new14.jsonl | head -n 1) &&
	dossier-route --as an.nv --at 2026-06-03T09:00:00+07:00 -H hung.lv \
	    start "$c" >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT changed_at FROM dossiers
	    WHERE code = '\''$c'\''")" = \
	    "$(sqlite3 "$DOSSIER_DB" "SELECT unixepoch('\''2026-06-03T02:00:00'\'')")" &&
	dossier-admin check >check.json && jq -e ".ok" check.json'
expect_ok 'migrate brings schema 14 to 19: no trigger, changed_at kept by the tools' '
	sqlite3 "$DOSSIER_DB" "SELECT id, changed_at FROM dossiers" >before.txt &&
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 PRAGMA user_version = 14;" &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM sqlite_schema
	    WHERE type = '\''trigger'\''")" = 4 &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT group_concat(name, '\'' '\'')
	    FROM (SELECT name FROM sqlite_schema WHERE type = '\''trigger'\''
	    ORDER BY name)")" = "events_no_delete events_no_update" &&
	sqlite3 "$DOSSIER_DB" "SELECT id, changed_at FROM dossiers" >after.txt &&
	same before.txt after.txt &&
	c=$(sqlite3 "$DOSSIER_DB" "SELECT code FROM dossiers
	    WHERE status = 2 ORDER BY id LIMIT 1") &&
	dossier-route --as an.nv --at 2026-06-04T09:00:00+07:00 -H hung.lv \
	    start "$c" >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT changed_at FROM dossiers
	    WHERE code = '\''$c'\''")" = \
	    "$(sqlite3 "$DOSSIER_DB" "SELECT unixepoch('\''2026-06-04T02:00:00'\'')")" &&
	dossier-admin check >check.json && jq -e ".ok" check.json'
# scan.pdf starts with bytes that compress, so that dossier-new stores it
# through zlib (its random rest in stored blocks) as every tool did before 16
expect_ok 'migrate brings schema 15 to 19: the attachments stored before read back' '
	printf "giấy khai sinh, bản chụp" >text.pdf &&
	{ head -c 8192 /dev/zero; head -c 200000 /dev/urandom; } >scan.pdf &&
	{ birth m-1 text.pdf; birth m-2 scan.pdf; } >m.jsonl &&
	dossier-new m.jsonl >/dev/null &&
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 PRAGMA user_version = 15;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM blobs WHERE raw = 0")" = 2 &&
	dossier-admin check >check.json &&
	jq -e ".ok and .blobs == 2 and .blob_errors == 0" check.json >/dev/null'
expect_ok 'migrate brings schema 16 to 19: the report reads no submission, and says the same' '
	gen-dossiers -n 60 -s 17 -c "$DOSSIER_ROOT/examples/catalog.jsonl" >g.jsonl &&
	dossier-new --accept g.jsonl >/dev/null &&
	head -n 20 g.jsonl | sed "s/gen-17/sub-17/" | dossier-new >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers WHERE status = 1")" -gt 0 &&
	dossier-report --from 2026-01-01 --to 2026-11-30 >before.jsonl &&
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 PRAGMA user_version = 16;" &&
	dossier-report --from 2026-01-01 --to 2026-11-30 >old.jsonl 2>err.txt; test $? = 65 &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT name FROM sqlite_schema
	    WHERE name LIKE '\''dossiers_report%'\''
	    AND sql LIKE '\''%status <> 1 AND status <> 3'\''")" = dossiers_report_long &&
	long="(finished_at IS NULL OR finished_at - received_at > 3888000)" &&
	n=$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers INDEXED BY
	    dossiers_report_long WHERE received_at > 0 AND status <> 1
	    AND status <> 3 AND $long") &&
	test "$n" -gt 0 &&
	test "$n" = "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers
	    NOT INDEXED WHERE status <> 1 AND status <> 3 AND $long")" &&
	test "$n" -lt "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers
	    NOT INDEXED WHERE $long")" &&
	sqlite3 "$DOSSIER_DB" "EXPLAIN QUERY PLAN SELECT id FROM dossiers
	    WHERE received_at >= 0 AND received_at < 1" | grep -q "INDEX dossiers_report " &&
	dossier-report --from 2026-01-01 --to 2026-11-30 >after.jsonl &&
	same before.jsonl after.jsonl'
expect_ok 'migrate brings schema 17 to 19: the events by time go, the report says the same' '
	dossier-report --from 2026-01-01 --to 2026-11-30 >before.jsonl &&
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 PRAGMA user_version = 17;" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test -z "$(sqlite3 "$DOSSIER_DB" "SELECT name FROM sqlite_schema WHERE name = '\''events_at'\''")" &&
	sqlite3 "$DOSSIER_DB" "EXPLAIN QUERY PLAN SELECT action, payload FROM events
	    WHERE dossier = '\''x'\'' AND at > 0 ORDER BY id DESC" | grep -q "INDEX events_dossier_at" &&
	dossier-report --from 2026-01-01 --to 2026-11-30 >after.jsonl &&
	same before.jsonl after.jsonl && test -s after.jsonl'
expect_ok 'migrate brings schema 18 to 19: the tables of what went down, the peers kept' '
	sqlite3 "$DOSSIER_DB" "$DROP19 PRAGMA user_version = 18;" &&
	sqlite3 "$DOSSIER_DB" "SELECT agency, bundle_seq, acked FROM peers" >before.txt &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM sent_bundles, sent")" = 0 &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM bundles_in WHERE holds <> 0")" = 0 &&
	sqlite3 "$DOSSIER_DB" "SELECT agency, bundle_seq, acked FROM peers" >after.txt &&
	same before.txt after.txt'
# A migration whose third statement fails: the first two are rolled back
# with it, the file stays at schema 5, and the tool says which statement.
expect_code 70 'a migration that fails leaves the file as it was' '
	sqlite3 "$DOSSIER_DB" "$DROP19 $DROP18 $DROP17 $DROP16 $DROP15 $DROP14 $DROP13 $DROP12 $DROP11 $DROP10 $DROP9 $DROP8 $DROP7
	    ALTER TABLE dossiers DROP COLUMN original_due_at;
	    ALTER TABLE dossiers DROP COLUMN late; PRAGMA user_version = 5;" &&
	sqlite3 "$DOSSIER_DB" .dump >before.sql &&
	dossier-admin migrate >out.json 2>err.txt; s=$?
	has "duplicate column name: result" err.txt &&
	test ! -s out.json &&
	sqlite3 "$DOSSIER_DB" .dump >after.sql && same before.sql after.sql &&
	test "$(sqlite3 "$DOSSIER_DB" "PRAGMA user_version")" = 5 || exit 99
	exit $s'
expect_code 65 '... and a reader still asks for the upgrade' '
	dossier-status --name a 2>err.txt; s=$?
	has "schema version 5 needs an upgrade" err.txt || exit 99
	exit $s'
expect_ok '... which goes through once the cause is gone' '
	sqlite3 "$DOSSIER_DB" "ALTER TABLE dossiers DROP COLUMN result" &&
	dossier-admin migrate >out.json && jq -e ".schema_version == 19" out.json &&
	dossier-admin check >check.json'
expect_code 65 'a schema newer than the tool is refused' '
	sqlite3 "$DOSSIER_DB" "PRAGMA user_version = 99" &&
	dossier-admin check'

finish
