/* Source positions for JSON paths. jansson reports line:column only for
 * syntax errors; for everything found later (a bad action, an unknown
 * syscall) we find the value again in the text we parsed. The text is
 * already known to be valid JSON, so the scanner can be small. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct scan {
	const char *p, *end;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && is_ws(*s->p))
		s->p++;
}

static void skip_string(struct scan *s)
{
	s->p++; /* opening quote */
	for (;;) {
		const char *q = s->p < s->end ? memchr(s->p, '"', (size_t)(s->end - s->p)) : NULL;
		size_t slashes = 0;

		if (!q) {
			s->p = s->end;
			return;
		}
		/* Escaped when an odd number of backslashes come before it. */
		while (q - slashes > s->p && q[-1 - (ptrdiff_t)slashes] == '\\')
			slashes++;
		s->p = q + 1;
		if (slashes % 2 == 0)
			return;
	}
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
		while (s->p < s->end && *s->p != ',' && *s->p != ']' && *s->p != '}' &&
		       !is_ws(*s->p) && *s->p)
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

	/* Lines counted with memchr: the scan above is the slow part. */
	const char *q = text, *line_start = text, *nl;
	const char *stop = s.p < s.end ? s.p : s.end;

	*line = 1;
	while (q < stop && (nl = memchr(q, '\n', (size_t)(stop - q)))) {
		(*line)++;
		line_start = q = nl + 1;
	}
	*col = (unsigned)(stop - line_start) + 1;
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

/* The path of the value being read when a parser stopped at offset: the
 * text before it is valid JSON up to that point, so a stack of containers
 * is enough. Keys are shown as written, unprintable bytes as '?'. */
#define PATH_AT_FRAMES 32

struct frame {
	bool object, have_key, want_key;
	size_t index;
	char key[64];
};

static void frame_key(struct frame *f, const char *raw, const char *end)
{
	size_t n = 0;

	for (const char *q = raw + 1; q < end && *q != '"' && n + 1 < sizeof(f->key); q++)
		f->key[n++] = (*q >= 0x20 && *q < 0x7f) ? *q : '?';
	f->key[n] = '\0';
	f->have_key = true;
}

void shim_json_path_at(const char *text, size_t len, size_t offset, char *buf,
		       size_t buflen)
{
	struct frame frames[PATH_AT_FRAMES];
	struct scan s = { text, text + (offset < len ? offset : len) };
	size_t depth = 0, used = 0;

	while (s.p < s.end) {
		struct frame *top = depth && depth <= PATH_AT_FRAMES ? &frames[depth - 1] : NULL;
		char c = *s.p;

		if (c == '{' || c == '[') {
			if (depth < PATH_AT_FRAMES)
				frames[depth] = (struct frame){ .object = c == '{', .want_key = c == '{' };
			depth++;
			s.p++;
		} else if (c == '}' || c == ']') {
			depth -= depth > 0;
			s.p++;
		} else if (c == '"') {
			const char *raw = s.p;
			skip_string(&s);
			if (top && top->object && top->want_key)
				frame_key(top, raw, s.end);
		} else if (c == ':') {
			if (top)
				top->want_key = false;
			s.p++;
		} else if (c == ',') {
			if (top && top->object)
				top->want_key = true;
			else if (top)
				top->index++;
			s.p++;
		} else {
			s.p++;
		}
	}
	buf[0] = '\0';
	for (size_t i = 0; i < depth && i < PATH_AT_FRAMES && used < buflen; i++) {
		int n;
		if (depth > PATH_AT_FRAMES && i == 4) {
			n = snprintf(buf + used, buflen - used, "...(nested %zu deep)", depth);
			used += n > 0 ? (size_t)n : 0;
			break;
		}
		/* A key cut short by the error itself is not shown. */
		if (frames[i].object && (!frames[i].have_key || !frames[i].key[0]))
			break;
		if (frames[i].object)
			n = snprintf(buf + used, buflen - used, "%s%s", i ? "." : "", frames[i].key);
		else
			n = snprintf(buf + used, buflen - used, "[%zu]", frames[i].index);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (buf[0] == '\0')
		snprintf(buf, buflen, "(top level)");
}
