/*
 * fuzz-catalog: catalog_import() on each input, as dossier-admin catalog
 * import reads it.  A good input replaces the catalog; a bad one must be
 * refused whole, with a message per bad record, and never crash.
 */
#include "fuzz.h"

#include "catalog.h"
#include "db.h"
#include "jsonl.h"
#include "util.h"

static struct db *db;
static const struct dx_report quiet = { fuzz_drop, NULL };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	db = fuzz_office("fuzz-catalog");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonl_reader r;
	struct catalog_stats st;
	struct dx_err e;
	FILE *fp = fuzz_open(data, size);

	if (fp == NULL)
		return 0;
	jsonl_init(&r, fp, "fuzz");
	memset(&st, 0, sizeof(st));
	(void)catalog_import(db, &r, &quiet, &st, &e);
	jsonl_free(&r);
	fclose(fp);
	/* nothing may be left open after an import, good or bad */
	if (db->in_tx)
		abort();
	return 0;
}
