/* report: a denial as one line of text or one JSON object, and the
 * summary at the end of a supervised run.
 *
 * MUST: what the target wrote into its memory reaches the report only as
 * escaped text (a path with a newline or a quote cannot forge a line or
 * a JSON field); every line names what decided the verdict the way eval
 * does (lib/inspect.c), from the rules' own evaluation.
 */
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <linux/seccomp.h>

#include "internal.h"

/* "x86_64" for SCMP_ARCH_X86_64. */
static void arch_short(uint32_t token, char *buf, size_t len)
{
	const struct shim_arch_info *a = shim_arch_by_token(token);
	const char *name = a ? a->oci + strlen("SCMP_ARCH_") : NULL;
	size_t i = 0;

	if (!name) {
		snprintf(buf, len, "arch %#x", token);
		return;
	}
	for (; name[i] && i + 1 < len; i++)
		buf[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
	buf[i] = '\0';
}

/* A JSON string of what came from the task: invalid UTF-8 bytes are
 * written as \xNN text, which jansson would otherwise refuse. */
static json_t *task_string(const char *s)
{
	json_t *j = json_string(s);
	struct shim_text t = { 0 };

	if (j)
		return j;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		shim_text_printf(&t, *c < 0x80 ? "%c" : "\\x%02x", *c);
	j = json_string(t.s ? t.s : "");
	shim_text_free(&t);
	return j ? j : json_null();
}

static void iso_time(const struct timespec *t, char *buf, size_t len)
{
	struct tm tm;
	char day[32];

	gmtime_r(&t->tv_sec, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06ldZ", day, t->tv_nsec / 1000);
}

/* A C string literal of what the task had in memory. */
static void quoted(const char *s, bool truncated, struct shim_text *out)
{
	shim_text_printf(out, "\"");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			shim_text_printf(out, "\\%c", *c);
		else if (*c == '\n')
			shim_text_printf(out, "\\n");
		else if (*c == '\t')
			shim_text_printf(out, "\\t");
		else if (*c < 0x20 || *c >= 0x7f)
			shim_text_printf(out, "\\x%02x", *c);
		else
			shim_text_printf(out, "%c", *c);
	}
	shim_text_printf(out, "\"%s", truncated ? "..." : "");
}

static const struct shim_denial_string *string_of(const struct shim_denial *d, int index)
{
	for (size_t i = 0; i < d->n_strings; i++)
		if (d->strings[i].index == index)
			return &d->strings[i];
	return NULL;
}

static void one_arg(const struct shim_denial *d, int i, enum shim_arg_kind kind,
		    struct shim_text *out)
{
	const struct shim_denial_string *str = string_of(d, i);
	uint64_t v = d->args[i];

	if ((kind == SHIM_ARG_PATH || kind == SHIM_ARG_STRING) && v == 0) {
		shim_text_printf(out, "NULL");
	} else if (str && !str->error) {
		quoted(str->text, str->truncated, out);
		shim_text_printf(out, " (as read)");
	} else if (str) {
		const char *e = strerrorname_np(str->error);
		shim_text_printf(out, "%#llx (unreadable: %s)", (unsigned long long)v, e ? e : "?");
	} else if ((kind == SHIM_ARG_CLONE_ARGS || kind == SHIM_ARG_OPEN_HOW) && d->has_word &&
		   d->word_index == i) {
		shim_text_printf(out, "{flags=");
		shim_arg_decode(kind, d->token, d->word, out);
		shim_text_printf(out, ", ...} (as read)");
	} else if (kind == SHIM_ARG_CLONE_ARGS || kind == SHIM_ARG_OPEN_HOW) {
		shim_text_printf(out, "%#llx", (unsigned long long)v);
	} else if (kind == SHIM_ARG_RAW) {
		shim_text_printf(out, v < 10 ? "%llu" : "%#llx", (unsigned long long)v);
	} else {
		shim_arg_decode(kind, d->token, v, out);
	}
}

void shim_denial_args(const struct shim_denial *d, struct shim_text *out)
{
	enum shim_arg_kind kinds[6];

	shim_arg_kinds(d->name[0] ? d->name : NULL, d->token, kinds);
	for (int i = 0; i < 6; i++) {
		if (i)
			shim_text_printf(out, ", ");
		one_arg(d, i, kinds[i], out);
	}
}

/* "FILE:LINE:COL" of a JSON path of p, and the parts. */
static void where_of(const struct shim_profile *p, const char *path, char *buf, size_t len,
		     char *file, size_t file_len, unsigned *line, unsigned *col)
{
	char *c2, *c1;

	shim_profile_where(p, path, buf, len);
	snprintf(file, file_len, "%s", buf);
	*line = *col = 0;
	c2 = strrchr(file, ':');
	if (!c2)
		return;
	*c2 = '\0';
	c1 = strrchr(file, ':');
	if (!c1) {
		*c2 = ':';
		return;
	}
	*c1 = '\0';
	*line = (unsigned)strtoul(c1 + 1, NULL, 10);
	*col = (unsigned)strtoul(c2 + 1, NULL, 10);
}

/* What decided the verdict, as words, and as JSON fields into obj. */
static void decider(const struct shim_profile *p, enum shim_decider by,
		    const struct shim_policy_rule *rule, long max_nr, bool unsure,
		    struct shim_text *out, json_t *obj)
{
	char path[64], where[400], file[400];
	unsigned line = 0, col = 0;
	const char *kind = "unknown";

	switch (by) {
	case SHIM_BY_RULE:
		snprintf(path, sizeof(path), "syscalls[%zu].names[%zu]", rule->src_index,
			 rule->src_name_index);
		where_of(p, path, where, sizeof(where), file, sizeof(file), &line, &col);
		shim_text_printf(out, "by %srule %s (%s", unsure ? "a " : "", where, path);
		if (rule->n_args) {
			shim_text_printf(out, ", when ");
			shim_args_format(rule->args, rule->n_args, out);
		}
		shim_text_printf(out, ")%s", unsure ? ", or another rule of this syscall that tests arguments, which the kernel's record does not carry" : "");
		kind = "rule";
		json_object_set_new(obj, "rule", json_string(path));
		break;
	case SHIM_BY_DEFAULT:
		where_of(p, "defaultAction", where, sizeof(where), file, sizeof(file), &line, &col);
		shim_text_printf(out, "by default action (%s)", where);
		kind = "default action";
		break;
	case SHIM_BY_ENOSYS_STUB:
		shim_text_printf(out, "by the ENOSYS stub (above %ld, the highest syscall the profile names here)",
				 max_nr);
		kind = "enosys stub";
		break;
	case SHIM_BY_BAD_ARCH:
		shim_text_printf(out, "by the architecture check (the profile does not list this architecture or ABI)");
		kind = "architecture";
		break;
	case SHIM_BY_PROGRAM_ONLY:
		shim_text_printf(out, "by the filter, which does not follow the rules here (a bug: please report it)");
		kind = "filter";
		break;
	default:
		shim_text_printf(out, "by the compiled filter (no profile to name a rule from)");
		break;
	}
	json_object_set_new(obj, "decided_by", json_string(kind));
	if (line) {
		json_object_set_new(obj, "file", json_string(file));
		json_object_set_new(obj, "line", json_integer(line));
		json_object_set_new(obj, "column", json_integer(col));
	}
	if (unsure)
		json_object_set_new(obj, "rule_unsure", json_true());
}

static void verdict_json(uint32_t ret, json_t *obj)
{
	char v[64];
	uint32_t data = ret & SECCOMP_RET_DATA;

	shim_bpf_ret_format(ret, v, sizeof(v));
	json_object_set_new(obj, "verdict", json_string(v));
	if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO) {
		const char *name = shim_errno_name((int)data);
		json_object_set_new(obj, "errno", name ? json_string(name) : json_integer(data));
	}
}

static const char *seen_name(enum shim_seen s)
{
	switch (s) {
	case SHIM_SEEN_CALL: return "call";
	case SHIM_SEEN_AUDIT: return "audit";
	case SHIM_SEEN_EXIT: return "exit";
	}
	return "?";
}

static void exit_words(int status, struct shim_text *out)
{
	const char *sig = WIFSIGNALED(status) ? sigabbrev_np(WTERMSIG(status)) : NULL;

	shim_text_printf(out, "killed by SIG%s%s", sig ? sig : "?",
			 WIFSIGNALED(status) && WCOREDUMP(status) ? " (core dumped)" : "");
}

static void text_line(const struct shim_profile *p, const struct shim_denial *d,
		      const char *when, const char *arch, struct shim_text *out, json_t *obj)
{
	char v[64];

	shim_text_printf(out, "seccomp-shim: %s: %s pid %d", d->allowed ? "allowed (complain)" : "denied",
			 when, d->pid);
	if (d->tid && d->tid != d->pid)
		shim_text_printf(out, " tid %d", d->tid);
	shim_text_printf(out, " (");
	quoted(d->comm, false, out);
	shim_text_printf(out, ", %s) %s ", d->exe[0] ? d->exe : "exe unknown", arch);
	if (d->seen == SHIM_SEEN_EXIT) {
		exit_words(d->status, out);
		shim_text_printf(out, ": a KILL_PROCESS, KILL_THREAD or TRAP verdict, or a SIGSYS; which call is not seen (the kernel kills without asking the supervisor; its audit record, readable with CAP_AUDIT_READ on the host, names it: see seccomp-shim(1))\n");
		return;
	}
	if (d->name[0])
		shim_text_printf(out, "%s(", d->name);
	else
		shim_text_printf(out, "syscall_%d(", d->nr);
	if (d->seen == SHIM_SEEN_AUDIT)
		shim_text_printf(out, "arguments not seen: the kernel's own action, from its audit record");
	else
		shim_denial_args(d, out);
	shim_bpf_ret_format(d->ret, v, sizeof(v));
	shim_text_printf(out, "): %s ", v);
	if (p || !d->by)
		decider(p, d->by, d->rule, d->max_nr, d->rule_unsure, out, obj);
	if (d->gone)
		shim_text_printf(out, "; the task was gone before the answer");
	shim_text_printf(out, "\n");
}

void shim_denial_format(const struct shim_profile *p, const struct shim_denial *d,
			enum shim_report_format fmt, struct shim_text *out)
{
	struct shim_text words = { 0 }, args = { 0 };
	json_t *obj = json_object(), *arr, *strs;
	char when[64], arch[32];
	char *line;

	iso_time(&d->time, when, sizeof(when));
	arch_short(d->token, arch, sizeof(arch));
	json_object_set_new(obj, "type", json_string(d->allowed ? "allowed" : "denial"));
	json_object_set_new(obj, "time", json_string(when));
	json_object_set_new(obj, "pid", json_integer(d->pid));
	json_object_set_new(obj, "tid", json_integer(d->tid ? d->tid : d->pid));
	json_object_set_new(obj, "comm", task_string(d->comm));
	json_object_set_new(obj, "exe", d->exe[0] ? task_string(d->exe) : json_null());
	json_object_set_new(obj, "arch", json_string(arch));
	json_object_set_new(obj, "seen", json_string(seen_name(d->seen)));
	if (d->seen == SHIM_SEEN_EXIT) {
		json_object_set_new(obj, "signal", json_integer(WIFSIGNALED(d->status) ? WTERMSIG(d->status) : 0));
		json_object_set_new(obj, "core_dumped", json_boolean(WIFSIGNALED(d->status) && WCOREDUMP(d->status)));
	} else {
		json_object_set_new(obj, "syscall", d->name[0] ? json_string(d->name) : json_null());
		json_object_set_new(obj, "nr", json_integer(d->nr));
	}
	if (d->seen == SHIM_SEEN_CALL) {
		arr = json_array();
		for (int i = 0; i < 6; i++)
			json_array_append_new(arr, json_sprintf("%#llx", (unsigned long long)d->args[i]));
		json_object_set_new(obj, "args", arr);
		shim_denial_args(d, &args);
		json_object_set_new(obj, "decoded", task_string(args.s ? args.s : ""));
		shim_text_free(&args);
		strs = json_object();
		for (size_t i = 0; i < d->n_strings; i++) {
			char key[8];
			snprintf(key, sizeof(key), "%d", d->strings[i].index);
			json_object_set_new(strs, key, d->strings[i].error ? json_null()
								 : task_string(d->strings[i].text));
		}
		if (d->n_strings)
			json_object_set_new(obj, "strings_as_read", strs);
		else
			json_decref(strs);
	}
	if (d->seen != SHIM_SEEN_EXIT)
		verdict_json(d->ret, obj);
	json_object_set_new(obj, "allowed", json_boolean(d->allowed));
	/* The words, and what decided the verdict into obj as well. */
	text_line(p, d, when, arch, &words, obj);
	if (fmt == SHIM_REPORT_TEXT) {
		shim_text_printf(out, "%s", words.s ? words.s : "");
	} else {
		line = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
		shim_text_printf(out, "%s\n", line ? line : "{\"type\":\"error\"}");
		free(line);
	}
	shim_text_free(&words);
	json_decref(obj);
}

/* ---- the summary ---- */

static bool same_entry(const struct shim_summary_entry *e, const struct shim_denial *d)
{
	return e->token == d->token && e->nr == d->nr && e->ret == d->ret && e->by == d->by &&
	       e->rule == d->rule && e->seen == d->seen && e->allowed == d->allowed;
}

void shim_summary_add(struct shim_summary *s, const struct shim_denial *d)
{
	struct shim_summary_entry *e;

	s->total++;
	for (size_t i = 0; i < s->n; i++)
		if (same_entry(&s->v[i], d)) {
			s->v[i].count++;
			return;
		}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		e = realloc(s->v, cap * sizeof(*e));
		if (!e) {
			s->oom = true;
			return;
		}
		s->v = e;
		s->cap = cap;
	}
	e = &s->v[s->n++];
	*e = (struct shim_summary_entry){ .token = d->token, .nr = d->nr, .ret = d->ret,
					  .by = d->by, .rule = d->rule, .seen = d->seen,
					  .allowed = d->allowed, .count = 1, .first_pid = d->pid };
	snprintf(e->name, sizeof(e->name), "%s", d->name);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct shim_summary_entry *x = a, *y = b;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->name, y->name);
}

void shim_summary_format(const struct shim_profile *p, const struct shim_summary *s,
			 enum shim_report_format fmt, struct shim_text *out)
{
	struct shim_summary_entry *v = malloc((s->n + 1) * sizeof(*v));

	if (!v)
		return;
	if (s->n)
		memcpy(v, s->v, s->n * sizeof(*v));
	qsort(v, s->n, sizeof(*v), cmp_entry);
	if (fmt == SHIM_REPORT_TEXT)
		shim_text_printf(out, "seccomp-shim: summary: %llu %s, %zu distinct (syscall, verdict, rule)%s\n",
				 (unsigned long long)s->total, s->total == 1 ? "denial" : "denials", s->n,
				 s->oom ? "; out of memory, some left out" : "");
	for (size_t i = 0; i < s->n; i++) {
		struct shim_text by = { 0 };
		json_t *obj = json_object();
		char arch[32], verdict[64], *line;

		arch_short(v[i].token, arch, sizeof(arch));
		shim_bpf_ret_format(v[i].ret, verdict, sizeof(verdict));
		json_object_set_new(obj, "type", json_string("summary"));
		json_object_set_new(obj, "syscall", v[i].name[0] ? json_string(v[i].name) : json_null());
		json_object_set_new(obj, "arch", json_string(arch));
		json_object_set_new(obj, "verdict", json_string(v[i].seen == SHIM_SEEN_EXIT ? "SIGSYS" : verdict));
		json_object_set_new(obj, "count", json_integer((json_int_t)v[i].count));
		json_object_set_new(obj, "first_pid", json_integer(v[i].first_pid));
		json_object_set_new(obj, "allowed", json_boolean(v[i].allowed));
		json_object_set_new(obj, "seen", json_string(seen_name(v[i].seen)));
		if (v[i].seen == SHIM_SEEN_EXIT)
			shim_text_printf(&by, "killed by SIGSYS, the call not seen");
		else if (p || !v[i].by)
			decider(p, v[i].by, v[i].rule, -1, false, &by, obj);
		if (fmt == SHIM_REPORT_TEXT) {
			shim_text_printf(out, "seccomp-shim: %8llu  %s %s%s %s  first pid %d  %s\n",
					 (unsigned long long)v[i].count, arch,
					 v[i].name[0] ? v[i].name : "?",
					 v[i].allowed ? " (allowed: complain)" : "",
					 v[i].seen == SHIM_SEEN_EXIT ? "SIGSYS" : verdict, v[i].first_pid,
					 by.s ? by.s : "");
		} else {
			line = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
			shim_text_printf(out, "%s\n", line ? line : "{\"type\":\"error\"}");
			free(line);
		}
		json_decref(obj);
		shim_text_free(&by);
	}
	free(v);
}

void shim_summary_free(struct shim_summary *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
