/*
 * schema.sql.h: the migrations of the office database, in order.
 * Each migration is a NULL-terminated list of statements.  Never edit a
 * released migration: add a new one.
 */
#ifndef DOSSIER_SCHEMA_SQL_H
#define DOSSIER_SCHEMA_SQL_H

#include <stddef.h>

static const char *const migration1[] = {
	"CREATE TABLE office ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  agency TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  utc_offset INTEGER NOT NULL,"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	"  secret_key BLOB NOT NULL CHECK (length(secret_key) = 32),"
	"  created_at INTEGER NOT NULL)",
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL) WITHOUT ROWID",
	"CREATE TABLE units ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  level TEXT NOT NULL CHECK (level IN"
	"    ('province','department','district','commune','section')),"
	"  parent TEXT REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,"
	"  remote INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0, 1))"
	") WITHOUT ROWID",
	"CREATE TABLE procedures ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  level TEXT NOT NULL,"
	"  time_amount REAL NOT NULL,"
	"  time_unit TEXT NOT NULL,"
	"  supplement_policy TEXT NOT NULL"
	"    CHECK (supplement_policy IN ('restart','pause')),"
	"  remote_amount REAL,"
	"  remote_unit TEXT,"
	"  fee_paused INTEGER NOT NULL DEFAULT 0,"
	"  definition TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (code, version))",
	"CREATE TABLE procedure_documents ("
	"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),"
	"  seq INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  required INTEGER NOT NULL,"
	"  PRIMARY KEY (procedure_id, seq)) WITHOUT ROWID",
	"CREATE TABLE procedure_steps ("
	"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),"
	"  seq INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  role TEXT,"
	"  unit TEXT REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,"
	"  office TEXT,"
	"  time_amount REAL NOT NULL,"
	"  time_unit TEXT NOT NULL,"
	"  PRIMARY KEY (procedure_id, seq)) WITHOUT ROWID",
	"CREATE TABLE staff ("
	"  login TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  unit TEXT NOT NULL REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,"
	"  roles TEXT NOT NULL,"
	"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))"
	") WITHOUT ROWID",
	"CREATE TABLE calendar_overrides ("
	"  day TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('holiday','compensatory','workday')),"
	"  name TEXT NOT NULL) WITHOUT ROWID",
	"CREATE TABLE code_seq ("
	"  day TEXT PRIMARY KEY,"
	"  last INTEGER NOT NULL) WITHOUT ROWID",
	"CREATE TABLE dossiers ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  code TEXT NOT NULL UNIQUE,"
	"  ref TEXT UNIQUE,"
	"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),"
	"  unit TEXT NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  channel TEXT NOT NULL CHECK (channel IN ('direct','online','postal')),"
	"  status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),"
	"  step INTEGER,"
	"  step_at INTEGER,"
	"  step_due_at INTEGER,"
	"  handler TEXT,"
	"  applicant TEXT NOT NULL,"
	"  documents TEXT NOT NULL,"
	"  note TEXT,"
	"  received_at INTEGER NOT NULL,"
	"  start_at INTEGER,"
	"  due_at INTEGER,"
	"  paused_at INTEGER,"
	"  paused_total INTEGER NOT NULL DEFAULT 0,"
	"  finished_at INTEGER,"
	"  returned_at INTEGER,"
	"  supplements INTEGER NOT NULL DEFAULT 0,"
	"  extensions INTEGER NOT NULL DEFAULT 0,"
	"  version INTEGER NOT NULL DEFAULT 1)",
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  origin TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  dossier TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL,"
	"  UNIQUE (origin, seq))",
	"CREATE INDEX events_dossier ON events(dossier)",
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TABLE blobs ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  size INTEGER NOT NULL,"
	"  data BLOB NOT NULL)",
	"CREATE TABLE peers ("
	"  agency TEXT PRIMARY KEY,"
	"  name TEXT,"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	"  added_at INTEGER NOT NULL,"
	"  bundle_seq INTEGER NOT NULL DEFAULT 0,"
	"  acked INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID",
	"CREATE TABLE received ("
	"  origin TEXT PRIMARY KEY,"
	"  seq INTEGER NOT NULL) WITHOUT ROWID",
	"CREATE TABLE bundles_in ("
	"  sender TEXT NOT NULL,"
	"  bundle_seq INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  imported_at INTEGER NOT NULL,"
	"  PRIMARY KEY (sender, bundle_seq)) WITHOUT ROWID",
	"CREATE TABLE conflicts ("
	"  id INTEGER PRIMARY KEY,"
	"  origin TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  dossier TEXT,"
	"  event TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  UNIQUE (origin, seq))",
	NULL
};

/*
 * Migration 2 (dossier-status): the search index of applicant names, ID
 * numbers and phones (search.h), and an index for the open dossiers of a
 * unit by due time (the overdue list).  The backfill folds the names of
 * existing dossiers in SQL the way fold_name() does for Vietnamese
 * letters, the Vietnamese combining marks and white space, in chained
 * steps of 20 replace() calls (one nesting of all of them overflows
 * SQLite's parser stack).
 */
static const char *const migration2[] = {
	"CREATE VIRTUAL TABLE dossier_search USING fts5("
	"  name, id_number, phone, content='', detail='none',"
	"  tokenize='unicode61 remove_diacritics 0')",
	/* dossier_fold() is fold_name(), registered by office_open() */
	"INSERT INTO dossier_search (rowid, name, id_number, phone)"
	" SELECT id, dossier_fold(json_extract(applicant, '$.name')),"
	" json_extract(applicant, '$.id_number'),"
	" json_extract(applicant, '$.phone') FROM dossiers",
	"CREATE INDEX dossiers_open_due ON dossiers (unit, due_at)"
	"  WHERE status IN (2, 4, 5, 6)",
	NULL
};

/*
 * Migration 3: the search index again, with the runs of words of each
 * name as terms of their own (search.h), so that a full name is found
 * by one prefix term instead of by intersecting the long row lists of
 * common words; without the per-row size table FTS5 keeps for ranking,
 * which nothing here does; and the first words of the names seen, by which
 * a one-word query finds names beginning with a longer word without a
 * prefix term.
 */
static const char *const migration3[] = {
	"DROP TABLE dossier_search",
	"CREATE VIRTUAL TABLE dossier_search USING fts5("
	"  name, id_number, phone, content='', detail='none', columnsize=0,"
	"  tokenize='ascii tokenchars _')",
	/* dossier_search_terms() is search_terms(fold_name()), office_open() */
	"INSERT INTO dossier_search (rowid, name, id_number, phone)"
	" SELECT id, dossier_search_terms(json_extract(applicant, '$.name')),"
	" json_extract(applicant, '$.id_number'),"
	" json_extract(applicant, '$.phone') FROM dossiers",
	"CREATE TABLE search_first (word TEXT PRIMARY KEY) WITHOUT ROWID",
	/* folded names are words with one space between them */
	"INSERT OR IGNORE INTO search_first (word)"
	" SELECT substr(f, 1, instr(f || ' ', ' ') - 1) FROM"
	" (SELECT dossier_fold(json_extract(applicant, '$.name')) AS f"
	"  FROM dossiers) WHERE f <> ''",
	NULL
};

/*
 * Migration 4: the secret key leaves the database for the key file
 * beside it (officekey.h; db.c writes the file before these statements
 * run, in the same transaction).  Every public key the office has had is
 * kept in office_keys, so that seals made with an old key still verify,
 * and seals keep signed heads of the office's event chain.  The key's
 * column is dropped with secure_delete on, so that its bytes do not stay
 * in the freed space of the file.
 */
static const char *const migration4[] = {
	"CREATE TABLE office_keys ("
	"  id INTEGER PRIMARY KEY,"
	"  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),"
	"  created_at INTEGER NOT NULL,"
	"  retired_at INTEGER)",
	"INSERT INTO office_keys (public_key, created_at)"
	" SELECT public_key, created_at FROM office",
	"CREATE TABLE seals ("
	"  id INTEGER PRIMARY KEY,"
	"  origin TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  hash BLOB NOT NULL CHECK (length(hash) = 32),"
	"  at INTEGER NOT NULL,"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	"  signature BLOB NOT NULL CHECK (length(signature) = 64))",
	"PRAGMA secure_delete = ON",
	"ALTER TABLE office DROP COLUMN secret_key",
	"PRAGMA secure_delete = OFF",
	NULL
};

/*
 * Migration 5: the Government's announced holiday schedules (official.h)
 * as loaded into this office: the days, and the years they cover with the
 * announcement each cites.  A year in calendar_years uses no computed rule
 * days; overrides still win over its days.
 */
static const char *const migration5[] = {
	"CREATE TABLE calendar_official ("
	"  day TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('holiday','compensatory','workday')),"
	"  name TEXT NOT NULL) WITHOUT ROWID",
	"CREATE TABLE calendar_years ("
	"  year INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  loaded_at INTEGER NOT NULL)",
	NULL
};

/*
 * Migration 6: late dossiers and results (flow.h).  original_due_at is
 * the due time before any extension; late marks a late supplement
 * request or apology; result is the stored early/on time/late of an
 * ended dossier.  The backfill follows the projection (project.c): the
 * first due time is the last one set by an event other than an
 * extension; a dossier that ended is judged by its local due day
 * (office offset), a stop at the applicant's request on time.
 */
static const char *const migration6[] = {
	"ALTER TABLE dossiers ADD COLUMN original_due_at INTEGER",
	"ALTER TABLE dossiers ADD COLUMN late INTEGER NOT NULL DEFAULT 0"
	"  CHECK (late IN (0, 1))",
	"ALTER TABLE dossiers ADD COLUMN result TEXT"
	"  CHECK (result IN ('early','on_time','late'))",
	"UPDATE dossiers SET original_due_at = coalesce("
	"  (SELECT json_extract(e.payload, '$.after.due_at') FROM events e"
	"   WHERE e.dossier = dossiers.uuid AND e.action <> 'extend'"
	"   AND json_type(e.payload, '$.after.due_at') IS NOT NULL"
	"   ORDER BY e.id DESC LIMIT 1),"
	"  (SELECT json_extract(e.payload, '$.due_at') FROM events e"
	"   WHERE e.dossier = dossiers.uuid AND e.action = 'receive'"
	"   ORDER BY e.id LIMIT 1),"
	"  due_at)",
	"UPDATE dossiers SET result = CASE"
	"  WHEN status = 8 AND NOT EXISTS (SELECT 1 FROM events e"
	"   WHERE e.dossier = dossiers.uuid AND e.action = 'reject')"
	"   THEN 'on_time'"
	"  WHEN due_at IS NULL THEN 'on_time'"
	"  WHEN (finished_at + o.utc_offset) / 86400 <"
	"   (due_at + o.utc_offset) / 86400 THEN 'early'"
	"  WHEN (finished_at + o.utc_offset) / 86400 ="
	"   (due_at + o.utc_offset) / 86400 THEN 'on_time'"
	"  ELSE 'late' END"
	" FROM office o WHERE dossiers.finished_at IS NOT NULL"
	"  AND dossiers.status IN (8, 9, 10)",
	NULL
};

/*
 * Migration 7: views for an admin writing SQL in the sqlite3 shell
 * (dossier(5)).  Read-only by nature (no INSTEAD OF triggers); times as
 * RFC 3339 text in the office's offset, as the tools print them; status
 * names as record.c's; the names of procedure, unit, step and staff.
 * The office's offset as text, "+07:00", is worked out once in `o`.
 */
#define TZ_SQL \
	" CROSS JOIN (SELECT utc_offset, CASE WHEN utc_offset < 0" \
	"  THEN '-' ELSE '+' END || printf('%02d:%02d', abs(utc_offset) / 3600," \
	"  abs(utc_offset) % 3600 / 60) AS tz FROM office) o"
#define T_SQL(col, name) \
	" strftime('%Y-%m-%dT%H:%M:%S', " col " + o.utc_offset, 'unixepoch')" \
	" || o.tz AS " name
/* the views as migration 7 made them (migration 14 makes them again) */
#define DOSSIERS_V_SQL \
	"CREATE VIEW dossiers_v AS SELECT" \
	"  d.code AS code, d.uuid AS uuid, d.ref AS ref," \
	"  d.status AS status, CASE d.status" \
	"   WHEN 1 THEN 'submitted' WHEN 2 THEN 'accepted'" \
	"   WHEN 3 THEN 'refused' WHEN 4 THEN 'processing'" \
	"   WHEN 5 THEN 'supplement_requested' WHEN 6 THEN 'fee_requested'" \
	"   WHEN 7 THEN 'withdrawal_requested' WHEN 8 THEN 'stopped'" \
	"   WHEN 9 THEN 'finished' WHEN 10 THEN 'returned' END AS status_name," \
	"  p.code AS procedure, p.version AS procedure_version," \
	"  p.name AS procedure_name, p.field AS field," \
	"  d.unit AS unit, u.name AS unit_name, d.owner AS owner," \
	"  d.channel AS channel, d.step AS step, s.name AS step_name," \
	"  d.handler AS handler, h.name AS handler_name," \
	"  json_extract(d.applicant, '$.name') AS applicant_name," \
	"  json_extract(d.applicant, '$.id_number') AS applicant_id_number," \
	"  json_extract(d.applicant, '$.phone') AS applicant_phone," \
	T_SQL("d.received_at", "received_at") "," \
	T_SQL("d.start_at", "start_at") "," \
	T_SQL("d.due_at", "due_at") "," \
	T_SQL("d.original_due_at", "original_due_at") "," \
	T_SQL("d.paused_at", "paused_at") "," \
	T_SQL("d.finished_at", "finished_at") "," \
	T_SQL("d.returned_at", "returned_at") "," \
	"  d.result AS result, d.supplements AS supplements," \
	"  d.extensions AS extensions, d.version AS version," \
	"  d.id AS id" \
	" FROM dossiers d" \
	" JOIN procedures p ON p.id = d.procedure_id" \
	" LEFT JOIN units u ON u.code = d.unit" \
	" LEFT JOIN procedure_steps s ON s.procedure_id = d.procedure_id" \
	"  AND s.seq = d.step" \
	" LEFT JOIN staff h ON h.login = d.handler" \
	TZ_SQL
#define EVENTS_V_SQL \
	"CREATE VIEW events_v AS SELECT" \
	"  e.id AS id, d.code AS code, e.dossier AS uuid, e.origin AS origin," \
	"  e.seq AS seq, e.action AS action, e.actor AS actor," \
	"  a.name AS actor_name," \
	T_SQL("e.at", "at") "," \
	"  json_extract(e.payload, '$.reason') AS reason," \
	"  json_extract(e.payload, '$.to') AS \"to\"," \
	"  e.payload AS payload" \
	" FROM events e" \
	" LEFT JOIN dossiers d ON d.uuid = e.dossier" \
	" LEFT JOIN staff a ON a.login = e.actor" \
	TZ_SQL
static const char *const migration7[] = {
	DOSSIERS_V_SQL,
	EVENTS_V_SQL,
	NULL
};

/*
 * Migration 8: what a report reads without walking every dossier and
 * every event (dossier-report(1)).  The dossiers received in a period,
 * and those not ended before it, by receipt and by end time (an open
 * dossier's end time is NULL; with the receipt time, how many of them
 * were received before an instant is counted on the index alone); the
 * events after an instant (with their dossier), so that only
 * the dossiers changed since then are rewound; and a dossier's events by
 * time, which makes its last event time one index lookup (the index on
 * the dossier alone is its prefix, and goes).
 */
static const char *const migration8[] = {
	"CREATE INDEX dossiers_received ON dossiers (received_at)",
	"CREATE INDEX dossiers_finished ON dossiers (finished_at, received_at)",
	"CREATE INDEX events_at ON events (at, dossier)",
	"CREATE INDEX events_dossier_at ON events (dossier, at)",
	"DROP INDEX events_dossier",
	NULL
};

/*
 * Migration 9: office hours that change from a date (`dossier-admin
 * calendar hours -f DATE`).  From `day` on, the periods and the paper
 * cut-off are these; before the first row, the settings office_hours and
 * cutoff (or the defaults).  The days before a change keep the hours
 * they were counted with.
 */
static const char *const migration9[] = {
	"CREATE TABLE calendar_hours ("
	"  day TEXT PRIMARY KEY,"
	"  office_hours TEXT NOT NULL,"
	"  cutoff TEXT NOT NULL,"
	"  set_by TEXT NOT NULL,"
	"  set_at INTEGER NOT NULL) WITHOUT ROWID",
	NULL
};

/*
 * Migration 10 (dossier-bundle(1), hand-offs between offices): an imported
 * event for a dossier that its sender did not own is kept whole in
 * conflicts, not in events, with the bundle it came in (sender and
 * sequence number), the owner it was refused for, its action and its
 * hashes (its origin's chain goes on through it); and what each peer last
 * acknowledged of every origin ({"AGENCY":SEQ,...}), which tells what
 * concerns a child office that it does not hold yet.
 */
static const char *const migration10[] = {
	"ALTER TABLE conflicts ADD COLUMN sender TEXT",
	"ALTER TABLE conflicts ADD COLUMN bundle_seq INTEGER",
	"ALTER TABLE conflicts ADD COLUMN owner TEXT",
	"ALTER TABLE conflicts ADD COLUMN action TEXT",
	"ALTER TABLE conflicts ADD COLUMN prev_hash BLOB",
	"ALTER TABLE conflicts ADD COLUMN hash BLOB",
	"ALTER TABLE peers ADD COLUMN ack TEXT NOT NULL DEFAULT '{}'",
	NULL
};

/*
 * Migration 11: what the report reads of a dossier, on indexes alone.
 * changed_at is the time of the dossier's newest event other than its
 * receipt (NULL: none), kept by the triggers below whoever writes the
 * event, so that a report finds the dossiers to rewind on the row itself
 * (dossier-report(1)) instead of among every event after its as-of
 * instant, which grow with the database.  A row written after its events
 * (a bundle's import) takes changed_at from them.  The report reads the
 * dossiers received in or shortly before its period from dossiers_report,
 * and those received earlier and still open at its start, or long
 * resolved (over 45 days, a fixed bound of the query), from its part
 * dossiers_report_long; dossiers_received is dossiers_report's prefix,
 * and goes.
 */
#define REPORT_INDEX_COLUMNS "(received_at, finished_at, status, channel," \
    " procedure_id, unit, due_at, paused_at, result, changed_at)"
/* the triggers and indexes below, also made again by migration 14 */
#define EVENTS_CHANGED_SQL \
	"CREATE TRIGGER events_changed AFTER INSERT ON events" \
	" WHEN NEW.action <> 'receive' BEGIN" \
	"  UPDATE dossiers SET changed_at = NEW.at WHERE uuid = NEW.dossier" \
	"   AND (changed_at IS NULL OR changed_at < NEW.at);" \
	" END"
#define DOSSIERS_CHANGED_SQL \
	"CREATE TRIGGER dossiers_changed AFTER INSERT ON dossiers" \
	" WHEN EXISTS (SELECT 1 FROM events WHERE dossier = NEW.uuid" \
	"  AND action <> 'receive') BEGIN" \
	"  UPDATE dossiers SET changed_at = (SELECT max(at) FROM events" \
	"   WHERE dossier = NEW.uuid AND action <> 'receive') WHERE id = NEW.id;" \
	" END"
#define DOSSIERS_REPORT_SQL \
	"CREATE INDEX dossiers_report ON dossiers " REPORT_INDEX_COLUMNS
#define DOSSIERS_REPORT_LONG_SQL \
	"CREATE INDEX dossiers_report_long ON dossiers " REPORT_INDEX_COLUMNS \
	" WHERE finished_at IS NULL OR finished_at - received_at > 3888000"
static const char *const migration11[] = {
	"ALTER TABLE dossiers ADD COLUMN changed_at INTEGER",
	"UPDATE dossiers SET changed_at = (SELECT max(e.at) FROM events e"
	"  WHERE e.dossier = dossiers.uuid AND e.action <> 'receive')"
	" WHERE uuid IN (SELECT dossier FROM events WHERE action <> 'receive')",
	EVENTS_CHANGED_SQL,
	DOSSIERS_CHANGED_SQL,
	DOSSIERS_REPORT_SQL,
	DOSSIERS_REPORT_LONG_SQL,
	"DROP INDEX dossiers_received",
	NULL
};

/*
 * The guide events by time: dossier-report counts the guidance of a
 * period without reading every event of the period.
 */
static const char *const migration12[] = {
	"CREATE INDEX events_guide ON events (at) WHERE action = 'guide'",
	NULL
};

/*
 * Migration 13: the open dossiers' index in words SQLite tests without a
 * table.  An IN list of three or more constants in an index's WHERE is
 * a temporary table that SQLite builds again for every row a statement
 * writes; the same test as comparisons costs a few instructions.  The
 * queries say it in the same words (status_open_sql()), so that the
 * index still serves them.
 */
#define DOSSIERS_OPEN_DUE_SQL \
	"CREATE INDEX dossiers_open_due ON dossiers (unit, due_at)" \
	"  WHERE (status = 2 OR status = 4 OR status = 5 OR status = 6)"
static const char *const migration13[] = {
	"DROP INDEX dossiers_open_due",
	DOSSIERS_OPEN_DUE_SQL,
	NULL
};

/*
 * Migration 14: the dossiers' CHECK constraints in words SQLite tests
 * without a table, as migration 13 did for the index: the same values
 * of channel and result are refused, without a temporary table built for
 * each IN list every time a row is written.  A constraint changes only
 * with the table, so the table is made again the way SQLite documents
 * (https://sqlite.org/lang_altertable.html#otheralter): a new table of
 * the same columns in the same order, the rows copied with their ids
 * (the search index's rowids), the old table dropped and the new one
 * renamed, then its indexes, triggers and views made again as they were.
 * The views and the trigger on events name the table, so they go first:
 * SQLite checks them when a table is renamed.  The foreign keys are
 * checked after it (office.c), inside the same transaction.
 */
static const char *const migration14[] = {
	"DROP VIEW dossiers_v",
	"DROP VIEW events_v",
	"DROP TRIGGER events_changed",
	"CREATE TABLE dossiers_new ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  code TEXT NOT NULL UNIQUE,"
	"  ref TEXT UNIQUE,"
	"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),"
	"  unit TEXT NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  channel TEXT NOT NULL CHECK (channel = 'direct' OR"
	"   channel = 'online' OR channel = 'postal'),"
	"  status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),"
	"  step INTEGER,"
	"  step_at INTEGER,"
	"  step_due_at INTEGER,"
	"  handler TEXT,"
	"  applicant TEXT NOT NULL,"
	"  documents TEXT NOT NULL,"
	"  note TEXT,"
	"  received_at INTEGER NOT NULL,"
	"  start_at INTEGER,"
	"  due_at INTEGER,"
	"  paused_at INTEGER,"
	"  paused_total INTEGER NOT NULL DEFAULT 0,"
	"  finished_at INTEGER,"
	"  returned_at INTEGER,"
	"  supplements INTEGER NOT NULL DEFAULT 0,"
	"  extensions INTEGER NOT NULL DEFAULT 0,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  original_due_at INTEGER,"
	"  late INTEGER NOT NULL DEFAULT 0 CHECK (late = 0 OR late = 1),"
	"  result TEXT CHECK (result = 'early' OR result = 'on_time' OR"
	"   result = 'late'),"
	"  changed_at INTEGER)",
	"INSERT INTO dossiers_new SELECT id, uuid, code, ref, procedure_id,"
	"  unit, owner, channel, status, step, step_at, step_due_at, handler,"
	"  applicant, documents, note, received_at, start_at, due_at, paused_at,"
	"  paused_total, finished_at, returned_at, supplements, extensions,"
	"  version, original_due_at, late, result, changed_at FROM dossiers",
	"DROP TABLE dossiers",
	"ALTER TABLE dossiers_new RENAME TO dossiers",
	"CREATE INDEX dossiers_finished ON dossiers (finished_at, received_at)",
	DOSSIERS_REPORT_SQL,
	DOSSIERS_REPORT_LONG_SQL,
	DOSSIERS_OPEN_DUE_SQL,
	EVENTS_CHANGED_SQL,
	DOSSIERS_CHANGED_SQL,
	DOSSIERS_V_SQL,
	EVENTS_V_SQL,
	NULL
};
#undef T_SQL
#undef TZ_SQL

/*
 * Migration 15: changed_at kept by the tools, not by triggers.  A table
 * with a row trigger makes SQLite copy the rows of a multi-row INSERT into
 * a temporary table before it inserts them, and run the trigger's program
 * for each: the cost of every dossier and event stored, to keep a time
 * that only a change other than a receipt moves.  Every event is written
 * through events.h, which brings its dossier's changed_at up to the
 * event's time as events_changed did (event_changed()), and the rows
 * written after their events (a bundle's import, a dossier received
 * under the UUID of its guidance) take it from them as dossiers_changed
 * did (EVENTS_CHANGED_AT_SQL).  Both are tested by their writers.
 */
static const char *const migration15[] = {
	"DROP TRIGGER events_changed",
	"DROP TRIGGER dossiers_changed",
	NULL
};

/*
 * Schema 16: a blob is kept either as a zlib stream (raw = 0, every blob
 * before this version) or, when its bytes do not compress (a scan, a
 * photo), as the bytes themselves (raw = 1), which a bundle's import
 * stores without passing them through zlib.
 */
static const char *const migration16[] = {
	"ALTER TABLE blobs ADD COLUMN raw INTEGER NOT NULL DEFAULT 0"
	"  CHECK (raw = 0 OR raw = 1)",
	NULL
};

/*
 * Migration 17: the report's index of the long-lived holds only the
 * dossiers that can count in a report, those received for resolution: a
 * submission waiting for its receipt (status 1) or refused at it (3)
 * never counts at any as-of instant, and such rows are open, so the
 * index held every one of them, read and dropped by every report (at
 * 10,000,000 generated dossiers, 1.18 million of its 1.21 million
 * entries).  A dossier's entry follows its current status: one accepted
 * later enters the index then.  The report's query says the same words
 * (status <> 1 AND status <> 3), so that the index serves it.
 * dossiers_report keeps every dossier: it is also the index of receipt
 * times for dossier-status, whose lists include submissions.
 */
#define REPORT_STATUS_SQL "status <> 1 AND status <> 3"
static const char *const migration17[] = {
	"DROP INDEX dossiers_report_long",
	"CREATE INDEX dossiers_report_long ON dossiers " REPORT_INDEX_COLUMNS
	" WHERE (finished_at IS NULL OR finished_at - received_at > 3888000)"
	" AND " REPORT_STATUS_SQL,
	NULL
};

/*
 * Migration 18: the events by time go.  The report finds the dossiers
 * changed after its as-of instant by dossiers.changed_at (migration 11),
 * its guidance by events_guide; every other query of the events names
 * the dossier or the origin.  The index cost every event stored one more
 * entry (about 6% of dossier-new's time) and was read by nothing.
 */
static const char *const migration18[] = {
	"DROP INDEX events_at",
	NULL
};

/*
 * Migration 19: what a parent office sent down, so that it sends a child
 * only what the child does not hold (dossier-bundle(5), sync.jsonl).
 * sent_bundles: each bundle down, named by the SHA-256 of its manifest,
 * and its base, the bundle (0: none) whose content the child held and
 * that this one extends.  sent: for each dossier a bundle carried, the
 * id of its last event carried: with the base's chain, every event of
 * the dossier up to it.  bundles_in.manifest and .holds: at the child,
 * each bundle's manifest SHA-256, and 1 when the child holds what it
 * carried and what its base did, chained to a bundle that had no base.
 * bundles_in.created_at: when the sender wrote it, so that of two bundles
 * under one number (a sender restored from a backup numbers again) the
 * later one is the sender's word.
 * peers.held_seq and .held_manifest: at the parent, the last such bundle
 * the child named, the base of the next bundle down.
 */
static const char *const migration19[] = {
	"CREATE TABLE sent_bundles ("
	"  peer TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  manifest TEXT NOT NULL,"
	"  base INTEGER NOT NULL CHECK (base >= 0 AND base < seq),"
	"  PRIMARY KEY (peer, seq)) WITHOUT ROWID",
	"CREATE TABLE sent ("
	"  peer TEXT NOT NULL,"
	"  dossier TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  last_id INTEGER NOT NULL,"
	"  PRIMARY KEY (peer, dossier, seq)) WITHOUT ROWID",
	"ALTER TABLE bundles_in ADD COLUMN manifest TEXT",
	"ALTER TABLE bundles_in ADD COLUMN holds INTEGER NOT NULL DEFAULT 0"
	"  CHECK (holds = 0 OR holds = 1)",
	"ALTER TABLE bundles_in ADD COLUMN created_at INTEGER",
	"ALTER TABLE peers ADD COLUMN held_seq INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE peers ADD COLUMN held_manifest TEXT",
	NULL
};

/* migrations[i] takes user_version i to i + 1 */
static const char *const *const migrations[] = {
	migration1,
	migration2,
	migration3,
	migration4,
	migration5,
	migration6,
	migration7,
	migration8,
	migration9,
	migration10,
	migration11,
	migration12,
	migration13,
	migration14,
	migration15,
	migration16,
	migration17,
	migration18,
	migration19,
};

#endif
