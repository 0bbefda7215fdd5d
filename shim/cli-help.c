/* seccomp-shim's command line: --help and the usage lines, written from
 * the tables (shim/cli-tables.c). See cli.h for the rules. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* "seccomp-shim compile -o FILE [OPTIONS] PROFILE" into buf. */
void cli_usage_line(const struct cli_command *c, char *buf, size_t len)
{
	size_t used = strlen(cli_display(c, buf, len));
	bool optional = false;

	for (const struct cli_use *u = c->options; u->id; u++) {
		const struct cli_option *opt = cli_option(u->id);
		char name[64];

		if (!u->required) {
			optional |= u->id != CLI_OPT_HELP && !u->refused;
			continue;
		}
		if (opt->short_name)
			snprintf(name, sizeof(name), "-%c", opt->short_name);
		else
			snprintf(name, sizeof(name), "--%s", opt->name);
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, " %s %s", name, opt->metavar);
	}
	if (used < len)
		snprintf(buf + used, len - used, "%s%s%s", optional ? " [OPTIONS]" : "",
			 *c->args ? " " : "", c->args);
}

/* ---- help ---------------------------------------------------------------- */

enum { HELP_WIDTH = 79, OPTION_COLUMN = 31, COMMAND_COLUMN = 16 };

/* text from column col, lines broken before HELP_WIDTH and continued at
 * indent; a newline in text breaks the line there. */
static void wrap(FILE *out, const char *text, int indent, int col)
{
	for (const char *p = text; *p;) {
		int len = (int)strcspn(p, " \n");

		if (*p == '\n' || *p == ' ') {
			if (*p++ == '\n') {
				fputc('\n', out);
				col = 0;
			}
			continue;
		}
		if (col > indent && col + 1 + len > HELP_WIDTH) {
			fputc('\n', out);
			col = 0;
		}
		if (col < indent)
			col += fprintf(out, "%*s", indent - col, "");
		else if (col > indent)
			col += fprintf(out, " ");
		col += fprintf(out, "%.*s", len, p);
		p += len;
	}
	if (col)
		fputc('\n', out);
}

static void print_option(FILE *out, const struct cli_use *u)
{
	const struct cli_option *opt = cli_option(u->id);
	int col;

	if (opt->short_name)
		col = fprintf(out, "  -%c, --%s", opt->short_name, opt->name);
	else
		col = fprintf(out, "      --%s", opt->name);
	if (opt->metavar)
		col += fprintf(out, opt->optional_value ? "[=%s]" : " %s", opt->metavar);
	if (col > OPTION_COLUMN - 2) {
		fputc('\n', out);
		col = 0;
	}
	wrap(out, cli_use_help(u), OPTION_COLUMN, col);
}

static void print_options(FILE *out, const struct cli_command *c)
{
	fprintf(out, "\nOptions:\n");
	for (const struct cli_use *u = c->options; u->id; u++)
		if (!u->refused)
			print_option(out, u);
}

static void help_main(FILE *out)
{
	const struct cli_command *run = cli_run_command(), *commands;
	char line[256];
	size_t n;

	commands = cli_commands(&n);
	cli_usage_line(run, line, sizeof(line));
	fprintf(out, "usage: %s\n       seccomp-shim SUBCOMMAND [OPTIONS] [ARG...]\n\n", line);
	wrap(out, run->description, 0, 0);
	print_options(out, run);
	fprintf(out, "\nSubcommands:\n");
	for (size_t i = 0; i < n; i++) {
		int col = fprintf(out, "  %s%s%s", commands[i].name, commands[i].sub ? " " : "",
				  commands[i].sub ? commands[i].sub : "");
		wrap(out, commands[i].summary, COMMAND_COLUMN, col);
	}
	fputc('\n', out);
	wrap(out, "seccomp-shim help SUBCOMMAND, or seccomp-shim SUBCOMMAND --help, shows what it does and its options. A first word that names a subcommand always means it: put -- before a COMMAND of the same name (seccomp-shim -- diff a b runs diff).\n\n"
		  "Exit status: 125 if seccomp-shim failed, 126 if COMMAND cannot be executed, 127 if it is not found; otherwise COMMAND's own. See seccomp-shim(1).",
	     0, 0);
}

static void help_command(FILE *out, const struct cli_command *c)
{
	char line[256];

	cli_usage_line(c, line, sizeof(line));
	fprintf(out, "usage: %s\n\n", line);
	wrap(out, c->description, 0, 0);
	print_options(out, c);
	fprintf(out, "\nSee seccomp-shim(1).\n");
}

/* oci: each one's usage line and summary. */
static void help_group(FILE *out, const char *name)
{
	char line[256];
	size_t n_cmd;
	const struct cli_command *commands = cli_commands(&n_cmd);

	for (size_t i = 0; i < n_cmd; i++) {
		if (!commands[i].sub || strcmp(commands[i].name, name) != 0)
			continue;
		cli_usage_line(&commands[i], line, sizeof(line));
		fprintf(out, "%s %s\n", i && commands[i - 1].sub ? "      " : "usage:", line);
	}
	fputc('\n', out);
	for (size_t i = 0; i < n_cmd; i++)
		if (commands[i].sub && strcmp(commands[i].name, name) == 0) {
			int col = fprintf(out, "  %s", commands[i].sub);
			wrap(out, commands[i].summary, COMMAND_COLUMN, col);
		}
	fprintf(out, "\nseccomp-shim help %s SUBCOMMAND shows its options.\n", name);
}

int cli_help(FILE *out, const char *topic, const char *sub)
{
	const struct cli_command *c;

	if (!topic) {
		help_main(out);
		return 0;
	}
	if ((c = cli_find(topic, sub))) {
		help_command(out, c);
		return 0;
	}
	if (!sub && cli_has_subs(topic)) {
		help_group(out, topic);
		return 0;
	}
	return -1;
}


