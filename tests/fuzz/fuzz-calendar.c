/*
 * fuzz-calendar: calchange_import() on each input, as dossier-admin calendar
 * import reads it (the year to replace from the first byte: none, or
 * 2026), then the calendar loaded back and a working time computed with
 * it.  The open dossiers of the database are recounted with each
 * calendar stored.  Bad lines are refused whole; nothing crashes.
 */
#include "fuzz.h"

#include "calchange.h"
#include "caldb.h"
#include "calendar.h"
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
	db = fuzz_office("fuzz-calendar");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonl_reader r;
	struct calendar cal;
	struct dx_err e;
	dx_time t, due;
	long recounted;
	FILE *fp;
	int year;

	if (size < 1)
		return 0;
	year = data[0] & 1 ? 2026 : 0;
	if ((fp = fuzz_open(data + 1, size - 1)) == NULL)
		return 0;
	jsonl_init(&r, fp, "fuzz");
	(void)calchange_import(db, &r, year, &quiet, "root", &recounted, &e);
	jsonl_free(&r);
	fclose(fp);
	if (db->in_tx)
		abort();
	/* whatever was stored loads and counts */
	memset(&cal, 0, sizeof(cal));
	if (caldb_load(db, &cal, &e) == -1)
		abort();
	if (cal_parse(&cal, "2026-02-13T10:00:00+07:00", &t) == 0)
		(void)cal_add(&cal, cal_start(&cal, t, cal.cutoff), 15,
		    TU_WORKING_DAYS, &due);
	cal_free(&cal);
	return 0;
}
