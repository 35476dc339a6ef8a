// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: configuration keys from "set" arguments or a configuration
 * file, and the file written back by "showconf". See conf.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrs.h"
#include "conf.h"
#include "dev.h"
#include "relayctl.h"

#define SECTION		"[Device]"

/* "relayctl: CMD: [FILE:LINE: ]message" */
static void __attribute__((format(printf, 2, 3)))
conf_err(const struct set_req *r, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		pr_err("%s: out of memory", r->cmd);
		return;
	}
	if (r->file && r->line)
		pr_err("%s: %s:%u: %s", r->cmd, r->file, r->line, msg);
	else if (r->file)
		pr_err("%s: %s: %s", r->cmd, r->file, msg);
	else
		pr_err("%s: %s", r->cmd, msg);
	free(msg);
}

static int given_twice(const struct set_req *r, const char *label,
		       unsigned int first)
{
	if (r->file)
		conf_err(r, "%s: given more than once (first on line %u)",
			 label, first);
	else
		conf_err(r, "%s: given more than once", label);
	return -1;
}

static int bad_choice(const struct set_req *r, const char *key,
		      const char *value, const struct names *t)
{
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);

	if (f) {
		names_list(t, f);
		if (fclose(f))
			len = 0;
	}
	conf_err(r, "%s: \"%s\" is not one of: %s", key, value,
		 len ? list : "?");
	free(list);
	return -1;
}

void conf_init(struct set_req *r, const char *cmd, const char *file)
{
	memset(r, 0, sizeof(*r));
	r->cmd = cmd;
	r->file = file;
}

void conf_free(struct set_req *r)
{
	free(r->up_user);
	free(r->up_pass_file);
	r->up_user = NULL;
	r->up_pass_file = NULL;
	explicit_bzero(r->up_pass, sizeof(r->up_pass));
	r->up_pass_len = 0;
}

/* A scalar key; @s is NULL when the value is missing. */
static int conf_scalar(struct set_req *r, const struct cfg_key *k, const char *s)
{
	const char *why;
	uint32_t v = 0;
	int e;

	if (REQ_HAS(r, k->attr))
		return given_twice(r, k->key, r->key_line[k->attr]);
	if (!s) {
		conf_err(r, "%s: missing value", k->key);
		return -1;
	}
	switch (k->kind) {
	case CFG_ENUM:
		e = names_find(k->names, s);
		if (e < 0)
			return bad_choice(r, k->key, s, k->names);
		v = (uint32_t)e;
		break;
	case CFG_U32_OFF:
	case CFG_MARK:
		if (!strcmp(s, "off"))
			break;
		/* fall through */
	case CFG_U32:
		if (parse_u32(s, k->kind == CFG_MARK, &v, &why) < 0) {
			conf_err(r, "%s: \"%s\" %s", k->key, s, why);
			return -1;
		}
		break;
	}
	r->val[k->attr] = v;
	r->have |= UINT64_C(1) << k->attr;
	r->key_line[k->attr] = r->line;
	return 0;
}

/*
 * "upstream TYPE [ADDR:PORT]": @type NULL when missing; @addr NULL when
 * absent, which only socks5 minds.
 */
static int conf_upstream(struct set_req *r, const char *type, const char *addr)
{
	const char *why;
	int t;

	if (REQ_HAS(r, PKTRELAY_A_DEV_UPSTREAM))
		return given_twice(r, "upstream",
				   r->key_line[PKTRELAY_A_DEV_UPSTREAM]);
	if (!type) {
		conf_err(r, "upstream: missing value");
		return -1;
	}
	t = names_find(&upstream_names, type);
	if (t < 0)
		return bad_choice(r, "upstream", type, &upstream_names);
	if (t != PKTRELAY_UPSTREAM_SOCKS5 && addr) {
		conf_err(r, "upstream %s: takes no address, got \"%s\"", type, addr);
		return -1;
	}
	if (t == PKTRELAY_UPSTREAM_SOCKS5) {
		if (!addr) {
			conf_err(r, "upstream socks5: missing ADDR:PORT");
			return -1;
		}
		if (parse_addrport(addr, &r->up_addr, &why) < 0) {
			conf_err(r, "upstream socks5: \"%s\" %s", addr, why);
			return -1;
		}
		r->up_has_addr = true;
	}
	r->up_type = (uint8_t)t;
	r->have |= UINT64_C(1) << PKTRELAY_A_DEV_UPSTREAM;
	r->key_line[PKTRELAY_A_DEV_UPSTREAM] = r->line;
	return 0;
}

/*
 * RFC 1929 allows any byte in a name, but one with control characters or
 * spaces at either end could not be written back into a file by showconf.
 */
static const char *user_problem(const char *s)
{
	size_t i, len = strlen(s);

	if (!len)
		return "is empty";
	if (len > PKTRELAY_USERNAME_MAX)
		return "is longer than 255 bytes";
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "holds a control character";
	if (s[0] == ' ' || s[len - 1] == ' ')
		return "starts or ends with a space";
	return NULL;
}

_Static_assert(PKTRELAY_USERNAME_MAX == 255, "user_problem() says 255");

/*
 * Copy @s into *@slot unless it is there already, missing, or (with
 * @problem) refused.
 */
static int conf_string(struct set_req *r, const char *label, char **slot,
		       unsigned int *line, const char *s,
		       const char *(*problem)(const char *s))
{
	const char *why;

	if (*slot)
		return given_twice(r, label, *line);
	if (!s) {
		conf_err(r, "%s: missing value", label);
		return -1;
	}
	why = problem ? problem(s) : NULL;
	if (why) {
		conf_err(r, "%s: the name %s", label, why);
		return -1;
	}
	*slot = strdup(s);
	if (!*slot) {
		conf_err(r, "out of memory");
		return -1;
	}
	*line = r->line;
	return 0;
}

static int conf_user(struct set_req *r, const char *label, const char *s)
{
	return conf_string(r, label, &r->up_user, &r->user_line, s,
			   user_problem);
}

static int conf_pass_file(struct set_req *r, const char *label, const char *s)
{
	if (s && !strcmp(s, "-") && r->stdin_taken) {
		conf_err(r, "%s: \"-\" is standard input, which holds the configuration",
			 label);
		return -1;
	}
	return conf_string(r, label, &r->up_pass_file, &r->pass_line, s, NULL);
}

/* "upstream" at argv[i - 1]: returns the index after its words, or -1. */
static int args_upstream(struct set_req *r, int argc, char **argv, int i)
{
	const char *type = i < argc ? argv[i++] : NULL;
	const char *addr = NULL;

	if (type && !strcmp(type, "socks5") && i < argc)
		addr = argv[i++];
	if (conf_upstream(r, type, addr) < 0)
		return -1;
	if (r->up_type != PKTRELAY_UPSTREAM_SOCKS5)
		return i;

	while (i < argc) {
		const char *word = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		int err;

		if (!strcmp(word, "user"))
			err = conf_user(r, "upstream socks5: user", value);
		else if (!strcmp(word, "password-file"))
			err = conf_pass_file(r, "upstream socks5: password-file",
					     value);
		else
			break;
		if (err < 0)
			return -1;
		i += 2;
	}
	if (!r->up_user != !r->up_pass_file) {
		conf_err(r, "upstream socks5: \"user\" and \"password-file\" go together");
		return -1;
	}
	return i;
}

int conf_parse_args(struct set_req *r, int argc, char **argv)
{
	const struct cfg_key *k;
	int i = 0;

	while (i < argc) {
		const char *key = argv[i++];

		if (!strcmp(key, "upstream")) {
			i = args_upstream(r, argc, argv, i);
			if (i < 0)
				return -1;
			continue;
		}
		k = cfg_key_find(key);
		if (!k) {
			conf_err(r, "\"%s\" is not a key", key);
			usage_hint(r->cmd);
			return -1;
		}
		if (conf_scalar(r, k, i < argc ? argv[i] : NULL) < 0)
			return -1;
		i++;
	}
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* @s without blanks at either end (in place). */
static char *trim(char *s)
{
	size_t len;

	while (is_blank(*s))
		s++;
	len = strlen(s);
	while (len && is_blank(s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* The next blank-separated word of *@s, or NULL; advances *@s past it. */
static char *next_word(char **s)
{
	char *w = *s, *end;

	while (is_blank(*w))
		w++;
	if (!*w)
		return NULL;
	end = w;
	while (*end && !is_blank(*end))
		end++;
	if (*end)
		*end++ = '\0';
	*s = end;
	return w;
}

/* "KEY = VALUE" of the file; @value is "" when nothing follows '='. */
static int file_key(struct set_req *r, const char *key, char *value)
{
	const struct cfg_key *k;
	const char *v = *value ? value : NULL;

	if (!strcmp(key, "upstream")) {
		char *rest = value;
		char *type = next_word(&rest);
		char *addr = next_word(&rest);
		char *extra = next_word(&rest);

		/* (Given twice is the better message, if it is so.) */
		if (extra && !REQ_HAS(r, PKTRELAY_A_DEV_UPSTREAM)) {
			bool cred = !strcmp(extra, "user") ||
				    !strcmp(extra, "password-file");

			conf_err(r, "upstream: unexpected \"%s\"%s", extra,
				 cred ? " (user and password-file are keys of their own)" : "");
			return -1;
		}
		return conf_upstream(r, type, addr);
	}
	if (!strcmp(key, "user"))
		return conf_user(r, key, v);
	if (!strcmp(key, "password-file"))
		return conf_pass_file(r, key, v);
	k = cfg_key_find(key);
	if (!k) {
		conf_err(r, "\"%s\" is not a key", key);
		return -1;
	}
	return conf_scalar(r, k, v);
}

/* One line, newline and all; *@section is the line of [Device], or 0. */
static int file_line(struct set_req *r, char *line, unsigned int *section)
{
	char *s, *eq;
	size_t len = strlen(line);

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	s = trim(line);
	if (!*s || *s == '#' || *s == ';')
		return 0;

	if (*s == '[') {
		if (strcmp(s, SECTION)) {
			conf_err(r, "\"%s\" is not a section (the one section is " SECTION ")",
				 s);
			return -1;
		}
		if (*section)
			return given_twice(r, SECTION, *section);
		*section = r->line;
		return 0;
	}
	if (!*section) {
		conf_err(r, "\"%s\" comes before " SECTION, s);
		return -1;
	}
	eq = strchr(s, '=');
	if (!eq) {
		conf_err(r, "\"%s\" is not KEY = VALUE", s);
		return -1;
	}
	*eq = '\0';
	if (!*trim(s)) {
		conf_err(r, "\"=%s\" has no key", eq + 1);
		return -1;
	}
	return file_key(r, trim(s), trim(eq + 1));
}

/* What only the whole file can tell: credentials need a socks5 upstream. */
static int file_check(struct set_req *r)
{
	bool socks5 = REQ_HAS(r, PKTRELAY_A_DEV_UPSTREAM) &&
		      r->up_type == PKTRELAY_UPSTREAM_SOCKS5;

	if ((r->up_user || r->up_pass_file) && !socks5) {
		r->line = r->up_user ? r->user_line : r->pass_line;
		conf_err(r, "%s: only with \"upstream = socks5 ADDR:PORT\"",
			 r->up_user ? "user" : "password-file");
		return -1;
	}
	if (!r->up_user != !r->up_pass_file) {
		r->line = r->up_user ? r->user_line : r->pass_line;
		conf_err(r, "\"user\" and \"password-file\" go together");
		return -1;
	}
	return 0;
}

int conf_parse_file(struct set_req *r, FILE *f)
{
	unsigned int section = 0;
	size_t size = 0;
	char *buf = NULL;
	ssize_t n;
	int err = -1;

	r->reset = true;
	r->line = 0;
	errno = 0;
	while ((n = getline(&buf, &size, f)) >= 0) {
		r->line++;
		if (memchr(buf, '\0', (size_t)n)) {
			conf_err(r, "the line holds a NUL byte");
			goto out;
		}
		if ((size_t)n > CONF_LINE_MAX + 2) {	/* "\r\n" */
			conf_err(r, "line longer than %d bytes", CONF_LINE_MAX);
			goto out;
		}
		if (file_line(r, buf, &section) < 0)
			goto out;
		errno = 0;
	}
	if (ferror(f) || errno == ENOMEM) {
		r->line = 0;
		conf_err(r, "%s", errno ? strerror(errno) : "read error");
		goto out;
	}
	err = file_check(r);
out:
	free(buf);
	return err;
}

int conf_read_password(struct set_req *r)
{
	/* Room for the longest password, "\r\n", and one byte to spot more. */
	unsigned char buf[PKTRELAY_PASSWORD_MAX + 3];
	const char *path = r->up_pass_file;
	size_t len = 0;
	ssize_t n;
	int fd, err = -1;

	if (!path)
		return 0;
	r->line = r->pass_line;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		conf_err(r, "password-file \"%s\": %s", path, strerror(errno));
		return -1;
	}
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			conf_err(r, "password-file \"%s\": %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len && buf[len - 1] == '\n') {
		len--;
		if (len && buf[len - 1] == '\r')
			len--;
	}
	if (len == 0) {
		conf_err(r, "password-file \"%s\" is empty", path);
	} else if (len > PKTRELAY_PASSWORD_MAX) {
		conf_err(r, "password-file \"%s\": password longer than %d bytes",
			 path, PKTRELAY_PASSWORD_MAX);
	} else {
		memcpy(r->up_pass, buf, len);
		r->up_pass_len = len;
		err = 0;
	}
out:
	explicit_bzero(buf, sizeof(buf));
	if (fd != STDIN_FILENO)
		close(fd);
	return err;
}

int conf_print(FILE *f, const struct dev_info *d)
{
	const struct dev_upstream *up = &d->up;
	const struct cfg_key *k;
	char buf[32];

	fputs("# relayctl showconf ", f);
	print_safe(f, d->ifname);
	fputs("\n" SECTION "\n", f);

	if (DEV_HAS(d, PKTRELAY_A_DEV_UPSTREAM)) {
		const char *type = up->have_type ?
				   names_get(&upstream_names, up->type) : NULL;
		char addr[ADDRPORT_STRLEN];

		if (!type) {
			pr_err("showconf: upstream type %u is unknown to this relayctl",
			       up->type);
			return -1;
		}
		fprintf(f, "upstream = %s", type);
		if (up->family) {
			format_addrport(addr, sizeof(addr), up->family, up->addr,
					up->have_port, up->port);
			fprintf(f, " %s", addr);
		}
		fputc('\n', f);
		if (up->have_user) {
			const char *why = user_problem(up->user);

			if (why) {
				pr_err("showconf: user: the name %s: it cannot be written to a configuration file",
				       why);
				return -1;
			}
			fprintf(f, "user = %s\n", up->user);
			fputs("# password-file: not shown (the kernel never returns the password); add it for setconf\n",
			      f);
		}
	}

	for (k = cfg_keys; k < cfg_keys + cfg_nkeys; k++) {
		const char *v;

		if (!DEV_HAS(d, k->attr))
			continue;
		v = cfg_format(k, d->val[k->attr], buf, sizeof(buf));
		if (!v) {
			pr_err("showconf: %s: value %u is unknown to this relayctl",
			       k->key, d->val[k->attr]);
			return -1;
		}
		fprintf(f, "%s = %s\n", k->key, v);
	}
	return 0;
}
