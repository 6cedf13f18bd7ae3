/*
 * common.h: everything a dossier tool includes: every module header of
 * libcommon (schema.sql.h, the migrations, is office.c's alone).
 */
#ifndef DOSSIER_COMMON_H
#define DOSSIER_COMMON_H

#include "actor.h"
#include "applicant.h"
#include "attach.h"
#include "audit.h"
#include "blob.h"
#include "bundle.h"
#include "calchange.h"
#include "caldb.h"
#include "calendar.h"
#include "catalog.h"
#include "civil.h"
#include "cli.h"
#include "clock.h"
#include "crypto.h"
#include "db.h"
#include "doc.h"
#include "events.h"
#include "flow.h"
#include "fold.h"
#include "forms.h"
#include "jsonl.h"
#include "lunar.h"
#include "office.h"
#include "officekey.h"
#include "official.h"
#include "portal.h"
#include "progress.h"
#include "project.h"
#include "record.h"
#include "recount.h"
#include "rows.h"
#include "seal.h"
#include "search.h"
#include "select.h"
#include "spool.h"
#include "tool.h"
#include "txn.h"
#include "util.h"
#include "uuid.h"

#endif
