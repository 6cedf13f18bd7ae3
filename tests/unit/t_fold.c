/*
 * t_fold.c: folding Vietnamese names (fold.h) and the search expression
 * (search.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fold.h"
#include "office.h"
#include "search.h"
#include "tap.h"
#include "util.h"

void t_fold(void);

/* Each vowel: its six lower-case forms, its six upper-case forms. */
static const struct {
	const char *lower, *upper;
	char base;
} vowels[] = {
	{ "aàáãảạ", "AÀÁÃẢẠ", 'a' },
	{ "ăằắẵẳặ", "ĂẰẮẴẲẶ", 'a' },
	{ "âầấẫẩậ", "ÂẦẤẪẨẬ", 'a' },
	{ "eèéẽẻẹ", "EÈÉẼẺẸ", 'e' },
	{ "êềếễểệ", "ÊỀẾỄỂỆ", 'e' },
	{ "iìíĩỉị", "IÌÍĨỈỊ", 'i' },
	{ "oòóõỏọ", "OÒÓÕỎỌ", 'o' },
	{ "ôồốỗổộ", "ÔỒỐỖỔỘ", 'o' },
	{ "ơờớỡởợ", "ƠỜỚỠỞỢ", 'o' },
	{ "uùúũủụ", "UÙÚŨỦỤ", 'u' },
	{ "ưừứữửự", "ƯỪỨỮỬỰ", 'u' },
	{ "yỳýỹỷỵ", "YỲÝỸỶỴ", 'y' },
};

static void
fold_is(const char *in, const char *want)
{
	struct dx_buf b;

	buf_init(&b);
	fold_name(in, &b);
	is_str(b.buf, want, "fold_name('%s') = '%s'", in, want);
	buf_free(&b);
}

/* The next UTF-8 character of s: its length. */
static size_t
u8len(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static void
all_vowels(void)
{
	struct dx_buf b;
	char one[8], want[2];
	const char *p;
	size_t i, n, forms = 0, bad = 0;
	int k;

	buf_init(&b);
	for (i = 0; i < sizeof(vowels) / sizeof(vowels[0]); i++) {
		for (k = 0; k < 2; k++) {
			for (p = k ? vowels[i].upper : vowels[i].lower;
			    *p != '\0'; p += n) {
				n = u8len(p);
				memcpy(one, p, n);
				one[n] = '\0';
				want[0] = vowels[i].base;
				want[1] = '\0';
				buf_reset(&b);
				fold_name(one, &b);
				if (n > 1)
					forms++;
				if (b.buf == NULL || strcmp(b.buf, want) != 0) {
					printf("# '%s' folds to '%s'\n", one,
					    b.buf ? b.buf : "(null)");
					bad++;
				}
			}
		}
	}
	ok(bad == 0, "every Vietnamese vowel form folds to its base");
	is_int(forms, 132, "132 precomposed vowel forms checked");
	buf_free(&b);
}

static void
match_is(const char *name, const char *q, int want)
{
	ok(fold_match(name, q) == want, "fold_match('%s', '%s') is %d",
	    name, q, want);
}

static struct db *sdb;	/* a database for search_name_expr() */

/* which expression: 'n' search_name_expr, '#' search_number_expr */
static void
expr_is(const char *q, int kind, const char *want, int nwords)
{
	struct dx_err e;
	struct dx_buf b;
	int n;

	buf_init(&b);
	n = kind == 'n' ? search_name_expr(sdb, q, &b, &e) :
	    search_number_expr(q, &b);
	is_int(n, nwords, "expression of '%s' (%c) has %d words", q, kind,
	    nwords);
	is_str(b.buf ? b.buf : "", want, "expression of '%s' (%c)", q, kind);
	buf_free(&b);
}

static void
terms_is(const char *folded, const char *want)
{
	struct dx_buf b;

	buf_init(&b);
	buf_adds(&b, "x");
	search_terms(folded, &b);
	is_str(b.buf + 1, want, "search_terms('%s')", folded ? folded : "NULL");
	buf_free(&b);
}

/* the expressions, with first words seen in a database */
static void
expressions(void)
{
	char dir[64], path[96], cmd[128];
	struct search_put sp = { NULL, NULL };
	struct dx_err e;
	struct dx_buf big;
	static const char *const firsts[] = {
		"nguyen van an", "nguyenx", "ngo bao chau", "le thi nhan",
		"le van luyen", "lee", NULL
	};
	int i;

	snprintf(dir, sizeof(dir), "%s/t_fold.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp %s", dir);
		return;
	}
	snprintf(path, sizeof(path), "%s/office.db", dir);
	if ((sdb = office_open(path, DB_CREATE, &e)) == NULL) {
		ok(0, "office_open: %s", e.msg);
		return;
	}
	ok(db_begin(sdb, &e) == 0, "begin");
	for (i = 0; firsts[i] != NULL; i++) {
		struct dx_buf t;

		buf_init(&t);
		search_terms(firsts[i], &t);
		ok(search_put(sdb, &sp, i + 1, t.buf, NULL, NULL, &e) == 0,
		    "search_put '%s'", firsts[i]);
		buf_free(&t);
	}
	ok(db_commit(sdb, &e) == 0, "commit");

	expr_is("nguyen van an", 'n', "\"_nguyen_van_an\"*", 3);
	expr_is("  van   an ", 'n', "\"_van_an\"*", 2);
	expr_is("o brien smith", 'n', "\"_o_brien_smith\"*", 3);
	expr_is("a b c d e f g h i j", 'n', "\"_a_b_c_d_e_f_g_h\"*", 10);
	expr_is("\" OR_x", 'n', "\"_OR_x\"*", 2);
	expr_is("' ; -", 'n', "", 0);
	/* one word: itself, and the longer first words beginning with it */
	expr_is("an", 'n', "\"an\"", 1);
	expr_is("nguyen", 'n', "\"nguyen\" OR \"nguyenx\"", 1);
	expr_is("ng", 'n', "\"ng\" OR \"ngo\" OR \"nguyen\" OR \"nguyenx\"",
	    1);
	expr_is("le", 'n', "\"le\" OR \"lee\"", 1);
	expr_is("lee", 'n', "\"lee\"", 1);
	/* so many first words: one prefix term */
	buf_init(&big);
	ok(db_begin(sdb, &e) == 0, "begin");
	for (i = 0; i < 70; i++) {
		buf_reset(&big);
		buf_printf(&big, "zz%02d", i);
		ok(search_put(sdb, &sp, 100 + i, big.buf, NULL, NULL, &e) == 0,
		    "search_put '%s'", big.buf);
	}
	ok(db_commit(sdb, &e) == 0, "commit");
	buf_free(&big);
	expr_is("zz", 'n', "\"zz\"*", 1);
	expr_is("zz0", 'n', "\"zz0\" OR \"zz00\" OR \"zz01\" OR \"zz02\""
	    " OR \"zz03\" OR \"zz04\" OR \"zz05\" OR \"zz06\" OR \"zz07\""
	    " OR \"zz08\" OR \"zz09\"", 1);

	expr_is("nguyen van an", '#', "\"nguyen\" \"van\" \"an\"", 3);
	expr_is("o'brien-smith", '#', "\"o\" \"brien\" \"smith\"", 3);
	expr_is("+84905123456", '#', "\"84905123456\"", 1);
	expr_is("\" OR x", '#', "\"OR\" \"x\"", 2);
	expr_is("' ; -", '#', "", 0);

	search_put_free(&sp);
	db_close(sdb);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

void
t_fold(void)
{
	all_vowels();
	fold_is("đ", "d");
	fold_is("Đ", "d");
	fold_is("Đỗ Thanh Bình", "do thanh binh");
	fold_is("Nguyễn Văn An", "nguyen van an");
	fold_is("NGUYỄN VĂN AN", "nguyen van an");
	fold_is("nGuYễN vĂn aN", "nguyen van an");
	/* decomposed (NFD): base letter + combining marks */
	fold_is("Nguye\xcc\x82\xcc\x83n Va\xcc\x86n", "nguyen van");
	fold_is("Tra\xcc\x82\xcc\x80n", "tran");
	fold_is("  Trần \t Thị\n\n Bích  ", "tran thi bich");
	fold_is("Lê\xc2\xa0Văn", "le van");
	fold_is("", "");
	fold_is("   ", "");
	/* other non-ASCII is kept as it is */
	fold_is("Müller ß", "m\xc3\xbcller \xc3\x9f");
	fold_is("Zoë 漢字", "zo\xc3\xab \xe6\xbc\xa2\xe5\xad\x97");
	fold_is("a\xff" "b", "a\xff" "b");
	/* ASCII punctuation parts words */
	fold_is("O'Brien-Smith 42", "o brien smith 42");
	fold_is("H'Hen Niê", "h hen nie");
	fold_is("(Lê) Văn, An.", "le van an");

	match_is("nguyen van an", "nguyen van an", 1);
	match_is("nguyen van anh", "nguyen van an", 1);
	match_is("nguyen van anh", "van anh", 1);
	match_is("nguyen van anh", "van an", 0);
	match_is("nguyen van anh", "anh", 1);
	match_is("tran thi bich", "thi", 1);
	match_is("tran thi bich", "hi", 0);
	match_is("tran thi bich", "", 0);

	expressions();

	terms_is("le thi nhan", "le thi nhan _le_thi_nhan _thi_nhan");
	terms_is("an", "an");
	terms_is("", "");
	terms_is(NULL, "");
	terms_is("h'hen nie", "h hen nie _h_hen_nie _hen_nie");
	terms_is("zo\xc3\xab  _x_", "zo\xc3\xab x _zo\xc3\xab_x");
	terms_is("a b c d e f g h i j",
	    "a b c d e f g h i j _a_b_c_d_e_f_g_h _b_c_d_e_f_g_h_i"
	    " _c_d_e_f_g_h_i_j _d_e_f_g_h_i_j _e_f_g_h_i_j _f_g_h_i_j"
	    " _g_h_i_j _h_i_j _i_j");
}
