// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: parsing and formatting of numbers and ADDR:PORT.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_u32(const char *s, bool allow_hex, uint32_t *out, const char **why)
{
	unsigned int base = 10;
	uint64_t v = 0;
	int d;

	if (allow_hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s) {
		*why = "is not a number";
		return -1;
	}
	for (; *s; s++) {
		d = hex_digit(*s);
		if (d < 0 || (unsigned int)d >= base) {
			*why = "is not a number";
			return -1;
		}
		v = v * base + (unsigned int)d;
		if (v > UINT32_MAX) {
			*why = "is too large (the maximum is 4294967295)";
			return -1;
		}
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_port(const char *s, uint16_t *port, const char **why)
{
	uint32_t v;

	if (!*s) {
		*why = "has no port (expected ADDR:PORT or [ADDR]:PORT)";
		return -1;
	}
	if (parse_u32(s, false, &v, why) < 0 || v == 0 || v > 65535) {
		*why = "has a bad port (expected 1..65535)";
		return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

int parse_addrport(const char *s, struct addrport *ap, const char **why)
{
	char host[INET6_ADDRSTRLEN];
	const char *end, *colon;
	size_t len;

	memset(ap, 0, sizeof(*ap));

	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end) {
			*why = "lacks the closing ']' (expected [ADDR]:PORT)";
			return -1;
		}
		len = (size_t)(end - s - 1);
		if (memchr(s + 1, '%', len)) {
			*why = "has a zone index, which is not supported";
			return -1;
		}
		if (len >= sizeof(host))
			goto bad6;
		memcpy(host, s + 1, len);
		host[len] = '\0';
		if (inet_pton(AF_INET6, host, &ap->addr.v6) != 1)
			goto bad6;
		if (end[1] != ':') {
			*why = end[1] ? "has junk after ']' (expected [ADDR]:PORT)"
				      : "has no port (expected [ADDR]:PORT)";
			return -1;
		}
		ap->family = AF_INET6;
		return parse_port(end + 2, &ap->port, why);
	}

	colon = strrchr(s, ':');
	if (!colon) {
		*why = "has no port (expected ADDR:PORT or [ADDR]:PORT)";
		return -1;
	}
	if (strchr(s, ':') != colon) {
		*why = "is not ADDR:PORT (write an IPv6 address as [ADDR]:PORT)";
		return -1;
	}
	len = (size_t)(colon - s);
	if (len >= sizeof(host))
		goto bad4;
	memcpy(host, s, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, &ap->addr.v4) != 1)
		goto bad4;
	ap->family = AF_INET;
	return parse_port(colon + 1, &ap->port, why);

bad4:
	*why = "does not start with an IPv4 address (host names are not resolved)";
	return -1;
bad6:
	*why = "does not hold an IPv6 address in [ ]";
	return -1;
}

void format_addrport(char *buf, size_t size, int family, const void *addr,
		     bool has_port, uint16_t port)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (!has_port)
		snprintf(buf, size, "%s", host);
	else if (family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", host, port);
	else
		snprintf(buf, size, "%s:%u", host, port);
}

void print_safe(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

void copy_string(char *dst, size_t size, const void *src, size_t len)
{
	const char *nul = memchr(src, '\0', len);

	if (nul)
		len = (size_t)(nul - (const char *)src);
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int grow_array(void **arr, size_t *size, size_t n, size_t elem, size_t first)
{
	size_t want;
	void *p;

	if (n < *size)
		return 0;
	want = *size ? 2 * *size : first;
	p = realloc(*arr, want * elem);
	if (!p)
		return -1;
	*arr = p;
	*size = want;
	return 0;
}
