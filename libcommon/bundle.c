/*
 * bundle.c: the bundle format, written and read with libarchive.
 *
 * The reader registers the tar format and the gzip and zstd filters
 * only: the other readers are where libarchive's memory-safety bugs have
 * clustered, and a bundle never needs them.  Every libarchive return is
 * checked; a warning while reading is an error, since a bundle that a
 * careful writer made never causes one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "bundle.h"
#include "catalog.h"
#include "crypto.h"
#include "util.h"

#define CHUNK 65536

int
bundle_name_ok(const char *name)
{
	size_t i;

	if (strcmp(name, "events.jsonl") == 0 ||
	    strcmp(name, "catalog.jsonl") == 0 ||
	    strcmp(name, "calendar.jsonl") == 0 ||
	    strcmp(name, "seals.jsonl") == 0)
		return 1;
	/* an optional member of a later writer: checked, then ignored */
	if (name[0] >= 'a' && name[0] <= 'z') {
		for (i = 1; (name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
		    name[i] == '_'; i++)
			;
		if (strcmp(name + i, ".jsonl") == 0 && i <= 32)
			return 1;
	}
	if (strncmp(name, "blobs/", 6) != 0 || strlen(name) != 6 + 64)
		return 0;
	for (i = 6; name[i] != '\0'; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		    (name[i] >= 'a' && name[i] <= 'f')))
			return 0;
	return 1;
}

int
bundle_zstd_ok(struct dx_err *e)
{
	struct archive *a;
	int r;

	/* ARCHIVE_WARN would mean an external zstd program: refuse it */
	if ((a = archive_write_new()) == NULL)
		return dx_seterr(e, DX_SOFTWARE, "out of memory");
	r = archive_write_add_filter_zstd(a);
	archive_write_free(a);
	if (r != ARCHIVE_OK)
		return dx_seterr(e, DX_USAGE, _("zstd compression is not"
		    " available in this build of libarchive (%s): use gzip"),
		    archive_version_details());
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

struct bundle_writer {
	struct archive *a;
	struct sha256_ctx *h;
	int64_t left;			/* bytes of the member still due */
	const char *what;		/* for messages */
};

static int
werr(struct bundle_writer *w, struct dx_err *e, const char *what)
{
	return dx_seterr(e, DX_IOERR, "%s: %s", what,
	    archive_error_string(w->a) ? archive_error_string(w->a) :
	    _("write error"));
}

static int
member_header(struct bundle_writer *w, const char *name, int64_t size,
    struct dx_err *e)
{
	struct archive_entry *ae;
	int r;

	if ((ae = archive_entry_new()) == NULL)
		return dx_seterr(e, DX_SOFTWARE, "out of memory");
	archive_entry_set_pathname(ae, name);
	archive_entry_set_size(ae, size);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	archive_entry_set_mtime(ae, 0, 0);
	r = archive_write_header(w->a, ae);
	archive_entry_free(ae);
	if (r != ARCHIVE_OK)
		return werr(w, e, name);
	w->left = size;
	w->what = name;
	return 0;
}

int
bundle_put(struct bundle_writer *w, const void *p, size_t n,
    struct dx_err *e)
{
	const char *s = p;
	la_ssize_t r;

	if ((int64_t)n > w->left)
		return dx_seterr(e, DX_SOFTWARE, "%s: more bytes than"
		    " declared", w->what);
	if (w->h != NULL && sha256_update(w->h, p, n) == -1)
		return dx_seterr(e, DX_SOFTWARE, "sha256 failed");
	while (n > 0) {
		r = archive_write_data(w->a, s, n);
		if (r <= 0)
			return werr(w, e, w->what);
		s += r;
		n -= (size_t)r;
		w->left -= r;
	}
	return 0;
}

static json_t *
manifest_json(const json_t *head, const struct bundle_entry *ent, size_t n)
{
	char hex[2 * SHA256_LEN + 1];
	json_t *m, *arr;
	size_t i;

	m = json_deep_copy(head);
	arr = json_array();
	if (m == NULL || arr == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		hex_encode(ent[i].sha256, SHA256_LEN, hex);
		json_array_append_new(arr, json_pack("{s:s,s:I,s:s}", "name",
		    ent[i].name, "size", (json_int_t)ent[i].size, "sha256",
		    hex));
	}
	json_object_set_new(m, "entries", arr);
	return m;
}

/* The exact text of the manifest bundle_write() signs, or NULL. */
static char *
manifest_text(const json_t *head, const struct bundle_entry *ent, size_t n)
{
	json_t *m;
	char *text;

	if ((m = manifest_json(head, ent, n)) == NULL)
		return NULL;
	text = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	return text;
}

int
bundle_manifest_sha256(const json_t *head, const struct bundle_entry *ent,
    size_t n, unsigned char md[SHA256_LEN], struct dx_err *e)
{
	char *text;
	int rc;

	if ((text = manifest_text(head, ent, n)) == NULL)
		return dx_seterr(e, DX_SOFTWARE, "out of memory");
	rc = sha256(text, strlen(text), md);
	free(text);
	if (rc == -1)
		return dx_seterr(e, DX_SOFTWARE, "sha256 failed");
	return 0;
}

/* The sink of bundle_write(): the whole stream to one descriptor. */
static la_ssize_t
fd_sink(struct archive *a, void *arg, const void *p, size_t n)
{
	la_ssize_t r;

	do
		r = write(*(int *)arg, p, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		archive_set_error(a, errno, "%s", strerror(errno));
	return r;
}

int
bundle_write(int fd, enum bundle_zip zip, const json_t *head,
    const struct bundle_entry *ent, size_t n,
    const unsigned char sec[ED25519_SEC_LEN], bundle_fill_fn fill,
    void *arg, struct dx_err *e)
{
	return bundle_write_sink(fd_sink, &fd, zip, head, ent, n, sec, fill,
	    arg, e);
}

int
bundle_write_sink(bundle_sink_fn sink, void *sinkarg, enum bundle_zip zip,
    const json_t *head, const struct bundle_entry *ent, size_t n,
    const unsigned char sec[ED25519_SEC_LEN], bundle_fill_fn fill,
    void *arg, struct dx_err *e)
{
	struct bundle_writer w;
	unsigned char sig[ED25519_SIG_LEN], md[SHA256_LEN];
	char *text = NULL;
	size_t i, len;
	int r, rc = -1;

	memset(&w, 0, sizeof(w));
	if ((text = manifest_text(head, ent, n)) == NULL)
		return dx_seterr(e, DX_SOFTWARE, "out of memory");
	len = strlen(text);
	if (len > BUNDLE_MAX_MANIFEST) {
		dx_seterr(e, DX_SOFTWARE, "manifest.json: %zu bytes, more than"
		    " a reader takes (%ld)", len, BUNDLE_MAX_MANIFEST);
		goto out;
	}
	if (ed25519_sign(sec, text, len, sig, e) == -1)
		goto out;
	if ((w.a = archive_write_new()) == NULL ||
	    (w.h = sha256_new()) == NULL) {
		dx_seterr(e, DX_SOFTWARE, "out of memory");
		goto out;
	}
	if (zip == BUNDLE_ZSTD) {
		r = archive_write_add_filter_zstd(w.a);
		if (r != ARCHIVE_OK) {
			bundle_zstd_ok(e);
			goto out;
		}
	} else {
		if (archive_write_add_filter_gzip(w.a) != ARCHIVE_OK ||
		    /* no time in the gzip header: same content, same bytes */
		    archive_write_set_filter_option(w.a, "gzip", "timestamp",
		    NULL) != ARCHIVE_OK) {
			werr(&w, e, "gzip");
			goto out;
		}
	}
	if (archive_write_set_format_pax_restricted(w.a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(w.a, 1) != ARCHIVE_OK ||
	    archive_write_open2(w.a, sinkarg, NULL, sink, NULL, NULL) !=
	    ARCHIVE_OK) {
		werr(&w, e, "bundle");
		goto out;
	}
	if (member_header(&w, "manifest.json", (int64_t)len, e) == -1 ||
	    bundle_put(&w, text, len, e) == -1 ||
	    member_header(&w, "manifest.sig", ED25519_SIG_LEN, e) == -1 ||
	    bundle_put(&w, sig, sizeof(sig), e) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (member_header(&w, ent[i].name, ent[i].size, e) == -1)
			goto out;
		sha256_final(w.h, md);	/* reset: hash this member alone */
		if (fill(arg, i, &w, e) == -1)
			goto out;
		if (w.left != 0 || sha256_final(w.h, md) == -1 ||
		    memcmp(md, ent[i].sha256, SHA256_LEN) != 0) {
			dx_seterr(e, DX_SOFTWARE, "%s: not the bytes listed in"
			    " the manifest", ent[i].name);
			goto out;
		}
	}
	if (archive_write_close(w.a) != ARCHIVE_OK) {
		werr(&w, e, "bundle");
		goto out;
	}
	rc = 0;
out:
	if (w.a != NULL)
		archive_write_free(w.a);
	sha256_free(w.h);
	free(text);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

void
bundle_manifest_free(struct bundle_manifest *m)
{
	free(m->bytes);
	json_decref(m->json);
	free(m->ent);
	memset(m, 0, sizeof(*m));
}

static int
rerr(struct archive *a, const char *name, struct dx_err *e, const char *what)
{
	const char *s = archive_error_string(a);

	return dx_seterr(e, archive_errno(a) == EIO ? DX_IOERR : DX_DATAERR,
	    "%s: %s%s%s", name, what, s ? ": " : "", s ? s : "");
}

/* Why a member name that is not the expected one is refused. */
static const char *
name_problem(const char *p)
{
	const char *s;

	if (*p == '/')
		return _("an absolute path");
	for (s = p; (s = strstr(s, "..")) != NULL; s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
			return _("a path with '..'");
	return NULL;
}

/*
 * The next member header, which must be a regular file named `want`
 * of `size` bytes (size < 0: any up to -size).  0 or -1 with e set.
 */
static int
next_member(struct archive *a, const char *name, const char *want,
    int64_t size, struct archive_entry **ae, int64_t *got, struct dx_err *e)
{
	const char *p, *why;
	int r;

	r = archive_read_next_header(a, ae);
	if (r == ARCHIVE_EOF)
		return dx_seterr(e, DX_DATAERR,
		    _("%s: incomplete bundle: member"
		    " '%s' missing"), name, want);
	if (r != ARCHIVE_OK)
		return rerr(a, name, e, _("damaged bundle"));
	if ((p = archive_entry_pathname(*ae)) == NULL)
		return dx_seterr(e, DX_DATAERR,
		    _("%s: a member without a name"),
		    name);
	if ((why = name_problem(p)) != NULL)
		return dx_seterr(e, DX_DATAERR,
		    _("%s: member '%s': %s"), name, p,
		    why);
	if (strcmp(p, want) != 0)
		return dx_seterr(e, DX_DATAERR, _("%s: member '%s' where the"
		    " manifest lists '%s'"), name, p, want);
	if (archive_entry_hardlink(*ae) != NULL)
		return dx_seterr(e, DX_DATAERR, _("%s: member '%s' is a hard"
		    " link"), name, p);
	if (archive_entry_symlink(*ae) != NULL ||
	    archive_entry_filetype(*ae) == AE_IFLNK)
		return dx_seterr(e, DX_DATAERR,
		    _("%s: member '%s' is a symbolic"
		    " link"), name, p);
	if (archive_entry_filetype(*ae) != AE_IFREG)
		return dx_seterr(e, DX_DATAERR, _("%s: member '%s' is not a"
		    " regular file"), name, p);
	if (!archive_entry_size_is_set(*ae))
		return dx_seterr(e, DX_DATAERR,
		    _("%s: member '%s' has no size"),
		    name, p);
	*got = archive_entry_size(*ae);
	if (size >= 0 && *got != size)
		return dx_seterr(e, DX_DATAERR, _("%s: member '%s' has %jd"
		    " bytes, the manifest says %jd"), name, p, (intmax_t)*got,
		    (intmax_t)size);
	if (size < 0 && (*got < 0 || *got > -size))
		return dx_seterr(e, DX_DATAERR, _("%s: member '%s' is larger"
		    " than %jd bytes"), name, p, (intmax_t)-size);
	return 0;
}

/*
 * Read the data of the current member, exactly `size` bytes and never
 * more, into buf (when not NULL) or through ops->data, hashing it.
 */
static int
member_data(struct archive *a, const char *name, const char *member,
    int64_t size, char *buf, struct sha256_ctx *h, const struct bundle_ops *ops,
    void *arg, size_t idx, struct dx_err *e)
{
	char chunk[CHUNK];
	int64_t total = 0;
	la_ssize_t r;

	for (;;) {
		r = archive_read_data(a, chunk, sizeof(chunk));
		if (r == 0)
			break;
		if (r < 0)
			return rerr(a, name, e, _("damaged bundle"));
		if ((int64_t)r > size - total)
			return dx_seterr(e, DX_DATAERR, _("%s: member '%s' is"
			    " larger than the %jd bytes declared"), name,
			    member, (intmax_t)size);
		if (buf != NULL)
			memcpy(buf + total, chunk, (size_t)r);
		if (h != NULL && sha256_update(h, chunk, (size_t)r) == -1)
			return dx_seterr(e, DX_SOFTWARE, "sha256 failed");
		if (ops != NULL && ops->data != NULL &&
		    ops->data(arg, idx, chunk, (size_t)r, e) == -1)
			return -1;
		total += r;
	}
	if (total != size)
		return dx_seterr(e, DX_DATAERR,
		    _("%s: incomplete bundle: member"
		    " '%s' has %jd of its %jd bytes"), name, member,
		    (intmax_t)total, (intmax_t)size);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Parse and check the manifest's fields and entries into m. */
static int
manifest_parse(const char *name, struct bundle_manifest *m, struct dx_err *e)
{
	static const char *const fields[] = { "format", "version", "from",
		"to", "created_at", "seq", "ack", "ranges", "entries", NULL };
	json_error_t je;
	json_t *j, *arr, *x;
	const char *s;
	long long total = 0;
	size_t i, k;

	m->json = json_loadb(m->bytes, m->len, JSON_REJECT_DUPLICATES, &je);
	if (m->json == NULL || !json_is_object(m->json))
		return dx_seterr(e, DX_DATAERR, _("%s: manifest.json: not a"
		    " JSON object%s%s"), name, m->json ? "" : ": ",
		    m->json ? "" : je.text);
	j = m->json;
	if (jx_only(j, fields, "manifest.json", e) == -1)
		return dx_prefix(e, "%s", name);
	s = json_string_value(json_object_get(j, "format"));
	if (s == NULL || strcmp(s, BUNDLE_FORMAT) != 0)
		return dx_seterr(e, DX_DATAERR, _("%s: not a dossier bundle"
		    " (format '%s')"), name, s ? s : "");
	x = json_object_get(j, "version");
	if (!json_is_integer(x) || json_integer_value(x) != BUNDLE_VERSION)
		return dx_seterr(e, DX_DATAERR, _("%s: bundle version not"
		    " supported (want %d)"), name, BUNDLE_VERSION);
	m->from = json_string_value(json_object_get(j, "from"));
	m->to = json_string_value(json_object_get(j, "to"));
	if (m->from == NULL || !agency_valid(m->from) || m->to == NULL ||
	    !agency_valid(m->to))
		return dx_seterr(e, DX_DATAERR,
		    _("%s: manifest.json: 'from' and"
		    " 'to' must be agency codes"), name);
	x = json_object_get(j, "seq");
	if (!json_is_integer(x) || json_integer_value(x) < 1)
		return dx_seterr(e, DX_DATAERR,
		    _("%s: manifest.json: 'seq' must"
		    " be a positive integer"), name);
	m->seq = json_integer_value(x);
	if (!json_is_string(json_object_get(j, "created_at")) ||
	    !json_is_object(json_object_get(j, "ack")) ||
	    !json_is_array(json_object_get(j, "ranges")))
		return dx_seterr(e, DX_DATAERR, _("%s: manifest.json: want"
		    " 'created_at' (string), 'ack' (object) and 'ranges'"
		    " (array)"), name);
	arr = json_object_get(j, "entries");
	if (!json_is_array(arr) ||
	    json_array_size(arr) > (size_t)BUNDLE_MAX_ENTRIES)
		return dx_seterr(e, DX_DATAERR, _("%s: manifest.json: 'entries'"
		    " must be an array of at most %ld"), name,
		    BUNDLE_MAX_ENTRIES);
	m->nent = json_array_size(arr);
	m->ent = xcalloc(m->nent ? m->nent : 1, sizeof(*m->ent));
	json_array_foreach(arr, i, x) {
		static const char *const ef[] = { "name", "size", "sha256",
			NULL };
		json_t *sz = json_object_get(x, "size");

		s = json_string_value(json_object_get(x, "name"));
		if (!json_is_object(x) || jx_only(x, ef, "entry", NULL) == -1 ||
		    s == NULL || !bundle_name_ok(s) || !json_is_integer(sz) ||
		    json_integer_value(sz) < 0 ||
		    hex_decode(json_string_value(json_object_get(x,
		    "sha256")) ? json_string_value(json_object_get(x,
		    "sha256")) : "", m->ent[i].sha256, SHA256_LEN) == -1)
			return dx_seterr(e, DX_DATAERR, _("%s: manifest.json:"
			    " entries[%zu]: want a member name the format"
			    " allows, a size and a SHA-256"), name, i);
		snprintf(m->ent[i].name, sizeof(m->ent[i].name), "%s", s);
		m->ent[i].size = json_integer_value(sz);
		if (strncmp(s, "blobs/", 6) != 0 && strcmp(s, "events.jsonl")
		    != 0 && m->ent[i].size > BUNDLE_MAX_TABLE)
			return dx_seterr(e, DX_DATAERR,
			    _("%s: member '%s' larger"
			    " than %lld bytes"), name, s, BUNDLE_MAX_TABLE);
		total += m->ent[i].size;
		if (total > BUNDLE_MAX_TOTAL)
			return dx_seterr(e, DX_DATAERR, _("%s: members larger"
			    " than %lld bytes in all"), name, BUNDLE_MAX_TOTAL);
	}
	/* a name listed twice: sorted, so that a long list costs n log n */
	if (m->nent > 1) {
		const char **names = xreallocarray(NULL, m->nent,
		    sizeof(*names));

		for (k = 0; k < m->nent; k++)
			names[k] = m->ent[k].name;
		qsort(names, m->nent, sizeof(*names), name_cmp);
		for (k = 1; k < m->nent; k++)
			if (strcmp(names[k - 1], names[k]) == 0) {
				dx_seterr(e, DX_DATAERR, _("%s: member '%s'"
				    " listed twice"), name, names[k]);
				free(names);
				return -1;
			}
		free(names);
	}
	return 0;
}

/* The source of bundle_read_parts(): the parts one after the other. */
struct parts_src {
	const int *fds;
	size_t n, cur;
	struct sha256_ctx *h;		/* of every byte read, or NULL */
	int hfail;
	char buf[CHUNK];
};

static la_ssize_t
parts_read(struct archive *a, void *arg, const void **p)
{
	struct parts_src *ps = arg;
	ssize_t r;

	*p = ps->buf;
	for (;;) {
		r = read(ps->fds[ps->cur], ps->buf, sizeof(ps->buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			archive_set_error(a, EIO, "%s", strerror(errno));
			return -1;
		}
		if (r == 0 && ps->cur + 1 < ps->n) {
			ps->cur++;
			continue;
		}
		if (r > 0 && ps->h != NULL &&
		    sha256_update(ps->h, ps->buf, (size_t)r) == -1)
			ps->hfail = 1;
		return r;
	}
}

/* Read the rest of the input into the hash: bytes after the archive. */
static int
parts_drain(struct parts_src *ps)
{
	ssize_t r;

	for (;;) {
		r = read(ps->fds[ps->cur], ps->buf, sizeof(ps->buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0 && ps->cur + 1 < ps->n) {
			ps->cur++;
			continue;
		}
		if (r == 0)
			return 0;
		if (sha256_update(ps->h, ps->buf, (size_t)r) == -1)
			ps->hfail = 1;
	}
}

int
bundle_read(int fd, const char *name, const struct bundle_ops *ops,
    void *arg, struct bundle_manifest *m, struct dx_err *e)
{
	return bundle_read_parts(&fd, 1, name, ops, arg, m, e);
}

int
bundle_read_parts(const int *fds, size_t nfd, const char *name,
    const struct bundle_ops *ops, void *arg, struct bundle_manifest *m,
    struct dx_err *e)
{
	struct parts_src *ps;
	unsigned char pub[ED25519_PUB_LEN], md[SHA256_LEN];
	struct archive_entry *ae;
	struct sha256_ctx *h = NULL;
	struct archive *a;
	int64_t got;
	size_t i;
	int r, rc = -1;

	memset(m, 0, sizeof(*m));
	if ((a = archive_read_new()) == NULL)
		return dx_seterr(e, DX_SOFTWARE, "out of memory");
	ps = xcalloc(1, sizeof(*ps));
	if (archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(a) != ARCHIVE_OK) {
		rerr(a, name, e, "libarchive");
		goto out;
	}
	/* zstd only when libarchive has it built in */
	(void)archive_read_support_filter_zstd(a);
	ps->fds = fds;
	ps->n = nfd;
	if (ops->file_hash && (ps->h = sha256_new()) == NULL) {
		dx_seterr(e, DX_SOFTWARE, "out of memory");
		goto out;
	}
	if (archive_read_open2(a, ps, NULL, parts_read, NULL, NULL) !=
	    ARCHIVE_OK) {
		rerr(a, name, e, _("not a bundle"));
		goto out;
	}
	if (next_member(a, name, "manifest.json", -BUNDLE_MAX_MANIFEST, &ae,
	    &got, e) == -1)
		goto out;
	if (archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP &&
	    archive_filter_code(a, 0) != ARCHIVE_FILTER_ZSTD) {
		dx_seterr(e, DX_DATAERR, _("%s: not compressed with gzip or"
		    " zstd"), name);
		goto out;
	}
	m->len = (size_t)got;
	m->bytes = xmalloc(m->len + 1);
	if (member_data(a, name, "manifest.json", got, m->bytes, NULL, NULL,
	    NULL, 0, e) == -1)
		goto out;
	m->bytes[m->len] = '\0';
	if (next_member(a, name, "manifest.sig", ED25519_SIG_LEN, &ae, &got,
	    e) == -1 || member_data(a, name, "manifest.sig", got,
	    (char *)m->sig, NULL, NULL, NULL, 0, e) == -1)
		goto out;
	if (manifest_parse(name, m, e) == -1)
		goto out;
	r = ops != NULL && ops->key != NULL ? ops->key(arg, m, pub, e) : 0;
	if (r == -1)
		goto out;
	if (r == 1) {
		if (!ed25519_verify(pub, m->bytes, m->len, m->sig)) {
			dx_seterr(e, DX_NOPERM, _("%s: the signature is not by"
			    " the key trusted for '%s'"), name, m->from);
			goto out;
		}
		m->signed_ok = 1;
	}
	if ((h = sha256_new()) == NULL) {
		dx_seterr(e, DX_SOFTWARE, "out of memory");
		goto out;
	}
	for (i = 0; i < m->nent; i++) {
		if (next_member(a, name, m->ent[i].name, m->ent[i].size, &ae,
		    &got, e) == -1 || member_data(a, name, m->ent[i].name,
		    got, NULL, h, ops, arg, i, e) == -1)
			goto out;
		if (sha256_final(h, md) == -1) {
			dx_seterr(e, DX_SOFTWARE, "sha256 failed");
			goto out;
		}
		if (memcmp(md, m->ent[i].sha256, SHA256_LEN) != 0) {
			dx_seterr(e, DX_DATAERR, _("%s: member '%s' does not"
			    " have the SHA-256 the manifest lists"), name,
			    m->ent[i].name);
			goto out;
		}
		if (ops != NULL && ops->data != NULL &&
		    ops->data(arg, i, NULL, 0, e) == -1)
			goto out;
	}
	r = archive_read_next_header(a, &ae);
	if (r == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(ae);

		dx_seterr(e, DX_DATAERR,
		    _("%s: member '%s' not in the manifest"),
		    name, p ? p : "");
		goto out;
	}
	if (r != ARCHIVE_EOF) {
		rerr(a, name, e, _("damaged bundle"));
		goto out;
	}
	if (ps->h != NULL && parts_drain(ps) == -1) {
		dx_seterr(e, DX_IOERR, "%s: %s", name, strerror(errno));
		goto out;
	}
	if (ps->h != NULL && (ps->hfail ||
	    sha256_final(ps->h, m->sha256) == -1)) {
		dx_seterr(e, DX_SOFTWARE, "sha256 failed");
		goto out;
	}
	rc = 0;
out:
	sha256_free(h);
	sha256_free(ps->h);
	if (archive_read_free(a) != ARCHIVE_OK && rc == 0)
		rc = dx_seterr(e, DX_IOERR, _("%s: close failed"), name);
	free(ps);
	return rc;
}
