// SPDX-License-Identifier: GPL-2.0
/* relayctl: unit test of the JSON writer. */
#include "../json.h"
#include "test.h"

static void check_escape(const char *in, size_t len, const char *want)
{
	char *buf;

	CAPTURE(buf, f, json_write_string(f, in, len));
	CHECK_STR(buf, want);
	free(buf);
}

static void test_escaping(void)
{
	check_escape("relay0", 6, "\"relay0\"");
	check_escape("", 0, "\"\"");
	check_escape("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	check_escape("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
	check_escape("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"");
	check_escape("a\0b", 3, "\"a\\u0000b\"");
	check_escape("/", 1, "\"/\"");
	/* Valid UTF-8 is copied: é, €, U+10FFFF, 😀. */
	check_escape("\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80", 13,
		     "\"\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80\"");
	/* Invalid bytes become U+FFFD, one per byte. */
	check_escape("\xff", 1, "\"\\ufffd\"");
	check_escape("a\xc3", 2, "\"a\\ufffd\"");		/* truncated */
	check_escape("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");	/* overlong */
	check_escape("\xe0\x80\xaf", 3, "\"\\ufffd\\ufffd\\ufffd\"");
	check_escape("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	check_escape("\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	check_escape("\x80x", 2, "\"\\ufffdx\"");
}

static void test_structure(void)
{
	struct json j;
	char *buf;

	CAPTURE(buf, f, {
		json_init(&j, f);
		json_begin_array(&j);
		json_begin_object(&j);
		json_kv_string(&j, "ifname", "re\"lay");
		json_kv_uint(&j, "ifindex", 18446744073709551615ULL);
		json_key(&j, "features");
		json_begin_array(&j);
		json_end_array(&j);
		json_key(&j, "upstream");
		json_begin_object(&j);
		json_end_object(&j);
		json_key(&j, "list");
		json_begin_array(&j);
		json_string(&j, "a");
		json_uint(&j, 0);
		json_end_array(&j);
		json_end_object(&j);
		json_begin_object(&j);
		json_end_object(&j);
		json_end_array(&j);
	});
	CHECK_STR(buf,
		  "[\n"
		  "  {\n"
		  "    \"ifname\": \"re\\\"lay\",\n"
		  "    \"ifindex\": 18446744073709551615,\n"
		  "    \"features\": [],\n"
		  "    \"upstream\": {},\n"
		  "    \"list\": [\n"
		  "      \"a\",\n"
		  "      0\n"
		  "    ]\n"
		  "  },\n"
		  "  {}\n"
		  "]\n");
	free(buf);

	CAPTURE(buf, f, {
		json_init(&j, f);
		json_begin_array(&j);
		json_end_array(&j);
	});
	CHECK_STR(buf, "[]\n");
	free(buf);
}

/* One line per document, for "monitor -j"; null where a value is unknown. */
static void test_compact(void)
{
	struct json j;
	char *buf;

	CAPTURE(buf, f, {
		json_init_compact(&j, f);
		json_begin_object(&j);
		json_kv_string(&j, "event", "new");
		json_key(&j, "ifname");
		json_null(&j);
		json_key(&j, "list");
		json_begin_array(&j);
		json_uint(&j, 1);
		json_null(&j);
		json_begin_object(&j);
		json_end_object(&j);
		json_end_array(&j);
		json_kv_uint(&j, "n", 0);
		json_end_object(&j);
		json_init_compact(&j, f);
		json_begin_array(&j);
		json_end_array(&j);
		json_init_compact(&j, f);
		json_null(&j);
	});
	CHECK_STR(buf,
		  "{\"event\":\"new\",\"ifname\":null,\"list\":[1,null,{}],\"n\":0}\n"
		  "[]\n"
		  "null\n");
	free(buf);

	CAPTURE(buf, f, {
		json_init(&j, f);
		json_begin_object(&j);
		json_key(&j, "relay");
		json_null(&j);
		json_end_object(&j);
	});
	CHECK_STR(buf, "{\n  \"relay\": null\n}\n");
	free(buf);
}

int main(void)
{
	test_escaping();
	test_structure();
	test_compact();
	return test_result("test_json");
}
