/*
 * uuid.c: UUIDv7.
 */
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "util.h"
#include "uuid.h"

void
uuid_init(struct uuidgen *g)
{
	memset(g, 0, sizeof(*g));
	g->pos = sizeof(g->pool);
}

static int
take(struct uuidgen *g, unsigned char *p, unsigned n)
{
	if (g->pos + n > sizeof(g->pool)) {
		if (random_bytes(g->pool, sizeof(g->pool)) == -1)
			return -1;
		g->pos = 0;
	}
	memcpy(p, g->pool + g->pos, n);
	g->pos += n;
	return 0;
}

int
uuid_v7(struct uuidgen *g, char out[UUID_STR_LEN])
{
	struct timespec ts;
	unsigned char b[16];
	char hex[33];
	int64_t ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (take(g, b + 6, 10) == -1)
		return -1;
	if (ms > g->last_ms) {
		g->last_ms = ms;
		/* a random start leaves room to count up within the ms */
		g->counter = (unsigned)(b[6] & 0x07) << 8 | b[7];
	} else if (++g->counter > 0xfff) {
		g->last_ms++;
		g->counter = 0;
	}
	ms = g->last_ms;
	b[0] = (unsigned char)(ms >> 40);
	b[1] = (unsigned char)(ms >> 32);
	b[2] = (unsigned char)(ms >> 24);
	b[3] = (unsigned char)(ms >> 16);
	b[4] = (unsigned char)(ms >> 8);
	b[5] = (unsigned char)ms;
	b[6] = (unsigned char)(0x70 | (g->counter >> 8));
	b[7] = (unsigned char)(g->counter & 0xff);
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	hex_encode(b, 16, hex);
	memcpy(out, hex, 8);
	out[8] = '-';
	memcpy(out + 9, hex + 8, 4);
	out[13] = '-';
	memcpy(out + 14, hex + 12, 4);
	out[18] = '-';
	memcpy(out + 19, hex + 16, 4);
	out[23] = '-';
	memcpy(out + 24, hex + 20, 12);
	out[36] = '\0';
	return 0;
}

int
uuid_valid(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}
