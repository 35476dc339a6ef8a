// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: a tiny streaming JSON writer (see json.h).
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first = true;
	j->after_key = false;
	j->compact = false;
}

void json_init_compact(struct json *j, FILE *f)
{
	json_init(j, f);
	j->compact = true;
}

static void json_newline(struct json *j)
{
	unsigned int i;

	if (j->compact)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator and indentation in front of a key or of a value. */
static void json_prefix(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first)
			fputc(',', j->f);
		json_newline(j);
	}
	j->first = false;
}

/* After a complete value: the document ends with a newline. */
static void json_value_done(struct json *j)
{
	if (j->depth == 0)
		fputc('\n', j->f);
}

static void json_begin(struct json *j, char open)
{
	json_prefix(j);
	fputc(open, j->f);
	j->depth++;
	j->first = true;
}

static void json_end(struct json *j, char close)
{
	j->depth--;
	if (!j->first)
		json_newline(j);
	fputc(close, j->f);
	j->first = false;
	json_value_done(j);
}

void json_begin_object(struct json *j)
{
	json_begin(j, '{');
}

void json_end_object(struct json *j)
{
	json_end(j, '}');
}

void json_begin_array(struct json *j)
{
	json_begin(j, '[');
}

void json_end_array(struct json *j)
{
	json_end(j, ']');
}

void json_key(struct json *j, const char *key)
{
	json_prefix(j);
	json_write_string(j->f, key, strlen(key));
	fputs(j->compact ? ":" : ": ", j->f);
	j->after_key = true;
}

void json_string_len(struct json *j, const char *s, size_t len)
{
	json_prefix(j);
	json_write_string(j->f, s, len);
	json_value_done(j);
}

void json_string(struct json *j, const char *s)
{
	json_string_len(j, s, strlen(s));
}

void json_uint(struct json *j, uint64_t v)
{
	json_prefix(j);
	fprintf(j->f, "%" PRIu64, v);
	json_value_done(j);
}

void json_null(struct json *j)
{
	json_prefix(j);
	fputs("null", j->f);
	json_value_done(j);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

/* Length of the valid UTF-8 sequence at @p (at most @n bytes), or 0. */
static size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* UTF-16 surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

void json_write_string(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	fputc('"', f);
	while (i < len) {
		unsigned char c = p[i];

		if (c < 0x80) {
			switch (c) {
			case '"':  fputs("\\\"", f); break;
			case '\\': fputs("\\\\", f); break;
			case '\b': fputs("\\b", f); break;
			case '\f': fputs("\\f", f); break;
			case '\n': fputs("\\n", f); break;
			case '\r': fputs("\\r", f); break;
			case '\t': fputs("\\t", f); break;
			default:
				if (c < 0x20 || c == 0x7f)
					fprintf(f, "\\u%04x", c);
				else
					fputc(c, f);
			}
			i++;
			continue;
		}
		n = utf8_seq_len(p + i, len - i);
		if (n) {
			fwrite(p + i, 1, n, f);
			i += n;
		} else {
			fputs("\\ufffd", f);
			i++;
		}
	}
	fputc('"', f);
}
