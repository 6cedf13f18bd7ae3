/*
 * fuzz-action: the action records of dossier-route: each line of the
 * input handled by dossier-route's own line() (parsing, the flow rules,
 * the compare-and-set and the write of the event, in batches), as staff
 * member hung.lv (a leader) or an.nv (reception), by the first byte.
 * The tool's source is included (its main renamed).  The database is a
 * copy, so what the actions change stays between inputs.
 */
#define main dossier_route_main
#include "../../cmd/dossier-route.c"
#undef main

#include "fuzz.h"

static struct actor leader, reception;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct dx_err e;

	(void)argc;
	(void)argv;
	dx_setprogname("fuzz-action");
	/* the records printed go nowhere; messages stay on stderr */
	if (freopen("/dev/null", "w", stdout) == NULL)
		exit(2);
	g.batch = 50;
	g.expect = -1;
	g.form = -1;		/* no forms: as without -f */
	g.at = 1780000000;	/* 2026-05-28: a fixed "now" */
	if ((g.db = office_open(fuzz_db(), 0, &e)) == NULL ||
	    db_office(g.db, &g.office, &e) == -1 ||
	    caldb_load(g.db, &g.cal, &e) == -1 ||
	    actor_get(g.db, "hung.lv", &leader, &e) == -1 ||
	    actor_get(g.db, "an.nv", &reception, &e) == -1 ||
	    (g.units = units_load(g.db, &g.nunits, &e)) == NULL ||
	    chain_open(g.db, g.office.agency, &g.chain, &e) == -1 ||
	    rec_init(&g.rb, g.db, &g.cal, &e) == -1) {
		fprintf(stderr, "fuzz-action: %s\n", e.msg);
		exit(2);
	}
	prepare();
	if (txn_open(&g.tx, g.db, &g.chain, g.batch, &e) == -1) {
		fprintf(stderr, "fuzz-action: %s\n", e.msg);
		exit(2);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonl_reader rd;
	struct dx_err e;
	json_t *o;
	FILE *fp;
	int rc;

	if (size < 1)
		return 0;
	g.actor = data[0] & 1 ? leader : reception;
	if ((fp = fuzz_open(data + 1, size - 1)) == NULL)
		return 0;
	jsonl_init(&rd, fp, "fuzz");
	while ((rc = jsonl_next(&rd, &o, &e)) != 0) {
		if (rc < 0)
			continue;
		line(&rd, o);
		json_decref(o);
	}
	jsonl_free(&rd);
	fclose(fp);
	commit();
	return 0;
}
