/*
 * t_list.c: list_append(), which builds the lists of roles and statuses
 * in flow.c's refusals within a fixed buffer.
 */
#include <string.h>

#include "tap.h"
#include "util.h"

void t_list(void);

void
t_list(void)
{
	char buf[12], big[64];
	size_t len = 0;

	len = list_append(big, sizeof(big), 0, ", ", "open");
	len = list_append(big, sizeof(big), len, ", ", "paused");
	is_str(big, "open, paused", "two items, one separator");
	is_int(len, 12, "... and their length");

	memset(buf, 'x', sizeof(buf));
	len = list_append(buf, sizeof(buf), 0, " or ", "reception");
	is_str(buf, "reception", "an item that fits");
	len = list_append(buf, sizeof(buf), len, " or ", "leader");
	is_str(buf, "reception o", "the next one is cut at the end");
	is_int(len, sizeof(buf) - 1, "... the list is full");
	len = list_append(buf, sizeof(buf), len, " or ", "admin");
	is_str(buf, "reception o", "a full list stays as it is");
	is_int(len, sizeof(buf) - 1, "... and full");
	len = list_append(buf, sizeof(buf), 0, ", ", "01234567890");
	is_str(buf, "01234567890", "an item of exactly n - 1 bytes");
	is_int(len, sizeof(buf) - 1, "... fills it");
	len = list_append(buf, sizeof(buf), 0, ", ", "0123456789012345");
	is_int(len, sizeof(buf) - 1, "a longer first item is cut");
	is_int(strlen(buf), sizeof(buf) - 1, "... and terminated");
}
