/*
 * portal.c: the national portal's synchronisation shape (portal.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "jsonl.h"
#include "portal.h"
#include "util.h"

int
portal_time_parse(const struct calendar *cal, const char *s, dx_time *t)
{
	char rfc[32];
	size_t i;

	if (strlen(s) != 14)
		return -1;
	for (i = 0; i < 14; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	snprintf(rfc, sizeof(rfc), "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", s, s + 4,
	    s + 6, s + 8, s + 10, s + 12);
	return cal_parse(cal, rfc, t);
}

void
portal_time_format(const struct calendar *cal, dx_time t, char *buf)
{
	char rfc[40];

	cal_format(cal, t, rfc);
	snprintf(buf, 15, "%.4s%.2s%.2s%.2s%.2s%.2s", rfc, rfc + 5, rfc + 8,
	    rfc + 11, rfc + 14, rfc + 17);
}

json_t *
portal_jtime(const struct calendar *cal, const json_t *v)
{
	char buf[16];
	dx_time t;

	if (!json_is_string(v) || cal_parse(cal, json_string_value(v),
	    &t) == -1)
		return json_null();
	portal_time_format(cal, t, buf);
	return json_string(buf);
}

/* A code of the portal, as a string ("2") or a number (2): 0 if absent. */
static int
code_of(const json_t *p, const char *key, int max, struct dx_err *e)
{
	const json_t *v = json_object_get(p, key);
	const char *errstr;
	long long n;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (!json_is_string(v) || parse_int(json_string_value(v), 1,
	    max, &n, &errstr) == -1)
		n = 0;
	if (n < 1 || n > max)
		return dx_seterr(e, DX_DATAERR, _("%s: not a code from 1 to"
		    " %d"),
		    key, max);
	return (int)n;
}

/* A string field, or NULL; -1 with e set if not a string. */
static int
str_of(const json_t *p, const char *key, int req, const char **s,
    struct dx_err *e)
{
	return jx_str(p, key, req ? JX_REQ : 0, s, e);
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
portal_to_app(const json_t *p, const struct calendar *cal, struct dx_err *e)
{
	static const char *const keys[] = {
		/* read */
		"MaHoSo", "MaTTHC", "ChuHoSo", "SoGiayToChuHoSo",
		"SoDienThoaiChuHoSo", "EmailChuHoSo", "DiaChiChuHoSo",
		"LoaiDoiTuong", "KenhThucHien", "NgayTiepNhan", "NgayNopHoSo",
		"DonViXuLy", "TrichYeuHoSo", "TaiLieuNop",
		/* synchronised, the office's own: ignored */
		"TenTTHC", "MaLinhVuc", "TenLinhVuc", "MaDoiTuong",
		"NgayHenTra", "TrangThaiHoSo", "NgayTra", "HinhThuc",
		"NgayKetThucXuLy", "NgayTuChoi", "NoiNopHoSo",
		"HoSoCoThanhPhanSoHoa", "TaiKhoanDuocXacThucVoiVNeID",
		"DuocThanhToanTrucTuyen", "DinhDanhCHS", "DSKetNoiCSDL",
		"DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua",
		"QuaTrinhXuLy", NULL
	};
	static const char *const types[] = {
		NULL, "citizen", "enterprise", "state_body", "organisation"
	};
	static const char *const channels[] = {
		NULL, "direct", "online", "postal"
	};
	const char *ma, *tthc, *name, *id, *phone, *email, *addr, *when, *unit;
	const char *note, *doc;
	const json_t *docs, *d;
	json_t *app, *a, *out;
	char rfc[40];
	dx_time t;
	int type, ch;
	size_t i;

	if (!json_is_object(p)) {
		dx_seterr(e, DX_DATAERR, _("not a JSON object"));
		return NULL;
	}
	if (jx_only(p, keys, NULL, e) == -1 ||
	    str_of(p, "MaHoSo", 1, &ma, e) == -1 ||
	    str_of(p, "MaTTHC", 1, &tthc, e) == -1 ||
	    str_of(p, "ChuHoSo", 1, &name, e) == -1 ||
	    str_of(p, "SoGiayToChuHoSo", 0, &id, e) == -1 ||
	    str_of(p, "SoDienThoaiChuHoSo", 0, &phone, e) == -1 ||
	    str_of(p, "EmailChuHoSo", 0, &email, e) == -1 ||
	    str_of(p, "DiaChiChuHoSo", 0, &addr, e) == -1 ||
	    str_of(p, "DonViXuLy", 0, &unit, e) == -1 ||
	    str_of(p, "TrichYeuHoSo", 0, &note, e) == -1 ||
	    str_of(p, "NgayTiepNhan", 0, &when, e) == -1)
		return NULL;
	if (when == NULL && str_of(p, "NgayNopHoSo", 0, &when, e) == -1)
		return NULL;
	if ((type = code_of(p, "LoaiDoiTuong", 4, e)) == -1 ||
	    (ch = code_of(p, "KenhThucHien", 3, e)) == -1)
		return NULL;
	app = json_object();
	json_object_set_new(app, "ref", json_string(ma));
	json_object_set_new(app, "procedure", json_string(tthc));
	if (unit != NULL)
		json_object_set_new(app, "unit", json_string(unit));
	json_object_set_new(app, "channel", json_string(channels[ch ? ch : 2]));
	if (when != NULL) {
		if (portal_time_parse(cal, when, &t) == -1) {
			json_decref(app);
			dx_seterr(e, DX_DATAERR, _("%s: '%s' is not a date"
			    " yyyyMMddHHmmss"), json_object_get(p,
			    "NgayTiepNhan") ? "NgayTiepNhan" : "NgayNopHoSo",
			    when);
			return NULL;
		}
		cal_format(cal, t, rfc);
		json_object_set_new(app, "received_at", json_string(rfc));
	}
	a = json_object();
	json_object_set_new(a, "type", json_string(types[type ? type : 1]));
	json_object_set_new(a, "name", json_string(name));
	json_object_set_new(a, "id_number", jstr(id));
	json_object_set_new(a, "phone", jstr(phone));
	json_object_set_new(a, "address", jstr(addr));
	json_object_set_new(a, "email", jstr(email));
	json_object_set_new(app, "applicant", a);
	out = json_array();
	docs = json_object_get(p, "TaiLieuNop");
	if (docs != NULL && !json_is_null(docs) && !json_is_array(docs)) {
		json_decref(out);
		json_decref(app);
		dx_seterr(e, DX_DATAERR, _("TaiLieuNop: not an array"));
		return NULL;
	}
	json_array_foreach(docs, i, d) {
		if (jx_str(d, "TenTepDinhKem", JX_REQ, &doc, e) == -1) {
			dx_prefix(e, "TaiLieuNop[%zu]", i);
			json_decref(out);
			json_decref(app);
			return NULL;
		}
		json_array_append_new(out, json_pack("{s:s}", "name", doc));
	}
	json_object_set_new(app, "documents", out);
	json_object_set_new(app, "note", jstr(note));
	return app;
}

/* The portal's code of a channel name: 1 direct, 2 online, 3 postal. */
static int
channel_code(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "direct") == 0)
		return 1;
	if (strcmp(s, "online") == 0)
		return 2;
	if (strcmp(s, "postal") == 0)
		return 3;
	return 0;
}

static int
type_code(const char *s)
{
	if (s == NULL || strcmp(s, "citizen") == 0)
		return 1;
	if (strcmp(s, "enterprise") == 0)
		return 2;
	if (strcmp(s, "state_body") == 0)
		return 3;
	return 4;
}

static json_t *
jcopy(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return v != NULL ? json_deep_copy(v) : json_null();
}

json_t *
portal_dossier(const json_t *rec, json_t *steps, const struct calendar *cal)
{
	const json_t *a = json_object_get(rec, "applicant");
	const json_t *docs = json_object_get(rec, "documents"), *d;
	json_t *o = json_object(), *tl;
	char num[8];
	size_t i;

	json_object_set_new(o, "MaHoSo", jcopy(rec, "code"));
	json_object_set_new(o, "MaTTHC", jcopy(rec, "procedure"));
	json_object_set_new(o, "TenTTHC", jcopy(rec, "procedure_name"));
	json_object_set_new(o, "TenLinhVuc", jcopy(rec, "field"));
	snprintf(num, sizeof(num), "%d", channel_code(json_string_value(
	    json_object_get(rec, "channel"))));
	json_object_set_new(o, "KenhThucHien", json_string(num));
	json_object_set_new(o, "ChuHoSo", jcopy(a, "name"));
	json_object_set_new(o, "SoGiayToChuHoSo", jcopy(a, "id_number"));
	snprintf(num, sizeof(num), "%d", type_code(json_string_value(
	    json_object_get(a, "type"))));
	json_object_set_new(o, "LoaiDoiTuong", json_string(num));
	json_object_set_new(o, "SoDienThoaiChuHoSo", jcopy(a, "phone"));
	json_object_set_new(o, "EmailChuHoSo", jcopy(a, "email"));
	json_object_set_new(o, "DiaChiChuHoSo", jcopy(a, "address"));
	json_object_set_new(o, "TrichYeuHoSo", jcopy(rec, "note"));
	json_object_set_new(o, "NgayNopHoSo", portal_jtime(cal,
	    json_object_get(rec, "received_at")));
	json_object_set_new(o, "NgayTiepNhan", portal_jtime(cal,
	    json_object_get(rec, "received_at")));
	json_object_set_new(o, "NgayHenTra", portal_jtime(cal,
	    json_object_get(rec, "due_at")));
	snprintf(num, sizeof(num), "%d", (int)json_integer_value(
	    json_object_get(rec, "status")));
	json_object_set_new(o, "TrangThaiHoSo", json_string(num));
	json_object_set_new(o, "NgayKetThucXuLy", portal_jtime(cal,
	    json_object_get(rec, "finished_at")));
	json_object_set_new(o, "NgayTra", portal_jtime(cal,
	    json_object_get(rec, "returned_at")));
	json_object_set_new(o, "DonViXuLy", jcopy(rec, "unit"));
	tl = json_array();
	json_array_foreach(docs, i, d)
		json_array_append_new(tl, json_pack("{s:o}", "TenTepDinhKem",
		    jcopy(d, "name")));
	json_object_set_new(o, "TaiLieuNop", tl);
	json_object_set_new(o, "QuaTrinhXuLy", steps != NULL ? steps :
	    json_array());
	return o;
}
