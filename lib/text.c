/* A growing text buffer: what lib/ hands back for the caller to print. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp-shim.h"

void shim_text_printf(struct shim_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	for (;;) {
		size_t room = t->cap - t->len;

		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if (t->s && (size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		size_t want = t->len + (size_t)n + 1;
		size_t cap = t->cap ? t->cap : 256;
		while (cap < want)
			cap *= 2;
		char *grown = realloc(t->s, cap);
		if (!grown) {
			t->oom = true;
			return;
		}
		t->s = grown;
		t->cap = cap;
	}
}

void shim_text_free(struct shim_text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

void shim_text_shell_quote(struct shim_text *t, const char *arg, bool space)
{
	bool plain = *arg && strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789_@%+=:,./-") == strlen(arg);

	shim_text_printf(t, "%s%s", space ? " " : "", plain ? arg : "'");
	for (const char *p = arg; !plain && *p; p++)
		shim_text_printf(t, *p == '\'' ? "'\\''" : "%c", *p);
	if (!plain)
		shim_text_printf(t, "'");
}
