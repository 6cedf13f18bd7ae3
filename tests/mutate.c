/*
 * mutate: damage each line of standard input a little, for the fuzz
 * smoke tests (tests/t0240-fuzz.sh): one to three of flipping a bit,
 * deleting a byte, inserting a byte that JSON gives meaning to (or any
 * byte but a newline), repeating a piece, cutting the line short, or
 * putting a long run of one character in.  Deterministic for a seed.
 * Each input line gives exactly one output line.
 *
 *   mutate [-s seed] <lines >damaged
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
next(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32);
}

static size_t
below(size_t n)
{
	return n == 0 ? 0 : next() % n;
}

struct line {
	char *p;
	size_t len, cap;
};

static void
room(struct line *l, size_t more)
{
	if (l->len + more + 1 <= l->cap)
		return;
	while (l->len + more + 1 > l->cap)
		l->cap = l->cap ? l->cap * 2 : 256;
	if ((l->p = realloc(l->p, l->cap)) == NULL) {
		fputs("mutate: out of memory\n", stderr);
		exit(70);
	}
}

/* put n bytes at `at`, moving the rest */
static void
put(struct line *l, size_t at, const char *s, size_t n)
{
	room(l, n);
	memmove(l->p + at + n, l->p + at, l->len - at);
	memcpy(l->p + at, s, n);
	l->len += n;
}

static void
mutate(struct line *l)
{
	static const char special[] = "{}[]\":,\\0123456789-+.eEtfnul \t\r";
	char c, run[4096];
	size_t at, n;
	int k = 1 + (int)below(3);

	while (k-- > 0) {
		at = below(l->len + 1);
		switch (below(7)) {
		case 0:		/* flip a bit */
			if (l->len > 0) {
				at = below(l->len);
				l->p[at] ^= (char)(1 << below(8));
				if (l->p[at] == '\n')
					l->p[at] = ' ';
			}
			break;
		case 1:		/* delete a byte */
			if (l->len > 0) {
				at = below(l->len);
				memmove(l->p + at, l->p + at + 1, l->len - at - 1);
				l->len--;
			}
			break;
		case 2:		/* a byte JSON gives meaning to */
			c = special[below(sizeof(special) - 1)];
			put(l, at, &c, 1);
			break;
		case 3:		/* any byte but a newline */
			do
				c = (char)below(256);
			while (c == '\n');
			put(l, at, &c, 1);
			break;
		case 4:		/* repeat a piece */
			if (l->len > 0) {
				size_t from = below(l->len);

				n = 1 + below(l->len - from);
				if (n > sizeof(run))
					n = sizeof(run);
				memcpy(run, l->p + from, n);
				put(l, at, run, n);
			}
			break;
		case 5:		/* cut short */
			l->len = at;
			break;
		default:	/* a long run of one character */
			n = 1 + below(sizeof(run));
			memset(run, "a9\"\\ {["[below(7)], n);
			put(l, at, run, n);
			break;
		}
	}
}

int
main(int argc, char *argv[])
{
	struct line l = { NULL, 0, 0 };
	size_t n;
	int ch, c;

	while ((ch = getopt(argc, argv, "s:")) != -1) {
		if (ch != 's') {
			fputs("usage: mutate [-s seed]\n", stderr);
			return 64;
		}
		rng ^= strtoull(optarg, NULL, 10) * 0x100000001b3ULL;
		if (rng == 0)
			rng = 1;
	}
	for (;;) {
		l.len = 0;
		while ((c = getchar()) != EOF && c != '\n') {
			room(&l, 1);
			l.p[l.len++] = (char)c;
		}
		if (c == EOF && l.len == 0)
			break;
		mutate(&l);
		/* never a blank line: the tools skip those */
		for (n = 0; n < l.len && strchr(" \t\r", l.p[n]) != NULL; n++)
			;
		if (n == l.len)
			put(&l, l.len, "x", 1);
		if (fwrite(l.p, 1, l.len, stdout) != l.len ||
		    putchar('\n') == EOF) {
			perror("mutate: stdout");
			return 74;
		}
		if (c == EOF)
			break;
	}
	free(l.p);
	return fflush(stdout) == 0 ? 0 : 74;
}
