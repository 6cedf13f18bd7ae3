/*
 * gen-dossiers: write N realistic, deterministic dossier applications as
 * JSON lines (the application records of dossier(5)), for demos,
 * tests and benchmarks.
 *
 * usage: gen-dossiers [-c catalog] [-n count] [-s seed] [-f first-date]
 *                     [-D days] [-o] [-p ref-prefix]
 *
 * The catalog (catalog import lines, dossier(5)) is read once with
 * jansson; only its units (communes, the province centre) and procedures
 * (code, field, level, documents) are used.  Output is written by hand into
 * a line buffer, so a million lines take a couple of seconds.  The random
 * numbers come from xoshiro256** seeded with splitmix64: the same arguments
 * give byte-identical output on every machine, and the first k lines of a
 * run do not depend on -n (except with -o).
 *
 * -o writes the applications in order of receipt, as a register is kept:
 * line i falls on day i*days/count of the range (moved past closed days
 * but rarely), so dates never go back; without it each line draws its
 * day at random from the range.
 *
 * Exit status: 0 success, 64 usage, 65 invalid catalog, 66 catalog missing
 * or unreadable, 70 internal error (out of memory), 74 write error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#define EXIT_USAGE	64
#define EXIT_DATAERR	65
#define EXIT_NOINPUT	66
#define EXIT_SOFTWARE	70
#define EXIT_IOERR	74

/* The province Public Administration Service Centre: receives province
 * procedures besides the communes. */
#define CENTRE_CODE	"000.00.01.H56"

#define MAX_COUNT	999999999UL
#define MAX_DAYS	36600L
#define OUTBUF_SIZE	(1024 * 1024)

static const char *progname = "gen-dossiers";

static void die(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
static void usage(void) __attribute__((noreturn));

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-c catalog] [-n count] [-s seed] "
	    "[-f first-date] [-D days] [-o] [-p ref-prefix]\n", progname);
	exit(EXIT_USAGE);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die(EXIT_SOFTWARE, "out of memory");
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die(EXIT_SOFTWARE, "out of memory");
	return p;
}

/* ---- random numbers: splitmix64 seeding xoshiro256** ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t x = seed;
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* A number in [0, n), n > 0, by multiply-shift (no division, tiny bias). */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability permille / 1000. */
static int
rng_chance(struct rng *r, uint32_t permille)
{
	return rng_below(r, 1000) < permille;
}

/* ---- weighted choice ---- */

struct wtab {
	uint32_t *cum;		/* cumulative weights, cum[n-1] == total */
	size_t n;
	uint32_t total;
};

static void
wtab_init(struct wtab *w, const uint32_t *weights, size_t n)
{
	size_t i;
	uint32_t sum = 0;

	w->cum = xmalloc(n * sizeof *w->cum);
	for (i = 0; i < n; i++) {
		sum += weights[i];
		w->cum[i] = sum;
	}
	w->n = n;
	w->total = sum;
}

static size_t
wtab_pick(const struct wtab *w, struct rng *r)
{
	uint32_t x = rng_below(r, w->total);
	size_t lo = 0, hi = w->n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void
wtab_free(struct wtab *w)
{
	free(w->cum);
	w->cum = NULL;
}

/* ---- the output line buffer ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static void
buf_grow(struct buf *b, size_t need)
{
	while (b->cap - b->len < need)
		b->cap = b->cap ? 2 * b->cap : 4096;
	b->p = xrealloc(b->p, b->cap);
}

static void
buf_put(struct buf *b, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (b->cap - b->len < n)
		buf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

#define buf_lit(b, lit) buf_put((b), (lit), sizeof(lit) - 1)

static void
buf_putc(struct buf *b, char c)
{
	buf_put(b, &c, 1);
}

/* `value` in decimal, zero-padded to at least `width` digits. */
static void
buf_digits(struct buf *b, uint64_t value, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof tmp - 1 - n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	while (n < width && n < (int)sizeof tmp)
		tmp[sizeof tmp - 1 - n++] = '0';
	buf_put(b, tmp + sizeof tmp - n, (size_t)n);
}

/* The JSON string body of `s` (no quotes): escapes '"', '\\' and control
 * characters; UTF-8 passes through (jansson has already validated it). */
static void
buf_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"':  buf_lit(b, "\\\""); break;
		case '\\': buf_lit(b, "\\\\"); break;
		case '\b': buf_lit(b, "\\b"); break;
		case '\f': buf_lit(b, "\\f"); break;
		case '\n': buf_lit(b, "\\n"); break;
		case '\r': buf_lit(b, "\\r"); break;
		case '\t': buf_lit(b, "\\t"); break;
		default:
			if (*p < 0x20) {
				buf_lit(b, "\\u00");
				buf_putc(b, hex[*p >> 4]);
				buf_putc(b, hex[*p & 15]);
			} else {
				buf_putc(b, (char)*p);
			}
		}
	}
}

/* A new NUL-terminated string: `pre`, escaped `s`, `post`. */
static char *
fragment(const char *pre, const char *s, const char *post)
{
	struct buf b = { NULL, 0, 0 };

	buf_puts(&b, pre);
	buf_escape(&b, s);
	buf_puts(&b, post);
	buf_putc(&b, '\0');
	return b.p;
}

/* ---- ASCII folding of Vietnamese letters (for e-mail addresses) ---- */

static const struct {
	char base;
	const char *variants;
} fold_table[] = {
	{ 'a', "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ" },
	{ 'e', "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ" },
	{ 'i', "ìíỉĩịÌÍỈĨỊ" },
	{ 'o', "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ" },
	{ 'u', "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ" },
	{ 'y', "ỳýỷỹỵỲÝỶỸỴ" },
	{ 'd', "đĐ" },
};

/* Lower-case ASCII letters and digits of `s`; other characters dropped. */
static char *
fold_ascii(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	while (*p != '\0') {
		size_t len = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;

		if (len == 1) {
			if (*p >= 'A' && *p <= 'Z')
				*o++ = (char)(*p - 'A' + 'a');
			else if ((*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9'))
				*o++ = (char)*p;
		} else {
			for (i = 0; i < sizeof fold_table / sizeof
			    fold_table[0]; i++) {
				const char *v = fold_table[i].variants;
				const char *hit;

				/* compare this one character against each
				 * variant of the same byte length */
				for (hit = v; *hit != '\0'; ) {
					size_t vl = (unsigned char)*hit < 0xe0 ?
					    2 : 3;

					if (vl == len &&
					    memcmp(hit, p, len) == 0)
						break;
					hit += vl;
				}
				if (*hit != '\0') {
					*o++ = fold_table[i].base;
					break;
				}
			}
		}
		for (i = 0; i < len && *p != '\0'; i++)
			p++;
	}
	*o = '\0';
	return out;
}

/* ---- built-in name and place tables ---- */

struct word {
	const char *vi;
	uint32_t weight;
	char *ascii;		/* filled at start-up */
};

struct wordlist {
	struct word *w;
	size_t n;
	struct wtab tab;
};

#define WORDS(name) { name, sizeof name / sizeof name[0], { NULL, 0, 0 } }

/* Family names, weights roughly per mille of the population (Thanh Hóa
 * has more Lê, Trịnh, Mai than the national average). */
static struct word family_words[] = {
	{ "Nguyễn", 360, NULL }, { "Lê", 130, NULL }, { "Trần", 105, NULL },
	{ "Phạm", 70, NULL }, { "Hoàng", 45, NULL }, { "Phan", 40, NULL },
	{ "Vũ", 38, NULL }, { "Đỗ", 25, NULL }, { "Bùi", 25, NULL },
	{ "Đặng", 22, NULL }, { "Trịnh", 18, NULL }, { "Ngô", 15, NULL },
	{ "Hồ", 13, NULL }, { "Mai", 12, NULL }, { "Đinh", 12, NULL },
	{ "Dương", 10, NULL }, { "Võ", 8, NULL }, { "Huỳnh", 4, NULL },
	{ "Lý", 4, NULL }, { "Hà", 8, NULL }, { "Cao", 6, NULL },
};

static struct word male_middle_words[] = {
	{ "Văn", 380, NULL }, { "Hữu", 50, NULL }, { "Đức", 60, NULL },
	{ "Minh", 60, NULL }, { "Quang", 40, NULL }, { "Thanh", 35, NULL },
	{ "Xuân", 40, NULL }, { "Công", 30, NULL }, { "Đình", 50, NULL },
	{ "Ngọc", 25, NULL }, { "Trọng", 20, NULL }, { "Bá", 20, NULL },
	{ "Tiến", 20, NULL }, { "Mạnh", 15, NULL }, { "Văn Minh", 10, NULL },
	{ "Đức Anh", 8, NULL }, { "Hoàng", 15, NULL },
};

static struct word female_middle_words[] = {
	{ "Thị", 420, NULL }, { "Ngọc", 45, NULL }, { "Thu", 45, NULL },
	{ "Thanh", 35, NULL }, { "Minh", 20, NULL }, { "Hồng", 35, NULL },
	{ "Thùy", 30, NULL }, { "Phương", 25, NULL }, { "Kim", 20, NULL },
	{ "Bích", 15, NULL }, { "Hải", 15, NULL }, { "Thị Thu", 35, NULL },
	{ "Thị Thanh", 25, NULL }, { "Thị Hồng", 20, NULL },
	{ "Thị Ngọc", 15, NULL }, { "Khánh", 10, NULL },
};

static struct word male_given_words[] = {
	{ "An", 20, NULL }, { "Bình", 25, NULL }, { "Dũng", 35, NULL },
	{ "Hải", 30, NULL }, { "Hùng", 40, NULL }, { "Nam", 35, NULL },
	{ "Quang", 20, NULL }, { "Sơn", 30, NULL }, { "Tuấn", 40, NULL },
	{ "Cường", 25, NULL }, { "Đạt", 20, NULL }, { "Hiếu", 20, NULL },
	{ "Khánh", 15, NULL }, { "Long", 25, NULL }, { "Phong", 15, NULL },
	{ "Thắng", 25, NULL }, { "Trung", 25, NULL }, { "Việt", 15, NULL },
	{ "Huy", 25, NULL }, { "Toàn", 15, NULL }, { "Thành", 30, NULL },
	{ "Kiên", 15, NULL }, { "Lâm", 10, NULL }, { "Duy", 15, NULL },
	{ "Tú", 10, NULL }, { "Chiến", 15, NULL }, { "Phúc", 15, NULL },
	{ "Lợi", 10, NULL }, { "Hòa", 15, NULL }, { "Tâm", 15, NULL },
	{ "Vinh", 15, NULL }, { "Quyết", 8, NULL }, { "Thịnh", 10, NULL },
};

static struct word female_given_words[] = {
	{ "Chi", 15, NULL }, { "Hà", 30, NULL }, { "Hạnh", 25, NULL },
	{ "Lan", 35, NULL }, { "Linh", 40, NULL }, { "Mai", 30, NULL },
	{ "Phương", 30, NULL }, { "Thảo", 35, NULL }, { "Trang", 40, NULL },
	{ "Yến", 25, NULL }, { "Hoa", 30, NULL }, { "Hương", 40, NULL },
	{ "Huyền", 30, NULL }, { "Ngọc", 15, NULL }, { "Nhung", 20, NULL },
	{ "Oanh", 15, NULL }, { "Quỳnh", 20, NULL }, { "Thủy", 30, NULL },
	{ "Vân", 20, NULL }, { "Hằng", 30, NULL }, { "Nga", 25, NULL },
	{ "Dung", 20, NULL }, { "Giang", 15, NULL }, { "Anh", 25, NULL },
	{ "Loan", 15, NULL }, { "Nhàn", 10, NULL }, { "Thư", 10, NULL },
	{ "Hiền", 20, NULL }, { "Liên", 15, NULL }, { "Tuyết", 10, NULL },
};

static struct word village_words[] = {
	{ "Thôn Đông", 10, NULL }, { "Thôn Tây", 8, NULL },
	{ "Thôn Nam", 8, NULL }, { "Thôn Bắc", 8, NULL },
	{ "Thôn Trung", 10, NULL }, { "Thôn Thượng", 6, NULL },
	{ "Thôn Hạ", 6, NULL }, { "Thôn Tân Lập", 8, NULL },
	{ "Thôn Phú Thọ", 6, NULL }, { "Thôn Yên Trường", 5, NULL },
	{ "Thôn Đồng Tâm", 6, NULL }, { "Thôn Quyết Thắng", 6, NULL },
	{ "Thôn Hòa Bình", 6, NULL }, { "Thôn Xuân Phong", 5, NULL },
	{ "Thôn Đại Đồng", 5, NULL }, { "Thôn Tiến Thành", 5, NULL },
	{ "Thôn Trung Thành", 5, NULL }, { "Thôn Minh Thành", 5, NULL },
	{ "Thôn Phú Lộc", 5, NULL }, { "Thôn Liên Cơ", 4, NULL },
	{ "Xóm Mới", 5, NULL }, { "Xóm Chùa", 4, NULL },
	{ "Xóm Đình", 4, NULL }, { "Xóm Bãi", 3, NULL },
	{ "Xóm Giữa", 4, NULL }, { "Xóm Trại", 3, NULL },
};

static struct word ward_words[] = {
	{ "Khu phố Ba Đình", 5, NULL }, { "Khu phố Hàm Rồng", 5, NULL },
	{ "Khu phố Đông Sơn", 5, NULL }, { "Khu phố Điện Biên", 5, NULL },
	{ "Khu phố Lam Sơn", 5, NULL }, { "Khu phố Phú Sơn", 5, NULL },
	{ "Khu phố Ngọc Trạo", 5, NULL }, { "Khu phố Trường Thi", 5, NULL },
};

static struct word hamlet_words[] = {
	{ "Bản Tà Cóm", 10, NULL }, { "Bản Pù Ngùa", 8, NULL },
	{ "Bản Cá Nội", 8, NULL }, { "Bản Táu", 8, NULL },
	{ "Bản Lìn", 6, NULL }, { "Bản Ký Tân", 6, NULL },
	{ "Bản Poọng", 6, NULL }, { "Bản Vin", 5, NULL },
	{ "Bản Chiềng", 6, NULL }, { "Bản Cang", 6, NULL },
};

static struct word firm_kind_words[] = {
	{ "Công ty TNHH", 50, NULL }, { "Công ty Cổ phần", 35, NULL },
	{ "Hợp tác xã", 10, NULL }, { "Doanh nghiệp tư nhân", 5, NULL },
};

static struct word firm_line_words[] = {
	{ "", 20, NULL }, { "Xây dựng", 15, NULL }, { "Thương mại", 15, NULL },
	{ "Thương mại và Dịch vụ", 15, NULL },
	{ "Đầu tư Phát triển", 10, NULL }, { "Nông nghiệp", 8, NULL },
	{ "Vận tải", 7, NULL }, { "Vật liệu xây dựng", 5, NULL },
	{ "Chế biến nông sản", 5, NULL },
};

static struct word firm_brand_words[] = {
	{ "Hoàng Long", 5, NULL }, { "Lam Sơn", 5, NULL }, { "Sông Mã", 5, NULL },
	{ "Thành Đạt", 5, NULL }, { "Phú Quý", 5, NULL }, { "Minh Phát", 5, NULL },
	{ "An Khang", 5, NULL }, { "Hưng Thịnh", 5, NULL }, { "Đông Á", 4, NULL },
	{ "Hàm Rồng", 4, NULL }, { "Nghi Sơn", 5, NULL },
	{ "Xuân Thành", 4, NULL }, { "Trường Thịnh", 4, NULL },
	{ "Bảo Châu", 3, NULL }, { "Tân Phát", 4, NULL }, { "Hải Tiến", 3, NULL },
};

static struct word mail_domain_words[] = {
	{ "gmail.com", 82, NULL }, { "yahoo.com", 7, NULL },
	{ "outlook.com", 5, NULL }, { "icloud.com", 3, NULL },
	{ "hotmail.com", 3, NULL },
};

/* Mobile prefixes (10-digit numbers) by carrier, 09x most common. */
static struct word phone_prefix_words[] = {
	{ "032", 4, NULL }, { "033", 4, NULL }, { "034", 4, NULL },
	{ "035", 4, NULL }, { "036", 4, NULL }, { "037", 5, NULL },
	{ "038", 5, NULL }, { "039", 5, NULL }, { "086", 4, NULL },
	{ "096", 7, NULL }, { "097", 8, NULL }, { "098", 8, NULL },
	{ "081", 2, NULL }, { "082", 2, NULL }, { "083", 2, NULL },
	{ "084", 2, NULL }, { "085", 2, NULL }, { "088", 3, NULL },
	{ "091", 6, NULL }, { "094", 5, NULL }, { "070", 2, NULL },
	{ "076", 2, NULL }, { "077", 2, NULL }, { "078", 2, NULL },
	{ "079", 2, NULL }, { "089", 2, NULL }, { "090", 5, NULL },
	{ "093", 4, NULL }, { "056", 1, NULL }, { "058", 1, NULL },
	{ "059", 1, NULL },
};

/* CCCD province codes: mostly Thanh Hóa (038), some neighbours and cities. */
static struct word province_words[] = {
	{ "038", 900, NULL }, { "040", 20, NULL }, { "037", 15, NULL },
	{ "036", 10, NULL }, { "001", 25, NULL }, { "079", 10, NULL },
	{ "034", 8, NULL }, { "042", 6, NULL }, { "019", 6, NULL },
};

static struct wordlist family = WORDS(family_words);
static struct wordlist male_middle = WORDS(male_middle_words);
static struct wordlist female_middle = WORDS(female_middle_words);
static struct wordlist male_given = WORDS(male_given_words);
static struct wordlist female_given = WORDS(female_given_words);
static struct wordlist villages = WORDS(village_words);
static struct wordlist wards = WORDS(ward_words);
static struct wordlist hamlets = WORDS(hamlet_words);
static struct wordlist firm_kind = WORDS(firm_kind_words);
static struct wordlist firm_line = WORDS(firm_line_words);
static struct wordlist firm_brand = WORDS(firm_brand_words);
static struct wordlist mail_domains = WORDS(mail_domain_words);
static struct wordlist phone_prefixes = WORDS(phone_prefix_words);
static struct wordlist provinces = WORDS(province_words);

static struct wordlist *const all_wordlists[] = {
	&family, &male_middle, &female_middle, &male_given, &female_given,
	&villages, &wards, &hamlets, &firm_kind, &firm_line, &firm_brand,
	&mail_domains, &phone_prefixes, &provinces,
};
#define NWORDLISTS (sizeof all_wordlists / sizeof all_wordlists[0])

/* Built-in words are written without escaping: check that they need none. */
static void
wordlists_init(void)
{
	uint32_t *weights;
	size_t i, j;

	for (i = 0; i < NWORDLISTS; i++) {
		struct wordlist *l = all_wordlists[i];

		weights = xmalloc(l->n * sizeof *weights);
		for (j = 0; j < l->n; j++) {
			if (strpbrk(l->w[j].vi, "\"\\\b\f\n\r\t") != NULL)
				die(EXIT_SOFTWARE, "built-in word needs "
				    "escaping: %s", l->w[j].vi);
			l->w[j].ascii = fold_ascii(l->w[j].vi);
			weights[j] = l->w[j].weight;
		}
		wtab_init(&l->tab, weights, l->n);
		free(weights);
	}
}

static void
wordlists_free(void)
{
	size_t i, j;

	for (i = 0; i < NWORDLISTS; i++) {
		struct wordlist *l = all_wordlists[i];

		for (j = 0; j < l->n; j++) {
			free(l->w[j].ascii);
			l->w[j].ascii = NULL;
		}
		wtab_free(&l->tab);
	}
}

static const struct word *
pick(struct wordlist *l, struct rng *r)
{
	return &l->w[wtab_pick(&l->tab, r)];
}

/* ---- the catalog ---- */

enum ukind { U_COMMUNE, U_WARD, U_REMOTE, U_CENTRE };

struct unit {
	char *code_frag;	/* `CODE","channel":"` (escaped) */
	char *place;		/* ", xã Quảng Phú" (escaped), communes only */
	enum ukind kind;
};

struct doc {
	char *frag;		/* `{"name":"...","file":null}` */
	int required;
};

struct proc {
	char *frag;		/* `","procedure":"CODE","unit":"` */
	int province;		/* level "province" */
	int field;		/* FIELD_* */
	struct doc *docs;
	size_t ndocs;
	uint32_t weight;
};

enum { F_CIVIL, F_LAND, F_CERT, F_OTHER };

struct catalog {
	struct unit *units;	/* communes and wards, then the centre */
	size_t nunits, ncommunes;
	struct proc *procs;
	size_t nprocs;
	struct wtab commune_tab;	/* receiving commune of a dossier */
	struct wtab proc_tab;
	int has_centre;
};

/* Relative frequencies of the catalog's procedures: civil status first,
 * land next; procedures not listed get a weight by field. */
static const struct {
	const char *code;
	uint32_t weight;
} proc_weights[] = {
	{ "1.001193", 180 },	/* khai sinh */
	{ "1.000894", 70 },	/* kết hôn */
	{ "1.000656", 60 },	/* khai tử */
	{ "2.000635", 90 },	/* bản sao trích lục */
	{ "1.004873", 80 },	/* xác nhận tình trạng hôn nhân */
	{ "1.004859", 30 },	/* thay đổi, cải chính hộ tịch */
	{ "1.001022", 10 },	/* nhận cha, mẹ, con */
	{ "1.012793", 150 },	/* đăng ký biến động đất đai */
	{ "1.012790", 50 },	/* đăng ký đất đai lần đầu */
	{ "2.000815", 120 },	/* chứng thực bản sao */
	{ "2.001417", 50 },	/* lý lịch tư pháp */
	{ "1.001776", 40 },	/* trợ cấp xã hội hàng tháng */
	{ "1.001731", 15 },	/* hỗ trợ chi phí mai táng */
	{ "1.010814", 10 },	/* trợ cấp thờ cúng liệt sĩ */
	{ "1.010832", 8 },	/* mai táng phí người có công */
	{ "1.010801", 7 },	/* ưu đãi thân nhân liệt sĩ */
};

static uint32_t
weight_for(const char *code, int field)
{
	size_t i;

	for (i = 0; i < sizeof proc_weights / sizeof proc_weights[0]; i++)
		if (strcmp(proc_weights[i].code, code) == 0)
			return proc_weights[i].weight;
	switch (field) {
	case F_CIVIL:
	case F_LAND:
		return 40;
	default:
		return 10;
	}
}

static void
bad(const char *path, size_t lineno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

static void
bad(const char *path, size_t lineno, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s:%zu: ", progname, path, lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_DATAERR);
}

/* The string member `key` of `obj`, or die naming the line. */
static const char *
get_str(json_t *obj, const char *key, const char *path, size_t lineno)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v) || json_string_length(v) == 0)
		bad(path, lineno, "\"%s\" must be a non-empty string", key);
	if (strlen(json_string_value(v)) != json_string_length(v))
		bad(path, lineno, "\"%s\" contains a NUL character", key);
	return json_string_value(v);
}

static void
add_unit(struct catalog *c, json_t *o, const char *path, size_t lineno)
{
	const char *code = get_str(o, "code", path, lineno);
	const char *name = get_str(o, "name", path, lineno);
	const char *level = get_str(o, "level", path, lineno);
	json_t *remote = json_object_get(o, "remote");
	struct unit *u;
	const char *place;

	if (remote != NULL && !json_is_boolean(remote))
		bad(path, lineno, "\"remote\" must be true or false");
	if (strcmp(code, CENTRE_CODE) != 0 && strcmp(level, "commune") != 0)
		return;
	c->units = xrealloc(c->units, (c->nunits + 1) * sizeof *c->units);
	u = &c->units[c->nunits++];
	u->code_frag = fragment("", code, "\",\"channel\":\"");
	u->place = NULL;
	if (strcmp(code, CENTRE_CODE) == 0) {
		u->kind = U_CENTRE;
		c->has_centre = 1;
		return;
	}
	/* "UBND xã Quảng Phú" -> ", xã Quảng Phú" */
	place = strncmp(name, "UBND ", 5) == 0 ? name + 5 : name;
	u->place = fragment(", ", place, "");
	if (json_is_true(remote))
		u->kind = U_REMOTE;
	else if (strstr(name, "phường") != NULL)
		u->kind = U_WARD;
	else
		u->kind = U_COMMUNE;
}

static void
add_proc(struct catalog *c, json_t *o, const char *path, size_t lineno)
{
	const char *code = get_str(o, "code", path, lineno);
	const char *field = get_str(o, "field", path, lineno);
	const char *level = get_str(o, "level", path, lineno);
	json_t *docs = json_object_get(o, "documents"), *d;
	struct proc *pr;
	size_t i;

	if (!json_is_array(docs))
		bad(path, lineno, "\"documents\" must be an array");
	c->procs = xrealloc(c->procs, (c->nprocs + 1) * sizeof *c->procs);
	pr = &c->procs[c->nprocs++];
	pr->frag = fragment("\",\"procedure\":\"", code, "\",\"unit\":\"");
	pr->province = strcmp(level, "province") == 0;
	if (strcmp(field, "Hộ tịch") == 0)
		pr->field = F_CIVIL;
	else if (strcmp(field, "Đất đai") == 0)
		pr->field = F_LAND;
	else if (strcmp(field, "Chứng thực") == 0)
		pr->field = F_CERT;
	else
		pr->field = F_OTHER;
	pr->weight = weight_for(code, pr->field);
	pr->ndocs = json_array_size(docs);
	pr->docs = xmalloc(pr->ndocs * sizeof *pr->docs);
	json_array_foreach(docs, i, d) {
		json_t *req = json_object_get(d, "required");

		if (!json_is_object(d))
			bad(path, lineno, "document %zu is not an object", i + 1);
		if (!json_is_boolean(req))
			bad(path, lineno, "document %zu: \"required\" must be "
			    "true or false", i + 1);
		pr->docs[i].frag = fragment("{\"name\":\"",
		    get_str(d, "name", path, lineno), "\",\"file\":null}");
		pr->docs[i].required = json_is_true(req);
	}
}

static void
catalog_load(struct catalog *c, const char *path)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0, lineno = 0, i;
	ssize_t len;
	uint32_t *w;

	memset(c, 0, sizeof *c);
	if ((fp = fopen(path, "r")) == NULL)
		die(EXIT_NOINPUT, "%s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, fp)) != -1) {
		json_error_t jerr;
		json_t *o;
		const char *kind;

		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		o = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES,
		    &jerr);
		if (o == NULL)
			bad(path, lineno, "%s", jerr.text);
		if (!json_is_object(o))
			bad(path, lineno, "not a JSON object");
		kind = get_str(o, "kind", path, lineno);
		if (strcmp(kind, "unit") == 0)
			add_unit(c, o, path, lineno);
		else if (strcmp(kind, "procedure") == 0)
			add_proc(c, o, path, lineno);
		else if (strcmp(kind, "staff") != 0)
			bad(path, lineno, "unknown kind \"%s\"", kind);
		json_decref(o);
	}
	free(line);
	if (ferror(fp))
		die(EXIT_NOINPUT, "%s: %s", path, strerror(errno));
	fclose(fp);

	if (c->nprocs == 0)
		die(EXIT_DATAERR, "%s: no procedures in the catalog", path);
	if (c->nunits == 0)
		die(EXIT_DATAERR, "%s: no commune or centre (%s) unit in the "
		    "catalog", path, CENTRE_CODE);

	/* communes first, then the centre: units[0..ncommunes) are communes */
	for (i = 0; i < c->nunits; i++) {
		if (c->units[i].kind == U_CENTRE && i + 1 < c->nunits) {
			struct unit t = c->units[i];

			memmove(&c->units[i], &c->units[i + 1],
			    (c->nunits - i - 1) * sizeof t);
			c->units[c->nunits - 1] = t;
			break;
		}
	}
	c->ncommunes = c->nunits - (size_t)c->has_centre;
	if (c->ncommunes > 0) {
		w = xmalloc(c->ncommunes * sizeof *w);
		for (i = 0; i < c->ncommunes; i++)
			w[i] = c->units[i].kind == U_REMOTE ? 3 :
			    c->units[i].kind == U_WARD ? 14 : 10;
		wtab_init(&c->commune_tab, w, c->ncommunes);
		free(w);
	}
	w = xmalloc(c->nprocs * sizeof *w);
	for (i = 0; i < c->nprocs; i++)
		w[i] = c->procs[i].weight;
	wtab_init(&c->proc_tab, w, c->nprocs);
	free(w);
}

static void
catalog_free(struct catalog *c)
{
	size_t i, j;

	for (i = 0; i < c->nunits; i++) {
		free(c->units[i].code_frag);
		free(c->units[i].place);
	}
	free(c->units);
	for (i = 0; i < c->nprocs; i++) {
		for (j = 0; j < c->procs[i].ndocs; j++)
			free(c->procs[i].docs[j].frag);
		free(c->procs[i].docs);
		free(c->procs[i].frag);
	}
	free(c->procs);
	if (c->ncommunes > 0)
		wtab_free(&c->commune_tab);
	wtab_free(&c->proc_tab);
}

/* ---- dates ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (long)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (long)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/*
 * Days the offices are closed besides weekends: the solar holidays of
 * Labour Code Art. 112, and for 2026 the announced Tết break and the Hùng
 * Kings compensatory day (dossier-admin(1), calendar).  Only shapes the data.
 */
static int
is_holiday(long y, unsigned m, unsigned d)
{
	unsigned md = m * 100 + d;

	if (md == 101 || md == 430 || md == 501 || md == 902)
		return 1;
	if (y == 2026 && ((md >= 214 && md <= 222) || md == 427 ||
	    md == 901))
		return 1;
	return 0;
}

struct day {
	char date[11];		/* "YYYY-MM-DD" */
	int closed;		/* weekend or holiday */
};

/* Two decimal digits of n < 100. */
static void
put2(char *p, unsigned n)
{
	p[0] = (char)('0' + n / 10 % 10);
	p[1] = (char)('0' + n % 10);
}

/* The calendar of the receipt range; years stay below 10000 because the
 * first date is at most 9899-12-31 and the range at most MAX_DAYS. */
static struct day *
days_init(long first, long ndays)
{
	struct day *days = xmalloc((size_t)ndays * sizeof *days);
	long i, y;
	unsigned m, d;

	for (i = 0; i < ndays; i++) {
		long z = first + i;
		long wd = ((z % 7) + 7 + 4) % 7;	/* 0 = Sunday */

		civil_from_days(z, &y, &m, &d);
		put2(days[i].date, (unsigned)(y / 100));
		put2(days[i].date + 2, (unsigned)(y % 100));
		days[i].date[4] = '-';
		put2(days[i].date + 5, m);
		days[i].date[7] = '-';
		put2(days[i].date + 8, d);
		days[i].date[10] = '\0';
		days[i].closed = wd == 0 || wd == 6 || is_holiday(y, m, d);
	}
	return days;
}

/* ---- one application ---- */

enum channel { CH_DIRECT, CH_ONLINE, CH_POSTAL };

struct gen {
	struct catalog *cat;
	struct rng rng;
	struct day *days;
	long ndays;
	char *ref_frag;		/* `{"ref":"PREFIX-SEED-` */
	struct buf line;
	uint64_t count;		/* lines to write */
	int ordered;		/* -o: days in order of receipt */
	long last;		/* -o: the day of the previous line */
};

static void
put_word(struct buf *b, const struct word *w)
{
	buf_puts(b, w->vi);
}

/* Seconds since midnight of a receipt time. */
static uint32_t
pick_time(struct rng *r, enum channel ch)
{
	uint32_t outside = ch == CH_ONLINE ? 150 : 5;	/* per mille */
	uint32_t x;

	if (rng_chance(r, outside)) {
		x = rng_below(r, 100);
		if (x < 10)		/* 00:00 - 06:59 */
			return rng_below(r, 7 * 3600);
		if (x < 35)		/* 11:30 - 13:29 */
			return 11 * 3600 + 1800 + rng_below(r, 2 * 3600);
		/* 17:00 - 23:59 */
		return 17 * 3600 + rng_below(r, 7 * 3600);
	}
	/* in office hours; with the online evenings ~10% land after 15:00 */
	x = rng_below(r, 1000);
	if (x < 600)			/* 07:00 - 11:29 */
		return 7 * 3600 + rng_below(r, 4 * 3600 + 1800);
	if (x < 925)			/* 13:30 - 14:59 */
		return 13 * 3600 + 1800 + rng_below(r, 3600 + 1800);
	return 15 * 3600 + rng_below(r, 2 * 3600);	/* 15:00 - 16:59 */
}

static const struct day *
pick_day(struct gen *g, enum channel ch, uint64_t index)
{
	/* chance (per mille) of keeping a closed day when one is drawn */
	uint32_t keep = ch == CH_ONLINE ? 400 : ch == CH_DIRECT ? 20 : 5;
	const struct day *d;
	int tries = 0;
	long k;

	if (g->ordered) {
		/* as a register is kept: line i on day i*days/count, moved
		 * to the next open day unless kept like a drawn one */
		k = (long)((index - 1) * (uint64_t)g->ndays / g->count);
		if (k < g->last)
			k = g->last;
		while (g->days[k].closed && k + 1 < g->ndays &&
		    !rng_chance(&g->rng, keep))
			k++;
		g->last = k;
		return &g->days[k];
	}

	do {
		d = &g->days[rng_below(&g->rng, (uint32_t)g->ndays)];
	} while (d->closed && !rng_chance(&g->rng, keep) && ++tries < 16);
	return d;
}

static void
put_time(struct buf *b, uint32_t t)
{
	buf_digits(b, t / 3600, 2);
	buf_putc(b, ':');
	buf_digits(b, t / 60 % 60, 2);
	buf_putc(b, ':');
	buf_digits(b, t % 60, 2);
}

static void
put_random_digits(struct buf *b, struct rng *r, int n)
{
	while (n-- > 0)
		buf_putc(b, (char)('0' + rng_below(r, 10)));
}

static void
put_email_citizen(struct gen *g, const struct word *fam,
    const struct word *mid, const struct word *giv, uint32_t birth)
{
	struct buf *b = &g->line;
	struct rng *r = &g->rng;

	buf_putc(b, '"');
	switch (rng_below(r, 4)) {
	case 0:		/* lannguyen87 */
		buf_puts(b, giv->ascii);
		buf_puts(b, fam->ascii);
		buf_digits(b, birth % 100, 2);
		break;
	case 1:		/* lan.nguyen */
		buf_puts(b, giv->ascii);
		buf_putc(b, '.');
		buf_puts(b, fam->ascii);
		if (rng_chance(r, 600))
			buf_digits(b, rng_below(r, 100), 2);
		break;
	case 2:		/* nguyenthilan1987 */
		buf_puts(b, fam->ascii);
		buf_puts(b, mid->ascii);
		buf_puts(b, giv->ascii);
		buf_digits(b, birth, 4);
		break;
	default:	/* ntlan.th */
		buf_putc(b, fam->ascii[0]);
		buf_putc(b, mid->ascii[0]);
		buf_puts(b, giv->ascii);
		buf_lit(b, ".th");
		buf_digits(b, rng_below(r, 1000), 1);
		break;
	}
	buf_putc(b, '@');
	buf_puts(b, pick(&mail_domains, r)->vi);
	buf_putc(b, '"');
}

static void
put_address(struct gen *g, const struct unit *u)
{
	struct buf *b = &g->line;
	struct rng *r = &g->rng;

	switch (u->kind) {
	case U_WARD:
		if (rng_chance(r, 600)) {
			/* two calls: sizeof a conditional is a pointer's */
			if (rng_chance(r, 500))
				buf_lit(b, "Khu phố ");
			else
				buf_lit(b, "Tổ dân phố ");
			buf_digits(b, 1 + rng_below(r, 20), 1);
		} else {
			put_word(b, pick(&wards, r));
		}
		break;
	case U_REMOTE:
		put_word(b, pick(&hamlets, r));
		break;
	default:
		if (rng_chance(r, 350)) {
			buf_lit(b, "Thôn ");
			buf_digits(b, 1 + rng_below(r, 14), 1);
		} else {
			put_word(b, pick(&villages, r));
		}
	}
	buf_puts(b, u->place);
}

static void
gen_one(struct gen *g, uint64_t index)
{
	struct catalog *c = g->cat;
	struct buf *b = &g->line;
	struct rng *r = &g->rng;
	const struct proc *pr = &c->procs[wtab_pick(&c->proc_tab, r)];
	const struct unit *recv, *home;
	const struct day *day;
	enum channel ch;
	uint32_t x, firm_permille;
	size_t i;

	b->len = 0;
	buf_puts(b, g->ref_frag);
	buf_digits(b, index, 8);
	buf_puts(b, pr->frag);

	/* receiving unit: province procedures mostly at the centre */
	if (c->ncommunes == 0 || (c->has_centre && pr->province &&
	    rng_chance(r, 700)))
		recv = &c->units[c->nunits - 1];
	else
		recv = &c->units[wtab_pick(&c->commune_tab, r)];
	home = recv->kind == U_CENTRE ? (c->ncommunes > 0 ?
	    &c->units[wtab_pick(&c->commune_tab, r)] : NULL) : recv;
	buf_puts(b, recv->code_frag);

	x = rng_below(r, 100);
	ch = x < 60 ? CH_DIRECT : x < 90 ? CH_ONLINE : CH_POSTAL;
	buf_puts(b, ch == CH_DIRECT ? "direct" : ch == CH_ONLINE ? "online" :
	    "postal");
	buf_lit(b, "\",\"received_at\":\"");
	day = pick_day(g, ch, index);
	buf_put(b, day->date, 10);
	buf_putc(b, 'T');
	put_time(b, pick_time(r, ch));
	buf_lit(b, "+07:00\",");

	switch (pr->field) {
	case F_LAND:
		firm_permille = 350;
		break;
	case F_CERT:
		firm_permille = 200;
		break;
	default:
		firm_permille = 0;
	}
	if (firm_permille > 0 && rng_chance(r, firm_permille)) {
		const struct word *kind = pick(&firm_kind, r);
		const struct word *line = pick(&firm_line, r);
		const struct word *brand = pick(&firm_brand, r);

		buf_lit(b, "\"applicant\":{\"type\":\"enterprise\",\"name\":\"");
		put_word(b, kind);
		buf_putc(b, ' ');
		if (line->vi[0] != '\0') {
			put_word(b, line);
			buf_putc(b, ' ');
		}
		put_word(b, brand);
		/* enterprise code (tax code), Thanh Hóa series 28xxxxxxxx */
		buf_lit(b, "\",\"id_number\":\"28");
		put_random_digits(b, r, 8);
		buf_lit(b, "\",\"phone\":\"");
		put_word(b, pick(&phone_prefixes, r));
		put_random_digits(b, r, 7);
		buf_lit(b, "\",\"address\":\"");
		if (home != NULL)
			put_address(g, home);
		else
			buf_lit(b, "Thanh Hóa");
		buf_lit(b, "\",\"email\":");
		if (rng_chance(r, 350)) {
			if (rng_chance(r, 500)) {	/* info@hoanglong.com.vn */
				buf_lit(b, "\"info@");
				buf_puts(b, brand->ascii);
				buf_lit(b, ".com.vn\"");
			} else {		/* ketoan.hoanglong@gmail.com */
				buf_lit(b, "\"ketoan.");
				buf_puts(b, brand->ascii);
				buf_lit(b, "@gmail.com\"");
			}
		} else {
			buf_lit(b, "null");
		}
	} else {
		int female = rng_chance(r, 500);
		struct wordlist *ml = female ? &female_middle : &male_middle;
		struct wordlist *gl = female ? &female_given : &male_given;
		const struct word *fam = pick(&family, r);
		const struct word *mid = pick(ml, r);
		const struct word *giv = pick(gl, r);
		uint32_t birth = 1950 + rng_below(r, 29) + rng_below(r, 29);

		if (strcmp(giv->vi, mid->vi) == 0)
			giv = pick(gl, r);
		buf_lit(b, "\"applicant\":{\"type\":\"citizen\",\"name\":\"");
		put_word(b, fam);
		buf_putc(b, ' ');
		put_word(b, mid);
		buf_putc(b, ' ');
		put_word(b, giv);
		buf_lit(b, "\",\"id_number\":\"");
		if (rng_chance(r, 30)) {
			/* old 9-digit identity card (CMND), Thanh Hóa 17x */
			buf_lit(b, "17");
			put_random_digits(b, r, 7);
		} else {
			/* CCCD: province, century+gender, birth year, 6 */
			put_word(b, pick(&provinces, r));
			buf_putc(b, (char)('0' + (birth >= 2000 ? 2 : 0) +
			    female));
			buf_digits(b, birth % 100, 2);
			put_random_digits(b, r, 6);
		}
		buf_lit(b, "\",\"phone\":\"");
		put_word(b, pick(&phone_prefixes, r));
		put_random_digits(b, r, 7);
		buf_lit(b, "\",\"address\":\"");
		if (home != NULL)
			put_address(g, home);
		else
			buf_lit(b, "Thanh Hóa");
		buf_lit(b, "\",\"email\":");
		if (rng_chance(r, 130))
			put_email_citizen(g, fam, mid, giv, birth);
		else
			buf_lit(b, "null");
	}

	buf_lit(b, "},\"documents\":[");
	for (i = 0; i < pr->ndocs; i++) {
		if (!pr->docs[i].required && !rng_chance(r, 400))
			continue;
		if (b->p[b->len - 1] == '}')
			buf_putc(b, ',');
		buf_puts(b, pr->docs[i].frag);
	}
	buf_lit(b, "],\"note\":null}\n");
}

/* ---- arguments ---- */

/* A decimal number in [0, max] made only of digits, or -1. */
static int
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* "YYYY-MM-DD" to days since the epoch, or -1 on a bad date. */
static int
parse_date(const char *s, long *out)
{
	unsigned y, m, d, i;
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	unsigned dim;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (unsigned)((s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0'));
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1900 || y > 9899 || m < 1 || m > 12)
		return -1;
	dim = mdays[m - 1] + (m == 2 && y % 4 == 0 &&
	    (y % 100 != 0 || y % 400 == 0));
	if (d < 1 || d > dim)
		return -1;
	*out = days_from_civil((long)y, m, d);
	return 0;
}

static int
valid_prefix(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

int
main(int argc, char *argv[])
{
	const char *catpath = "examples/catalog.jsonl", *prefix = "gen";
	const char *first_s = "2026-03-02";
	uint64_t count = 1000, seed = 1, ndays = 60, i;
	int ordered = 0;
	struct catalog cat;
	struct gen g;
	long first;
	char seedbuf[24];
	int ch, badwrite;
	char *slash;

	if (argv[0] != NULL && argv[0][0] != '\0')
		progname = (slash = strrchr(argv[0], '/')) != NULL ?
		    slash + 1 : argv[0];

	while ((ch = getopt(argc, argv, "c:n:s:f:D:op:")) != -1) {
		switch (ch) {
		case 'c':
			catpath = optarg;
			break;
		case 'n':
			if (parse_u64(optarg, MAX_COUNT, &count) == -1) {
				fprintf(stderr, "%s: -n: not a count from 0 "
				    "to %lu: %s\n", progname, MAX_COUNT,
				    optarg);
				usage();
			}
			break;
		case 's':
			if (parse_u64(optarg, UINT64_MAX, &seed) == -1) {
				fprintf(stderr, "%s: -s: not an unsigned "
				    "64-bit number: %s\n", progname, optarg);
				usage();
			}
			break;
		case 'f':
			first_s = optarg;
			break;
		case 'D':
			if (parse_u64(optarg, MAX_DAYS, &ndays) == -1 ||
			    ndays == 0) {
				fprintf(stderr, "%s: -D: not a number of days "
				    "from 1 to %ld: %s\n", progname, MAX_DAYS,
				    optarg);
				usage();
			}
			break;
		case 'o':
			ordered = 1;
			break;
		case 'p':
			prefix = optarg;
			if (!valid_prefix(prefix)) {
				fprintf(stderr, "%s: -p: use 1 to 64 of "
				    "A-Z a-z 0-9 . _ -: %s\n", progname,
				    optarg);
				usage();
			}
			break;
		default:
			usage();
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument: %s\n", progname,
		    argv[optind]);
		usage();
	}
	if (parse_date(first_s, &first) == -1) {
		fprintf(stderr, "%s: -f: not a date YYYY-MM-DD: %s\n",
		    progname, first_s);
		usage();
	}

	wordlists_init();
	catalog_load(&cat, catpath);

	memset(&g, 0, sizeof g);
	g.cat = &cat;
	rng_seed(&g.rng, seed);
	g.ndays = (long)ndays;
	g.days = days_init(first, g.ndays);
	g.count = count;
	g.ordered = ordered;
	g.last = 0;
	snprintf(seedbuf, sizeof seedbuf, "%" PRIu64, seed);
	{
		struct buf rb = { NULL, 0, 0 };

		buf_lit(&rb, "{\"ref\":\"");
		buf_puts(&rb, prefix);
		buf_putc(&rb, '-');
		buf_puts(&rb, seedbuf);
		buf_putc(&rb, '-');
		buf_putc(&rb, '\0');
		g.ref_frag = rb.p;
	}

	if (setvbuf(stdout, NULL, _IOFBF, OUTBUF_SIZE) != 0)
		die(EXIT_SOFTWARE, "setvbuf failed");
	badwrite = 0;
	for (i = 1; i <= count; i++) {
		gen_one(&g, i);
		if (fwrite(g.line.p, 1, g.line.len, stdout) != g.line.len) {
			badwrite = 1;
			break;
		}
	}
	if (badwrite || ferror(stdout)) {
		int e = errno;

		fclose(stdout);
		die(EXIT_IOERR, "stdout: %s", strerror(e));
	}
	if (fclose(stdout) == EOF)
		die(EXIT_IOERR, "stdout: %s", strerror(errno));

	free(g.line.p);
	free(g.ref_frag);
	free(g.days);
	catalog_free(&cat);
	wordlists_free();
	return 0;
}
