/* jsontext: the passes over JSON text around jansson. Comments are
 * blanked out (positions kept); integers above 2^63-1, which jansson
 * cannot hold, are handed to it as marked strings and written back as
 * bare integers; positions are mapped back to the text the user wrote.
 * This file alone knows the marker (WIDE_MARK). Finding a JSON path's
 * position in the text is lib/json_where.c's: a scanner of its own, used
 * by diagnostics after a parse, and independent of these passes.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WIDE_MARK '\x01'

/* Blanks out // and slash-star comments outside strings, keeping every
 * newline so positions do not move. Returns how many there were (and the
 * offset of the first), with *out a blanked copy when there were any;
 * (size_t)-1 when out of memory. */
size_t shim_json_strip_comments(const char *text, size_t len, char **out, size_t *first)
{
	size_t n = 0;
	char *copy = NULL;

	*out = NULL;
	/* No '/' at all (most profiles): no comment, and no scan. */
	if (!memchr(text, '/', len))
		return 0;
	for (size_t i = 0; i < len; i++) {
		size_t end;

		if (text[i] == '"') {
			for (i++; i < len && text[i] != '"'; i++)
				i += text[i] == '\\';
			continue;
		}
		if (text[i] != '/' || i + 1 >= len || (text[i + 1] != '/' && text[i + 1] != '*'))
			continue;
		if (text[i + 1] == '/') {
			for (end = i; end < len && text[end] != '\n'; end++)
				;
		} else {
			for (end = i + 2; end + 1 < len && !(text[end] == '*' && text[end + 1] == '/'); end++)
				;
			end = end + 1 < len ? end + 2 : len;
		}
		if (!copy) {
			copy = malloc(len + 1);
			if (!copy)
				return (size_t)-1;
			memcpy(copy, text, len);
			*first = i;
		}
		for (size_t k = i; k < end; k++)
			if (copy[k] != '\n')
				copy[k] = ' ';
		n++;
		i = end - 1;
	}
	*out = copy;
	return n;
}

void shim_json_line_col(const char *text, size_t offset, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Go reads profile numbers into uint64, so runc takes integers up to
 * 2^64-1; jansson stops at 2^63-1. Such integers are handed to jansson as
 * the string WIDE_MARK + digits, which want_uint reads back; positions in
 * messages are mapped back to the original text. */
/* The offset of the next integer to widen at or after i, or len. */
static size_t next_wide(const char *text, size_t len, size_t i, size_t *end)
{
	for (; i < len; i++) {
		if (text[i] == '"') {
			for (i++; i < len && text[i] != '"'; i++)
				i += text[i] == '\\';
			continue;
		}
		if (text[i] < '0' || text[i] > '9' || (i > 0 && strchr("-+.eE0123456789", text[i - 1])))
			continue;
		size_t e = i;
		while (e < len && text[e] >= '0' && text[e] <= '9')
			e++;
		if (e - i >= 19 && e - i <= 20 && !(e < len && strchr(".eE", text[e]))) {
			char digits[24];
			memcpy(digits, text + i, e - i);
			digits[e - i] = '\0';
			errno = 0;
			unsigned long long v = strtoull(digits, NULL, 10);
			if (!errno && v > INT64_MAX) {
				*end = e;
				return i;
			}
		}
		i = e - 1;
	}
	return len;
}

/* Whether text has a run of 19 or more digits anywhere (strings
 * included): an integer above 2^63-1 has one. Most profiles have none,
 * and this loop costs a fraction of next_wide's scan. */
static bool has_long_digit_run(const char *text, size_t len)
{
	size_t run = 0;

	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)(text[i] - '0') < 10) {
			if (++run >= 19)
				return true;
		} else {
			run = 0;
		}
	}
	return false;
}

bool shim_json_widen(const char *text, size_t len, struct shim_widened *w)
{
	size_t i = 0, end, n = 0;

	memset(w, 0, sizeof(*w));
	if (!has_long_digit_run(text, len))
		return true;
	for (size_t at = next_wide(text, len, 0, &end); at < len; at = next_wide(text, len, end, &end))
		n++;
	if (n == 0)
		return true;
	w->text = malloc(len + n * 8 + 1);
	w->orig = malloc(n * sizeof(*w->orig));
	w->at = malloc(n * sizeof(*w->at));
	if (!w->text || !w->orig || !w->at)
		return false;
	for (size_t at = next_wide(text, len, 0, &end); at < len; at = next_wide(text, len, end, &end)) {
		memcpy(w->text + w->len, text + i, at - i);
		w->len += at - i;
		w->orig[w->n] = at;
		w->at[w->n++] = w->len;
		w->len += (size_t)sprintf(w->text + w->len, "\"\\u%04x%.*s\"", WIDE_MARK,
					  (int)(end - at), text + at);
		i = end;
	}
	memcpy(w->text + w->len, text + i, len - i);
	w->len += len - i;
	return true;
}

void shim_json_widened_free(struct shim_widened *w)
{
	free(w->text);
	free(w->orig);
	free(w->at);
}

/* A position in the widened text, in the original. */
size_t shim_json_widened_to_orig(const struct shim_widened *w, size_t pos)
{
	size_t k = 0;

	while (k < w->n && w->at[k] <= pos)
		k++;
	if (k == 0)
		return pos;
	/* Inside a widened integer: its start; after it: shifted back. */
	return pos < w->at[k - 1] + 8 ? w->orig[k - 1] : pos - 8 * k;
}

json_t *shim_json_load_wide(const char *text, size_t len, size_t flags, json_error_t *jerr)
{
	struct shim_widened w;
	json_t *root;

	if (!shim_json_widen(text, len, &w)) {
		shim_json_widened_free(&w);
		if (jerr) {
			memset(jerr, 0, sizeof(*jerr));
			snprintf(jerr->text, sizeof(jerr->text), "out of memory");
		}
		return NULL;
	}
	root = w.text ? json_loadb(w.text, w.len, flags, jerr) : json_loadb(text, len, flags, jerr);
	shim_json_widened_free(&w);
	return root;
}

/* jansson holds integers up to 2^63-1; a larger one is written as a
 * marked string that shim_json_dump turns back into digits. */
json_t *shim_json_u64(uint64_t v)
{
	char digits[24];

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(digits, sizeof(digits), "%c%llu", WIDE_MARK, (unsigned long long)v);
	return json_string(digits);
}

bool shim_json_wide_value(const json_t *v, uint64_t *out)
{
	const char *big = json_string_value(v);

	if (!big || big[0] != WIDE_MARK || strlen(big + 1) < 19 || strlen(big + 1) > 20 ||
	    strspn(big + 1, "0123456789") != strlen(big + 1))
		return false;
	*out = strtoull(big + 1, NULL, 10);
	return true;
}

static int dump(json_t *root, bool every_key, struct shim_text *out, struct shim_error *err)
{
	char *s = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

	json_decref(root);
	if (!s) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	/* "value": "\u0001DIGITS" (see shim_json_u64) becomes the bare integer;
	 * only after those keys, so no string a profile holds is touched. */
	for (char *r = s, *w = s;;) {
		char *m = strstr(r, "\"\\u0001");
		size_t digits = m ? strspn(m + 7, "0123456789") : 0;
		bool ours = m && digits && m[7 + digits] == '"' &&
			    (every_key || (m - s >= 9 && strncmp(m - 9, "\"value\": ", 9) == 0) ||
			     (m - s >= 12 && strncmp(m - 12, "\"valueTwo\": ", 12) == 0));

		if (!m) {
			memmove(w, r, strlen(r) + 1);
			break;
		}
		memmove(w, r, (size_t)(m - r));
		w += m - r;
		if (ours) {
			memmove(w, m + 7, digits);
			w += digits;
			r = m + 7 + digits + 1;
		} else {
			*w++ = *m;
			r = m + 1;
		}
	}
	shim_text_printf(out, "%s\n", s);
	free(s);
	return out->oom ? (shim_error_set(err, ENOMEM, "out of memory"), -1) : 0;
}

int shim_json_dump(json_t *root, struct shim_text *out, struct shim_error *err)
{
	return dump(root, false, out, err);
}

int shim_json_dump_wide(json_t *root, struct shim_text *out, struct shim_error *err)
{
	return dump(root, true, out, err);
}
