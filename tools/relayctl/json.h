/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: a tiny streaming JSON writer.
 *
 * The writer tracks only what it needs to place commas and indentation;
 * callers are trusted to nest begin/end calls correctly. Output is
 * indented by two spaces per level (or, from json_init_compact(), all on
 * one line without spaces) and ends with a newline once the top-level
 * value is complete.
 */
#ifndef RELAYCTL_JSON_H
#define RELAYCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *f;
	unsigned int depth;
	bool first;	/* nothing written yet in the innermost container */
	bool after_key;	/* a key was written, its value comes next */
	bool compact;	/* one line, no indentation */
};

void json_init(struct json *j, FILE *f);
void json_init_compact(struct json *j, FILE *f);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_string_len(struct json *j, const char *s, size_t len);
void json_uint(struct json *j, uint64_t v);
void json_null(struct json *j);

/* Shorthands for "key": value. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_uint(struct json *j, const char *key, uint64_t v);

/*
 * Write @len bytes of @s as a quoted JSON string: quotes, backslashes and
 * control characters are escaped, valid UTF-8 is copied, and every byte
 * that is not part of a valid UTF-8 sequence becomes U+FFFD, so the
 * output is always valid JSON whatever the input bytes are.
 */
void json_write_string(FILE *f, const char *s, size_t len);

#endif /* RELAYCTL_JSON_H */
