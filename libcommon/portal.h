/*
 * portal.h: the national public-service portal's synchronisation shape
 * (Cổng Dịch vụ công quốc gia), in and out.
 *
 * The portal synchronises a dossier as one object of Vietnamese field
 * names, dates as "yyyyMMddHHmmss" in local time, and codes for the
 * channel and the applicant's kind.  dossier-new reads online
 * submissions in that shape (--input-format portal), dossier-status
 * writes dossiers in it (--format portal); dossier(5), "The portal
 * shape", lists the fields.  The field names follow published
 * integrations of the portal; the official specification was not at
 * hand.
 *
 * In (portal_to_app()): MaHoSo (required: the portal's code, kept as
 * the application's ref), MaTTHC (required: the procedure), ChuHoSo
 * (required: the applicant's name), SoGiayToChuHoSo, SoDienThoaiChuHoSo,
 * EmailChuHoSo, DiaChiChuHoSo, LoaiDoiTuong (1 citizen, 2 enterprise,
 * 3 state body, 4 organisation), KenhThucHien (1 direct, 2 online
 * (default), 3 postal), NgayTiepNhan or else NgayNopHoSo (the receipt
 * time), DonViXuLy (the unit), TrichYeuHoSo (the note), TaiLieuNop
 * (array of {TenTepDinhKem: the document's name, ...}).  The other
 * fields the portal synchronises are read and ignored: the due time
 * (NgayHenTra) and the status (TrangThaiHoSo) are the office's to set.
 * Any other field is refused, as in every input.
 */
#ifndef DOSSIER_PORTAL_H
#define DOSSIER_PORTAL_H

#include <jansson.h>

#include "calendar.h"
#include "util.h"

/* "yyyyMMddHHmmss" in the calendar's local time -> *t.  0 or -1. */
int portal_time_parse(const struct calendar *cal, const char *s,
    dx_time *t);
/* t as "yyyyMMddHHmmss" in the calendar's local time (15 bytes). */
void portal_time_format(const struct calendar *cal, dx_time t, char *buf);

/*
 * The application record (dossier(5), "Applications") of the portal
 * object `p`: a new reference, or NULL with e set (DX_DATAERR, the
 * message naming the portal's field).
 */
json_t *portal_to_app(const json_t *p, const struct calendar *cal,
    struct dx_err *e);

/*
 * The portal object of the dossier record `rec` (record.h, times as
 * RFC 3339), with `steps` (a new reference, taken; may be NULL) as its
 * process steps "QuaTrinhXuLy".  A new reference.
 */
json_t *portal_dossier(const json_t *rec, json_t *steps,
    const struct calendar *cal);

/* A time of a record (RFC 3339 text, or null) as a portal date or null:
 * a new reference. */
json_t *portal_jtime(const struct calendar *cal, const json_t *rfc3339);

#endif
