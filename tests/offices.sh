# offices.sh: helpers for the scripts that pass dossiers between offices,
# each with its own database (sourced after lib.sh; POSIX sh).
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/offices.sh"
#
# It sets the agencies P, D and C and defines app, code, col, route, key,
# snap, same_rows and pair.  code and route take a database here: they replace
# those of lib.sh, which read new.jsonl and the one office of DOSSIER_DB.
# shellcheck shell=sh
# shellcheck disable=SC2034

P=000.00.00.H56		# UBND tỉnh: the province and its departments
D=000.00.40.H56		# a district, as in records before July 2025
C=000.00.27.H56		# UBND xã Trung Lý, a remote commune

# app REF PROCEDURE UNIT: an application received in UNIT
app() {
	jq -nc --arg ref "$1" --arg p "$2" --arg u "$3" \
	    --slurpfile cat "$CATALOG" '{ref: $ref, procedure: $p, unit: $u,
	    channel: "direct",
	    applicant: {type: "citizen", name: "Lò Thị Hoa",
	        id_number: "038190001234", phone: "0912345678"},
	    documents: [$cat[] | select(.kind == "procedure" and .code == $p) |
	        .documents[] | select(.required) | {name, file: null}]}'
}
# code DB REF: the code of the dossier received as REF
code() {
	sqlite3 "$1" "SELECT code FROM dossiers WHERE ref = '$2'"
}
# col DB REF COLUMN
col() {
	sqlite3 "$1" "SELECT $3 FROM dossiers WHERE ref = '$2'"
}
# route DB LOGIN ACTION REF [OPTION ...]
route() {
	_db=$1 _as=$2 _action=$3 _ref=$4
	shift 4
	dossier-route -d "$_db" --as "$_as" "$@" "$_action" "$(code "$_db" "$_ref")"
}
# key DB: its public key
key() {
	dossier-bundle -d "$1" key | jq -r .public_key
}
# snap DB: what an import may change, and the rows of the queries in
# $snap_more when a script sets it
snap() {
	sqlite3 "$1" "SELECT count(*) FROM events; SELECT count(*) FROM conflicts;
	    SELECT group_concat(ref || status || owner || version, ' ')
	    FROM (SELECT * FROM dossiers ORDER BY ref);
	    SELECT count(*) FROM bundles_in;${snap_more:-}"
}
# same_rows REF: the commune's and the province's view of REF agree
same_rows() {
	for db in c.db p.db; do
		dossier-status -d "$db" "$(code c.db "$1")" |
		    jq -c "{code, status, owner, step, due_at, finished_at,
		    returned_at, result}"
	done >rows && test "$(sort -u rows | wc -l)" = 1
}
# pair: a province p.db and a commune c.db with the catalog, each
# trusting the other
pair() {
	for _o in p:$P c:$C; do
		dossier-admin -d "${_o%%:*}.db" init --agency "${_o#*:}" \
		    --name "O ${_o#*:}" >/dev/null &&
		dossier-admin -d "${_o%%:*}.db" catalog import "$CATALOG" \
		    >/dev/null || return 1
	done &&
	dossier-bundle -d p.db trust add "$C" "$(key c.db)" >/dev/null &&
	dossier-bundle -d c.db trust add "$P" "$(key p.db)" >/dev/null
}
