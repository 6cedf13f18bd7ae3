/*
 * tap.h: a minimal TAP producer for the libcommon unit tests.
 *
 * ok(cond, fmt, ...) prints "ok N - desc" or "not ok N - desc # file:line".
 * Each t_*.c file defines one `void t_name(void)` suite, listed in main.c.
 */
#ifndef DOSSIER_TAP_H
#define DOSSIER_TAP_H

#include <stdio.h>

extern int tap_count;
extern int tap_failed;

void tap_ok(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Compare two strings, printing both on failure. */
#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int c_ = (g_ != NULL && w_ != NULL) ? strcmp(g_, w_) == 0 : g_ == w_;\
	tap_ok(c_, __FILE__, __LINE__, __VA_ARGS__);			\
	if (!c_)							\
		printf("#   got:  '%s'\n#   want: '%s'\n",		\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

/* Compare two integers, printing both on failure. */
#define is_int(got, want, ...) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__);		\
	if (g_ != w_)							\
		printf("#   got:  %lld\n#   want: %lld\n", g_, w_);	\
} while (0)

#endif
