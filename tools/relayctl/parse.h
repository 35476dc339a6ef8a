/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: parsing and formatting of numbers and ADDR:PORT.
 *
 * These helpers only check syntax. Value ranges are the kernel's to
 * enforce, so its extack message is what the user sees.
 */
#ifndef RELAYCTL_PARSE_H
#define RELAYCTL_PARSE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Parse an unsigned 32-bit decimal number (and, with @allow_hex, a 0x
 * hexadecimal one). No sign, no spaces. On failure returns -1 and sets
 * *@why to a phrase that completes "\"VALUE\" ...".
 */
int parse_u32(const char *s, bool allow_hex, uint32_t *out, const char **why);

struct addrport {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t port;		/* host byte order, 1..65535 */
};

/*
 * Parse "A.B.C.D:PORT" or "[IPV6]:PORT" (numeric addresses only; no host
 * names, no zone index). On failure returns -1 and sets *@why as above.
 */
int parse_addrport(const char *s, struct addrport *ap, const char **why);

/* Room for "[" INET6_ADDRSTRLEN "]:65535" and the NUL. */
#define ADDRPORT_STRLEN	(INET6_ADDRSTRLEN + 8)

/*
 * Format @addr of @family as "A.B.C.D:PORT" or "[IPV6]:PORT"; without a
 * port (@has_port false) as the bare address.
 */
void format_addrport(char *buf, size_t size, int family, const void *addr,
		     bool has_port, uint16_t port);

/*
 * Copy the string in @src (@len bytes, NUL-terminated or not) into @dst of
 * @size bytes, stopping at the first NUL and truncating if need be.
 */
void copy_string(char *dst, size_t size, const void *src, size_t len);

/*
 * Print @s to @f with control characters shown as \xNN, so names cannot
 * mess up a terminal.
 */
void print_safe(FILE *f, const char *s);

/*
 * Make room for one more element in the growable array *@arr of *@size
 * elements of @elem bytes, @n of them in use: doubles it (@first at
 * first). Returns 0, or -1 with the array untouched if memory ran out.
 */
int grow_array(void **arr, size_t *size, size_t n, size_t elem, size_t first);

#endif /* RELAYCTL_PARSE_H */
