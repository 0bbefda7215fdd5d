/* seccomp-shim's command line: the parser, and --help written from the
 * tables (shim/cli-tables.c). See cli.h for the rules. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- errors -------------------------------------------------------------- */

/* "check: " before a command's messages; nothing before the run's. */
static int fail(struct cli_error *err, const struct cli_command *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct cli_error *err, const struct cli_command *c, const char *fmt, ...)
{
	char name[64];
	size_t used = 0;
	va_list ap;

	err->code = c->usage_code;
	if (c->name)
		used = (size_t)snprintf(err->msg, sizeof(err->msg), "%s: ",
					cli_command_name(c, name, sizeof(name)));
	va_start(ap, fmt);
	vsnprintf(err->msg + used, sizeof(err->msg) - used, fmt, ap);
	va_end(ap);
	return -1;
}


static const struct cli_use *find_use(const struct cli_command *c, enum cli_opt id)
{
	for (const struct cli_use *u = c->options; u->id; u++)
		if (u->id == id)
			return u;
	return NULL;
}

static bool takes(const struct cli_command *c, enum cli_opt id)
{
	const struct cli_use *u = find_use(c, id);

	return u && !u->refused;
}

/* "a run, check and oci convert": who takes the option; returns how many. */
static size_t takers(enum cli_opt id, char *buf, size_t len)
{
	const struct cli_command *run = cli_run_command(), *commands;
	size_t total = takes(run, id), k = 0, used = 0, n_cmd;

	commands = cli_commands(&n_cmd);
	for (size_t i = 0; i < n_cmd; i++)
		total += takes(&commands[i], id);
	buf[0] = '\0';
	for (size_t i = 0; i <= n_cmd && used < len; i++) {
		const struct cli_command *c = i ? &commands[i - 1] : run;
		char name[64];

		if (!takes(c, id))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 k == 0 ? "" : k + 1 == total ? " and " : ", ",
					 c->name ? cli_command_name(c, name, sizeof(name)) : "a run");
		k++;
	}
	return total;
}

/* An option that exists, but not for this command. */
static int not_taken(struct cli_error *err, const struct cli_command *c, const char *typed,
		     const struct cli_option *opt)
{
	char who[256], self[64], name[64];
	size_t n = takers(opt->id, who, sizeof(who));

	return fail(err, c, "%s takes no %s (%s %s; see %s --help)",
		    c->name ? cli_command_name(c, name, sizeof(name)) : "a run", typed, who,
		    n == 1 ? "does" : "do", cli_display(c, self, sizeof(self)));
}

/* ---- reading options ---------------------------------------------------- */

void cli_parser_init(struct cli_parser *p, const struct cli_command *command, int argc,
		     char **argv, int first)
{
	memset(p, 0, sizeof(*p));
	p->command = command;
	p->argc = argc;
	p->argv = argv;
	p->next = first;
}

static bool is_option(const struct cli_parser *p, const char *arg)
{
	if (arg[0] != '-' || arg[1] == '\0')
		return false;
	/* eval's arguments may be negative numbers. */
	return p->command->options_first || arg[1] < '0' || arg[1] > '9';
}

/* "a, b or c" from "a b c". */
static void or_list(const char *words, char *buf, size_t len)
{
	size_t used = 0, n = 0, count = 0;

	for (const char *p = words; *p; p += strspn(p, " ")) {
		count++;
		p += strcspn(p, " ");
	}
	buf[0] = '\0';
	for (const char *p = words; *p && used < len; n++) {
		size_t w = strcspn(p, " ");
		used += (size_t)snprintf(buf + used, len - used, "%s%.*s",
					 n == 0 ? "" : n + 1 == count ? " or " : ", ", (int)w, p);
		p += w;
		p += strspn(p, " ");
	}
}

static bool is_word_of(const char *value, const char *words)
{
	size_t len = strlen(value);

	for (const char *p = words; *p; p += strspn(p, " ")) {
		size_t w = strcspn(p, " ");
		if (w == len && strncmp(p, value, len) == 0)
			return true;
		p += w;
	}
	return false;
}

/* A value checked against the command's list, where the list is closed. */
static int checked(struct cli_parser *p, const struct cli_use *u, const char *typed,
		   const char **value, struct cli_error *err)
{
	const struct cli_option *opt = cli_option(u->id);
	const char *values = cli_use_values(u);
	char list[256];

	if (*value && values && !opt->open && !is_word_of(*value, values)) {
		or_list(values, list, sizeof(list));
		return fail(err, p->command, "%s takes %s, not \"%s\"", typed, list, *value);
	}
	return u->id;
}

/* How the command takes opt (NULL: no option has that name), or NULL
 * with err filled. */
static const struct cli_use *use_of(struct cli_parser *p, const struct cli_option *opt,
				    const char *typed, struct cli_error *err)
{
	const struct cli_use *u = opt ? find_use(p->command, opt->id) : NULL;
	char self[64];

	if (u && !u->refused)
		return u;
	if (u)
		fail(err, p->command, "%s: %s", typed, u->refused);
	else if (opt)
		not_taken(err, p->command, typed, opt);
	else
		fail(err, p->command, "unknown option %s (see %s --help)", typed,
		     cli_display(p->command, self, sizeof(self)));
	return NULL;
}

/* The value in the next argument: -o FILE, --output FILE. */
static int value_after(struct cli_parser *p, const char *typed, const char **value,
		       struct cli_error *err)
{
	if (p->next >= p->argc)
		return fail(err, p->command, "option %s needs a value", typed);
	*value = p->argv[p->next++];
	return 0;
}

/* -q, -qv (one at a time), -oFILE, -o FILE */
static int short_option(struct cli_parser *p, const char **value, struct cli_error *err)
{
	char typed[3] = { '-', *p->cluster++, '\0' };
	const struct cli_option *opt = NULL, *options;
	const struct cli_use *u;
	size_t n_opt;

	options = cli_options(&n_opt);
	for (size_t i = 0; i < n_opt && !opt; i++)
		if (options[i].short_name == typed[1])
			opt = &options[i];
	if (!(u = use_of(p, opt, typed, err)))
		return -1;
	if (opt->metavar && *p->cluster) {
		*value = p->cluster; /* -oFILE */
		p->cluster = NULL;
	} else if (opt->metavar) {
		p->cluster = NULL;
		if (value_after(p, typed, value, err) < 0)
			return -1;
	}
	return checked(p, u, typed, value, err);
}

/* The one option of the command that name (len bytes) begins, as
 * getopt_long takes a unique prefix; NULL with err filled. */
static const struct cli_use *abbreviation(struct cli_parser *p, const char *name, size_t len,
					  const char *typed, struct cli_error *err)
{
	const struct cli_use *found = NULL;
	char all[256] = "";
	size_t n = 0, used = 0;

	for (const struct cli_use *u = p->command->options; u->id; u++) {
		const char *full = cli_option(u->id)->name;
		if (u->refused || strncmp(full, name, len) != 0)
			continue;
		found = u;
		n++;
		if (used < sizeof(all))
			used += (size_t)snprintf(all + used, sizeof(all) - used, "%s--%s",
						 used ? ", " : "", full);
	}
	if (n == 1)
		return found;
	if (n > 1)
		fail(err, p->command, "option %s is ambiguous (%s)", typed, all);
	else
		use_of(p, NULL, typed, err);
	return NULL;
}

/* --name, --name=VALUE, --name VALUE, or a unique prefix of a name. A
 * whole name is never read as the prefix of another: diff --profile is
 * refused, not taken for --profile-root. */
static int long_option(struct cli_parser *p, const char *arg, const char **value,
		       struct cli_error *err)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct cli_option *opt = NULL, *options;
	const struct cli_use *u;
	char typed[64];
	size_t n_opt;

	snprintf(typed, sizeof(typed), "--%.*s", (int)len, arg);
	options = cli_options(&n_opt);
	for (size_t i = 0; i < n_opt && !opt; i++)
		if (strlen(options[i].name) == len && strncmp(options[i].name, arg, len) == 0)
			opt = &options[i];
	u = opt ? use_of(p, opt, typed, err) : abbreviation(p, arg, len, typed, err);
	if (!u)
		return -1;
	opt = cli_option(u->id);
	snprintf(typed, sizeof(typed), "--%s", opt->name);
	if (!opt->metavar && eq)
		return fail(err, p->command, "option %s takes no value", typed);
	if (eq)
		*value = eq + 1;
	else if (opt->metavar && !opt->optional_value && value_after(p, typed, value, err) < 0)
		return -1;
	return checked(p, u, typed, value, err);
}

int cli_next_option(struct cli_parser *p, const char **value, struct cli_error *err)
{
	const char *arg;

	*value = NULL;
	if (p->cluster && *p->cluster) /* -qv: v */
		return short_option(p, value, err);
	p->cluster = NULL;
	if (p->ended || p->next >= p->argc)
		return 0;
	arg = p->argv[p->next];
	if (strcmp(arg, "--") == 0) {
		p->ended = true;
		p->next++;
		return 0;
	}
	if (!is_option(p, arg))
		return 0;
	p->next++;
	if (arg[1] == '-')
		return long_option(p, arg + 2, value, err);
	p->cluster = arg + 1;
	return short_option(p, value, err);
}

/* ---- commands ---------------------------------------------------------- */

/* Edit distance with a swap of two neighbours counting as one (explian). */
static size_t distance(const char *a, const char *b)
{
	enum { MAX = 24 };
	size_t la = strlen(a), lb = strlen(b), d[MAX + 1][MAX + 1];

	if (la > MAX || lb > MAX)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* The name word was probably meant to be: one edit away (two for words
 * longer than four letters), or NULL. group: the oci commands' names;
 * NULL: the first words. */
static const char *closest(const char *word, const char *group)
{
	size_t best = strlen(word) > 4 ? 3 : 2, n_cmd;
	const struct cli_command *commands = cli_commands(&n_cmd);
	const char *found = NULL;

	for (size_t i = 0; i < n_cmd; i++) {
		const char *name = group ? commands[i].sub : commands[i].name;
		size_t d;
		if (group && (!commands[i].sub || strcmp(commands[i].name, group) != 0))
			continue;
		d = distance(word, name);
		if (d < best) {
			best = d;
			found = name;
		}
	}
	return found;
}


/* "convert, wrap or unwrap" */
static void subs_of(const char *name, char *buf, size_t len)
{
	char words[128] = "";
	size_t used = 0, n_cmd;
	const struct cli_command *commands = cli_commands(&n_cmd);

	for (size_t i = 0; i < n_cmd; i++)
		if (commands[i].sub && strcmp(commands[i].name, name) == 0 && used < sizeof(words))
			used += (size_t)snprintf(words + used, sizeof(words) - used, "%s%s",
						 used ? " " : "", commands[i].sub);
	or_list(words, buf, len);
}

static int unknown_command(struct cli_error *err, const char *group, const char *word)
{
	const char *near = closest(word, group);
	char subs[128];

	err->code = SHIM_EXIT_FAILURE;
	if (group) {
		subs_of(group, subs, sizeof(subs));
		if (near)
			snprintf(err->msg, sizeof(err->msg),
				 "%s: unknown command \"%s\": did you mean \"%s\"?", group, word, near);
		else
			snprintf(err->msg, sizeof(err->msg), "%s: unknown command \"%s\" (%s)",
				 group, word, subs);
	} else if (near) {
		snprintf(err->msg, sizeof(err->msg), "unknown command \"%s\": did you mean \"%s\"?",
			 word, near);
	} else {
		snprintf(err->msg, sizeof(err->msg),
			 "unknown command \"%s\" (seccomp-shim --help lists them)", word);
	}
	return -1;
}

/* Appends the items of a comma list ("@system-service,mount") to *v. */
static int split_list(const char *list, char ***v, size_t *n)
{
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		char **grown;

		if (len) {
			grown = realloc(*v, (*n + 1) * sizeof(**v));
			if (!grown)
				return -1;
			*v = grown;
			if (!((*v)[*n] = strndup(p, len)))
				return -1;
			(*n)++;
		}
		p += len;
		if (!*p)
			return 0;
	}
}

static int store(struct cli_args *a, enum cli_opt id, const char *value)
{
	const struct cli_option *opt = cli_option(id);
	char *at = (char *)a + opt->field;

	switch (id) {
	case CLI_OPT_UNKNOWN_SYSCALLS:
		a->compile.unknown_syscalls_fatal = strcmp(value, "error") == 0;
		return 0;
	case CLI_OPT_ALLOW:
		return split_list(value, &a->allow, &a->n_allow);
	case CLI_OPT_DENY:
		return split_list(value, &a->deny, &a->n_deny);
	default:
		break;
	}
	if (!opt->metavar)
		*(bool *)(void *)at = true;
	else
		*(const char **)(void *)at = value;
	return 0;
}


/* Arguments and required options, once all are read. */
static int check_arguments(const struct cli_command *c, const struct cli_args *a, const bool *seen,
		    struct cli_error *err)
{
	char line[256], self[64];
	bool ok = a->n_rest >= c->min_args && (c->max_args < 0 || a->n_rest <= c->max_args);

	for (const struct cli_use *u = c->options; u->id; u++)
		if (u->required && !seen[u->id])
			ok = false;
	if (ok)
		return 0;
	cli_usage_line(c, line, sizeof(line));
	return fail(err, c, "usage: %s (see %s --help)", line, cli_display(c, self, sizeof(self)));
}

static int parse_command(const struct cli_command *c, int argc, char **argv, int first,
			 struct cli_args *a, struct cli_error *err)
{
	struct cli_parser p;
	bool seen[CLI_OPT_COUNT] = { false };
	const char *value;
	int id;

	a->cmd = c->cmd;
	a->command = c;
	if (!(a->rest = calloc((size_t)argc + 1, sizeof(*a->rest))))
		return fail(err, c, "out of memory");
	cli_parser_init(&p, c, argc, argv, first);
	for (;;) {
		if ((id = cli_next_option(&p, &value, err)) < 0)
			return -1;
		if (id == CLI_OPT_HELP) {
			a->cmd = CLI_HELP;
			a->topic = c->name;
			a->topic_sub = c->sub;
			return 0;
		}
		if (id > 0) {
			seen[id] = true;
			if (store(a, (enum cli_opt)id, value) < 0)
				return fail(err, c, "out of memory");
		} else if (p.next < argc) {
			a->rest[a->n_rest++] = argv[p.next++];
		} else {
			break;
		}
	}
	return check_arguments(c, a, seen, err);
}

/* help [COMMAND [SUB]]: what to describe. */
static int help_topic(struct cli_args *a, struct cli_error *err)
{
	const char *name = a->n_rest > 0 ? a->rest[0] : NULL;
	const char *sub = a->n_rest > 1 ? a->rest[1] : NULL;

	a->topic = name;
	if (!name)
		return 0;
	if (!cli_find(name, NULL) && !cli_has_subs(name))
		return unknown_command(err, NULL, name);
	if (sub && !cli_has_subs(name))
		return fail(err, a->command, "%s has no subcommands", name);
	if (sub && !cli_find(name, sub))
		return unknown_command(err, name, sub);
	a->topic_sub = sub;
	return 0;
}

int cli_parse(int argc, char **argv, const char *env_profile, struct cli_args *out,
	      struct cli_error *err)
{
	const struct cli_command *c;
	const char *name = argc > 1 ? argv[1] : NULL;

	memset(out, 0, sizeof(*out));
	out->cmd = CLI_RUN;
	if (!name || name[0] == '-')
		return 0;
	if (!cli_find(name, NULL) && !cli_has_subs(name)) {
		/* An entrypoint's command, or a misspelt subcommand. */
		if ((env_profile && *env_profile) || !closest(name, NULL))
			return 0;
		return unknown_command(err, NULL, name);
	}
	if (!cli_has_subs(name)) {
		c = cli_find(name, NULL);
		if (parse_command(c, argc, argv, 2, out, err) < 0)
			return -1;
		return c->cmd == CLI_HELP && out->cmd == CLI_HELP && !out->topic ? help_topic(out, err) : 0;
	}
	if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		char subs[128];
		if (argc >= 3) {
			out->cmd = CLI_HELP;
			out->topic = name;
			return 0;
		}
		subs_of(name, subs, sizeof(subs));
		err->code = SHIM_EXIT_FAILURE;
		snprintf(err->msg, sizeof(err->msg), "%s: which one? %s (see seccomp-shim help %s)",
			 name, subs, name);
		return -1;
	}
	if (!(c = cli_find(name, argv[2])))
		return unknown_command(err, name, argv[2]);
	return parse_command(c, argc, argv, 3, out, err);
}

void cli_args_free(struct cli_args *a)
{
	for (size_t i = 0; i < a->n_allow; i++)
		free(a->allow[i]);
	for (size_t i = 0; i < a->n_deny; i++)
		free(a->deny[i]);
	free(a->allow);
	free(a->deny);
	free(a->rest);
	memset(a, 0, sizeof(*a));
}
