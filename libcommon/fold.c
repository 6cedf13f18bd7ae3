/*
 * fold.c: diacritics- and case-insensitive folding of Vietnamese names.
 */
#include <stdint.h>
#include <string.h>

#include "fold.h"
#include "util.h"

/* Precomposed Vietnamese letters and their ASCII base, sorted. */
static const struct {
	uint16_t cp;
	char base;
} vn[] = {
	{ 0x00c0, 'a' },	/* À */
	{ 0x00c1, 'a' },	/* Á */
	{ 0x00c2, 'a' },	/* Â */
	{ 0x00c3, 'a' },	/* Ã */
	{ 0x00c8, 'e' },	/* È */
	{ 0x00c9, 'e' },	/* É */
	{ 0x00ca, 'e' },	/* Ê */
	{ 0x00cc, 'i' },	/* Ì */
	{ 0x00cd, 'i' },	/* Í */
	{ 0x00d2, 'o' },	/* Ò */
	{ 0x00d3, 'o' },	/* Ó */
	{ 0x00d4, 'o' },	/* Ô */
	{ 0x00d5, 'o' },	/* Õ */
	{ 0x00d9, 'u' },	/* Ù */
	{ 0x00da, 'u' },	/* Ú */
	{ 0x00dd, 'y' },	/* Ý */
	{ 0x00e0, 'a' },	/* à */
	{ 0x00e1, 'a' },	/* á */
	{ 0x00e2, 'a' },	/* â */
	{ 0x00e3, 'a' },	/* ã */
	{ 0x00e8, 'e' },	/* è */
	{ 0x00e9, 'e' },	/* é */
	{ 0x00ea, 'e' },	/* ê */
	{ 0x00ec, 'i' },	/* ì */
	{ 0x00ed, 'i' },	/* í */
	{ 0x00f2, 'o' },	/* ò */
	{ 0x00f3, 'o' },	/* ó */
	{ 0x00f4, 'o' },	/* ô */
	{ 0x00f5, 'o' },	/* õ */
	{ 0x00f9, 'u' },	/* ù */
	{ 0x00fa, 'u' },	/* ú */
	{ 0x00fd, 'y' },	/* ý */
	{ 0x0102, 'a' },	/* Ă */
	{ 0x0103, 'a' },	/* ă */
	{ 0x0110, 'd' },	/* Đ */
	{ 0x0111, 'd' },	/* đ */
	{ 0x0128, 'i' },	/* Ĩ */
	{ 0x0129, 'i' },	/* ĩ */
	{ 0x0168, 'u' },	/* Ũ */
	{ 0x0169, 'u' },	/* ũ */
	{ 0x01a0, 'o' },	/* Ơ */
	{ 0x01a1, 'o' },	/* ơ */
	{ 0x01af, 'u' },	/* Ư */
	{ 0x01b0, 'u' },	/* ư */
	{ 0x1ea0, 'a' },	/* Ạ */
	{ 0x1ea1, 'a' },	/* ạ */
	{ 0x1ea2, 'a' },	/* Ả */
	{ 0x1ea3, 'a' },	/* ả */
	{ 0x1ea4, 'a' },	/* Ấ */
	{ 0x1ea5, 'a' },	/* ấ */
	{ 0x1ea6, 'a' },	/* Ầ */
	{ 0x1ea7, 'a' },	/* ầ */
	{ 0x1ea8, 'a' },	/* Ẩ */
	{ 0x1ea9, 'a' },	/* ẩ */
	{ 0x1eaa, 'a' },	/* Ẫ */
	{ 0x1eab, 'a' },	/* ẫ */
	{ 0x1eac, 'a' },	/* Ậ */
	{ 0x1ead, 'a' },	/* ậ */
	{ 0x1eae, 'a' },	/* Ắ */
	{ 0x1eaf, 'a' },	/* ắ */
	{ 0x1eb0, 'a' },	/* Ằ */
	{ 0x1eb1, 'a' },	/* ằ */
	{ 0x1eb2, 'a' },	/* Ẳ */
	{ 0x1eb3, 'a' },	/* ẳ */
	{ 0x1eb4, 'a' },	/* Ẵ */
	{ 0x1eb5, 'a' },	/* ẵ */
	{ 0x1eb6, 'a' },	/* Ặ */
	{ 0x1eb7, 'a' },	/* ặ */
	{ 0x1eb8, 'e' },	/* Ẹ */
	{ 0x1eb9, 'e' },	/* ẹ */
	{ 0x1eba, 'e' },	/* Ẻ */
	{ 0x1ebb, 'e' },	/* ẻ */
	{ 0x1ebc, 'e' },	/* Ẽ */
	{ 0x1ebd, 'e' },	/* ẽ */
	{ 0x1ebe, 'e' },	/* Ế */
	{ 0x1ebf, 'e' },	/* ế */
	{ 0x1ec0, 'e' },	/* Ề */
	{ 0x1ec1, 'e' },	/* ề */
	{ 0x1ec2, 'e' },	/* Ể */
	{ 0x1ec3, 'e' },	/* ể */
	{ 0x1ec4, 'e' },	/* Ễ */
	{ 0x1ec5, 'e' },	/* ễ */
	{ 0x1ec6, 'e' },	/* Ệ */
	{ 0x1ec7, 'e' },	/* ệ */
	{ 0x1ec8, 'i' },	/* Ỉ */
	{ 0x1ec9, 'i' },	/* ỉ */
	{ 0x1eca, 'i' },	/* Ị */
	{ 0x1ecb, 'i' },	/* ị */
	{ 0x1ecc, 'o' },	/* Ọ */
	{ 0x1ecd, 'o' },	/* ọ */
	{ 0x1ece, 'o' },	/* Ỏ */
	{ 0x1ecf, 'o' },	/* ỏ */
	{ 0x1ed0, 'o' },	/* Ố */
	{ 0x1ed1, 'o' },	/* ố */
	{ 0x1ed2, 'o' },	/* Ồ */
	{ 0x1ed3, 'o' },	/* ồ */
	{ 0x1ed4, 'o' },	/* Ổ */
	{ 0x1ed5, 'o' },	/* ổ */
	{ 0x1ed6, 'o' },	/* Ỗ */
	{ 0x1ed7, 'o' },	/* ỗ */
	{ 0x1ed8, 'o' },	/* Ộ */
	{ 0x1ed9, 'o' },	/* ộ */
	{ 0x1eda, 'o' },	/* Ớ */
	{ 0x1edb, 'o' },	/* ớ */
	{ 0x1edc, 'o' },	/* Ờ */
	{ 0x1edd, 'o' },	/* ờ */
	{ 0x1ede, 'o' },	/* Ở */
	{ 0x1edf, 'o' },	/* ở */
	{ 0x1ee0, 'o' },	/* Ỡ */
	{ 0x1ee1, 'o' },	/* ỡ */
	{ 0x1ee2, 'o' },	/* Ợ */
	{ 0x1ee3, 'o' },	/* ợ */
	{ 0x1ee4, 'u' },	/* Ụ */
	{ 0x1ee5, 'u' },	/* ụ */
	{ 0x1ee6, 'u' },	/* Ủ */
	{ 0x1ee7, 'u' },	/* ủ */
	{ 0x1ee8, 'u' },	/* Ứ */
	{ 0x1ee9, 'u' },	/* ứ */
	{ 0x1eea, 'u' },	/* Ừ */
	{ 0x1eeb, 'u' },	/* ừ */
	{ 0x1eec, 'u' },	/* Ử */
	{ 0x1eed, 'u' },	/* ử */
	{ 0x1eee, 'u' },	/* Ữ */
	{ 0x1eef, 'u' },	/* ữ */
	{ 0x1ef0, 'u' },	/* Ự */
	{ 0x1ef1, 'u' },	/* ự */
	{ 0x1ef2, 'y' },	/* Ỳ */
	{ 0x1ef3, 'y' },	/* ỳ */
	{ 0x1ef4, 'y' },	/* Ỵ */
	{ 0x1ef5, 'y' },	/* ỵ */
	{ 0x1ef6, 'y' },	/* Ỷ */
	{ 0x1ef7, 'y' },	/* ỷ */
	{ 0x1ef8, 'y' },	/* Ỹ */
	{ 0x1ef9, 'y' },	/* ỹ */
};

static char
vn_base(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(vn) / sizeof(vn[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vn[mid].cp == cp)
			return vn[mid].base;
		if (vn[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return '\0';
}

/*
 * Decode one well-formed UTF-8 sequence of 2 or 3 bytes at `s` (the only
 * lengths the characters folded here have).  Returns its length and sets
 * *cp, or 0 if the bytes are anything else.
 */
static size_t
utf8_dec(const unsigned char *s, uint32_t *cp)
{
	if (s[0] >= 0xc2 && s[0] <= 0xdf && (s[1] & 0xc0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x0f) << 12) |
		    ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		if (*cp < 0x800)
			return 0;
		return 3;
	}
	return 0;
}

int
fold_wordbyte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

size_t
fold_name(const char *utf8, struct dx_buf *out)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t start = out->len;
	int space = 0;		/* a space is pending */
	uint32_t cp;
	size_t n;
	char c;

	buf_add(out, "", 0);	/* out->buf is a string even if empty */
	if (s == NULL)
		return 0;
	while (*s != '\0') {
		if (!fold_wordbyte(*s)) {
			/* white space and ASCII punctuation part words */
			space = 1;
			s++;
			continue;
		}
		if (*s < 0x80) {
			c = (char)*s;
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			s++;
		} else if ((n = utf8_dec(s, &cp)) > 0) {
			if (cp == 0xa0) {
				space = 1;
				s += n;
				continue;
			}
			if (cp >= 0x300 && cp <= 0x36f) {
				/* a combining mark of decomposed input */
				s += n;
				continue;
			}
			if ((c = vn_base(cp)) == '\0') {
				if (space && out->len > start)
					buf_add(out, " ", 1);
				space = 0;
				buf_add(out, s, n);
				s += n;
				continue;
			}
			s += n;
		} else {
			/* another character, or a stray byte: kept */
			if (space && out->len > start)
				buf_add(out, " ", 1);
			space = 0;
			buf_add(out, s, 1);
			s++;
			continue;
		}
		if (space && out->len > start)
			buf_add(out, " ", 1);
		space = 0;
		buf_add(out, &c, 1);
	}
	return out->len - start;
}

int
fold_match(const char *name, const char *q)
{
	size_t qn = strlen(q);
	const char *p;

	if (qn == 0)
		return 0;
	if (strncmp(name, q, qn) == 0)
		return 1;
	for (p = name; (p = strstr(p, q)) != NULL; p++) {
		if ((p == name || p[-1] == ' ') &&
		    (p[qn] == '\0' || p[qn] == ' '))
			return 1;
	}
	return 0;
}
