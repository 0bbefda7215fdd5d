/* Source positions for JSON paths. jansson reports line:column only for
 * syntax errors; for everything found later (a bad action, an unknown
 * syscall) we find the value again in the text we parsed. The text is
 * already known to be valid JSON, so the scanner can be small. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct scan {
	const char *p, *end;
};

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && strchr(" \t\r\n", *s->p) && *s->p)
		s->p++;
}

static void skip_string(struct scan *s)
{
	s->p++; /* opening quote */
	while (s->p < s->end && *s->p != '"')
		s->p += (*s->p == '\\') ? 2 : 1;
	if (s->p < s->end)
		s->p++;
}

static void skip_container(struct scan *s)
{
	int depth = 0;

	/* Iterative, so hostile nesting cannot exhaust the stack. */
	do {
		if (s->p >= s->end)
			return;
		if (*s->p == '"') {
			skip_string(s);
			continue;
		}
		if (*s->p == '{' || *s->p == '[')
			depth++;
		else if (*s->p == '}' || *s->p == ']')
			depth--;
		s->p++;
	} while (depth > 0);
}

static void skip_value(struct scan *s)
{
	skip_ws(s);
	if (s->p >= s->end)
		return;
	if (*s->p == '"')
		skip_string(s);
	else if (*s->p == '{' || *s->p == '[')
		skip_container(s);
	else
		while (s->p < s->end && !strchr(",]} \t\r\n", *s->p) && *s->p)
			s->p++;
}

/* Compares the raw key at s->p (a quoted string) with key, decoding the
 * simple escapes; a \u escape outside ASCII never matches. */
static bool key_equals(const char *raw, const char *end, const char *key)
{
	const char *p = raw + 1;

	while (p < end && *p != '"') {
		char c = *p++;
		if (c == '\\' && p < end) {
			char e = *p++;
			const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
			const char *at = strchr(from, e);
			if (e == 'u') {
				unsigned v;
				if (end - p < 4 || sscanf(p, "%4x", &v) != 1 || v > 0x7f)
					return false;
				c = (char)v;
				p += 4;
			} else if (at && e) {
				c = to[at - from];
			} else {
				return false;
			}
		}
		if (*key == '\0' || *key != c)
			return false;
		key++;
	}
	return *key == '\0';
}

/* Moves s to the member named key of the object at s (to its key when
 * at_key). Returns false, leaving s on the object, when not found. */
static bool enter_key(struct scan *s, const char *key, bool at_key)
{
	struct scan t = *s;

	t.p++; /* '{' */
	for (;;) {
		skip_ws(&t);
		if (t.p >= t.end || *t.p != '"')
			return false;
		const char *key_at = t.p;
		bool match = key_equals(t.p, t.end, key);
		skip_string(&t);
		skip_ws(&t);
		if (t.p < t.end && *t.p == ':')
			t.p++;
		skip_ws(&t);
		if (match) {
			s->p = at_key ? key_at : t.p;
			return true;
		}
		skip_value(&t);
		skip_ws(&t);
		if (t.p >= t.end || *t.p != ',')
			return false;
		t.p++;
	}
}

static bool enter_index(struct scan *s, size_t index)
{
	struct scan t = *s;

	t.p++; /* '[' */
	for (size_t i = 0;; i++) {
		skip_ws(&t);
		if (t.p >= t.end || *t.p == ']')
			return false;
		if (i == index) {
			s->p = t.p;
			return true;
		}
		skip_value(&t);
		skip_ws(&t);
		if (t.p >= t.end || *t.p != ',')
			return false;
		t.p++;
	}
}

size_t shim_json_locate(const char *text, size_t len,
			const struct shim_json_seg *path, size_t depth,
			bool at_key, unsigned *line, unsigned *col)
{
	struct scan s = { text, text + len };
	size_t matched = 0;

	skip_ws(&s);
	for (; matched < depth && s.p < s.end; matched++) {
		const struct shim_json_seg *seg = &path[matched];
		bool last = matched + 1 == depth;
		bool ok;

		if (seg->key)
			ok = *s.p == '{' && enter_key(&s, seg->key, at_key && last);
		else
			ok = *s.p == '[' && enter_index(&s, seg->index);
		if (!ok)
			break;
	}

	*line = 1;
	*col = 1;
	for (const char *q = text; q < s.p && q < s.end; q++) {
		if (*q == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
	return matched;
}

void shim_json_path_format(const struct shim_json_seg *path, size_t depth,
			   char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < depth && used < len; i++) {
		int n;
		if (path[i].key)
			n = snprintf(buf + used, len - used, "%s%s",
				     i ? "." : "", path[i].key);
		else
			n = snprintf(buf + used, len - used, "[%zu]",
				     path[i].index);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (depth == 0)
		snprintf(buf, len, "(top level)");
}
