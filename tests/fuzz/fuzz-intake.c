/*
 * fuzz-intake: the application intake of dossier-new, line by line: each
 * line of the input parsed by the JSON-lines reader and validated by
 * dossier-new's own check() against the catalog (procedure, unit,
 * applicant, documents, times), then its event payload and record
 * written, as the reader thread does.  The tool's source is included
 * (its main renamed) so that these are the very functions it runs.
 */
#define main dossier_new_main
#include "../../cmd/dossier-new.c"
#undef main

#include "fuzz.h"

static struct item it;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct dx_err e;
	const char *attdir;

	(void)argc;
	(void)argv;
	dx_setprogname("fuzz-intake");
	/* a fixed "now", so that a crash reproduces */
	g.now = 1780000000;	/* 2026-05-28 */
	g.batch = 10000;
	g.maxfile = 1 << 20;
	if ((g.db = office_open(fuzz_db(), 0, &e)) == NULL ||
	    (attdir = fuzz_tmpdir("dossier-fuzz-att")) == NULL ||
	    attach_open(&g.att, attdir, g.db->path, &e) == -1 ||
	    db_office(g.db, &g.office, &e) == -1 ||
	    caldb_load(g.db, &g.cal, &e) == -1 ||
	    caldb_load(g.db, &g.fmtcal, &e) == -1 ||
	    actor_get(g.db, "an.nv", &g.actor, &e) == -1 ||
	    rec_init(&g.rb, g.db, &g.fmtcal, &e) == -1) {
		fprintf(stderr, "fuzz-intake: %s\n", e.msg);
		exit(2);
	}
	load_catalog();
	prepare();
	uuid_init(&g.ug);
	buf_init(&it.raw);
	buf_init(&it.app);
	buf_init(&it.docs);
	attach_stash_init(&it.df.stash);
	buf_init(&it.terms);
	buf_init(&it.pay);
	buf_init(&it.rec);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonl_reader r;
	json_t *in;
	FILE *fp = fuzz_open(data, size);
	int rc;

	if (fp == NULL)
		return 0;
	jsonl_init(&r, fp, "fuzz");
	while ((rc = jsonl_next(&r, &in, &it.err)) != 0) {
		if (rc < 0)
			continue;
		it.in = in;
		it.bad = 0;
		it.ref = it.uuid_in = NULL;
		it.err.code = 0;
		if (check(&it, &it.err) == 0) {
			texts(&it, "", &it.pay, &it.rec);
			it.pay_at = code_at(&it.pay);
			it.rec_at = code_at(&it.rec);
		} else if (it.err.code == 0 || it.err.msg[0] == '\0')
			abort();	/* a refusal must say why */
		attach_stash_reset(&it.df.stash);
		json_decref(it.in);
		it.in = NULL;
	}
	jsonl_free(&r);
	fclose(fp);
	return 0;
}
