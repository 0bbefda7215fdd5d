/* The command line (shim/cli.c): argv in, struct cli_args or an error
 * message out, table-driven; the tables themselves; --help from them. */
#include "suites.h"
#include "../../shim/cli.h"

#define MAX_ARGS 12

/* A struct cli_args as one line: the command, then what is set. */
static void describe(const struct cli_args *a, char *buf, size_t len)
{
	static const char *const names[] = {
		[CLI_RUN] = "run", [CLI_HELP] = "help", [CLI_VERSION] = "version",
		[CLI_COMPLETION] = "completion", [CLI_CHECK] = "check", [CLI_EXPLAIN] = "explain",
		[CLI_EVAL] = "eval", [CLI_EXPORT] = "export", [CLI_COMPILE] = "compile",
		[CLI_DIFF] = "diff", [CLI_OCI_CONVERT] = "oci convert", [CLI_OCI_WRAP] = "oci wrap",
		[CLI_OCI_UNWRAP] = "oci unwrap", [CLI_RECORD] = "record", [CLI_NEW] = "new",
		[CLI_INSPECT] = "inspect", [CLI_FEATURES] = "features",
	};
	const struct { const char *name, *value; } values[] = {
		{ "topic", a->topic }, { "sub", a->topic_sub }, { "arch", a->arch },
		{ "caps", a->caps }, { "format", a->format }, { "output", a->output },
		{ "profile-root", a->profile_root }, { "bundle", a->bundle },
		{ "profile", a->profile }, { "shim", a->shim }, { "merge", a->merge },
		{ "errno", a->errno_name }, { "default-action", a->default_action },
	};
	const struct { const char *name; bool set; } flags[] = {
		{ "strict", a->strict }, { "quiet", a->quiet }, { "write", a->write },
		{ "stats", a->stats }, { "wide", a->wide }, { "list", a->list },
		{ "linear", a->compile.linear }, { "libseccomp", a->compile.libseccomp },
		{ "unknown-syscalls=error", a->compile.unknown_syscalls_fatal },
	};
	FILE *out = fmemopen(buf, len, "w");

	ck_assert_ptr_nonnull(out);
	fprintf(out, "%s", names[a->cmd]);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		if (values[i].value)
			fprintf(out, " %s=%s", values[i].name, values[i].value);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].set)
			fprintf(out, " %s", flags[i].name);
	for (size_t i = 0; i < a->n_allow; i++)
		fprintf(out, " allow=%s", a->allow[i]);
	for (size_t i = 0; i < a->n_deny; i++)
		fprintf(out, " deny=%s", a->deny[i]);
	for (int i = 0; i < a->n_rest; i++)
		fprintf(out, " [%s]", a->rest[i]);
	fclose(out);
}

static int argv_of(const char *const *args, char **argv)
{
	int argc = 0;

	argv[argc++] = (char *)"seccomp-shim";
	for (; argc < MAX_ARGS && args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	argv[argc] = NULL;
	return argc;
}

/* argv (after "seccomp-shim"), $SECCOMP_SHIM_PROFILE, and what cli_parse
 * gives: describe()'s line, or "EXIT-CODE: message". */
static const struct {
	const char *args[MAX_ARGS];
	const char *env;
	const char *want;
} parse_cases[] = {
	/* The first word. */
	{ { NULL }, NULL, "run" },
	{ { "--profile", "p.json", "--", "true" }, NULL, "run" },
	{ { "-V" }, NULL, "run" },
	{ { "--", "diff", "a", "b" }, "runtime/default", "run" },
	{ { "diff", "a", "b" }, "runtime/default", "diff [a] [b]" },
	{ { "chek", "x.json" }, NULL, "125: unknown command \"chek\": did you mean \"check\"?" },
	{ { "chek", "x.json" }, "runtime/default", "run" },
	{ { "chek", "x.json" }, "", "125: unknown command \"chek\": did you mean \"check\"?" },
	{ { "explian", "p" }, NULL, "125: unknown command \"explian\": did you mean \"explain\"?" },
	{ { "ls", "-l" }, NULL, "run" },
	{ { "env" }, NULL, "run" },
	/* help */
	{ { "help" }, NULL, "help" },
	{ { "help", "check" }, NULL, "help topic=check [check]" },
	{ { "help", "oci" }, NULL, "help topic=oci [oci]" },
	{ { "help", "oci", "wrap" }, NULL, "help topic=oci sub=wrap [oci] [wrap]" },
	{ { "help", "help" }, NULL, "help topic=help [help]" },
	{ { "help", "chek" }, NULL, "125: unknown command \"chek\": did you mean \"check\"?" },
	{ { "help", "frobnicate" }, NULL,
	  "125: unknown command \"frobnicate\" (seccomp-shim --help lists them)" },
	{ { "help", "oci", "wrp" }, NULL, "125: oci: unknown command \"wrp\": did you mean \"wrap\"?" },
	{ { "help", "check", "x" }, NULL, "125: help: check has no subcommands" },
	{ { "help", "a", "b", "c" }, NULL,
	  "125: help: usage: seccomp-shim help [SUBCOMMAND] (see seccomp-shim help --help)" },
	{ { "check", "--help" }, NULL, "help topic=check" },
	{ { "record", "-h", "--bogus" }, NULL, "help topic=record" },
	{ { "explain", "--help" }, NULL, "help topic=explain" },
	{ { "oci", "--help" }, NULL, "help topic=oci" },
	{ { "oci", "wrap", "--help" }, NULL, "help topic=oci sub=wrap" },
	{ { "version", "--help" }, NULL, "help topic=version" },
	/* oci */
	{ { "oci" }, NULL, "125: oci: which one? convert, wrap or unwrap (see seccomp-shim help oci)" },
	{ { "oci", "wrp", "d" }, NULL, "125: oci: unknown command \"wrp\": did you mean \"wrap\"?" },
	{ { "oci", "frob", "d" }, NULL, "125: oci: unknown command \"frob\" (convert, wrap or unwrap)" },
	{ { "oci", "convert", "p.json", "--bundle", "b", "--write" }, NULL,
	  "oci convert bundle=b write [p.json]" },
	{ { "oci", "wrap", "b", "-p", "runtime/default", "--shim", "s" }, NULL,
	  "oci wrap profile=runtime/default shim=s [b]" },
	{ { "oci", "wrap", "b" }, NULL,
	  "125: oci wrap: usage: seccomp-shim oci wrap -p PROFILE [OPTIONS] DIR (see seccomp-shim oci wrap --help)" },
	{ { "oci", "unwrap", "b", "-q" }, NULL, "oci unwrap quiet [b]" },
	{ { "inspect", "42", "--format", "json", "--profile", "audit" }, NULL,
	  "inspect format=json profile=audit [42]" },
	{ { "inspect" }, NULL, "125: inspect: usage: seccomp-shim inspect [OPTIONS] PID (see seccomp-shim inspect --help)" },
	{ { "features", "--format", "text" }, NULL, "125: features: --format takes json, not \"text\"" },
	/* Options a command does not take. */
	{ { "diff", "--bundle", "x", "a", "b" }, NULL,
	  "125: diff: diff takes no --bundle (oci convert does; see seccomp-shim diff --help)" },
	{ { "diff", "--write", "--bundle", "x", "a", "b" }, NULL,
	  "125: diff: diff takes no --write (oci convert does; see seccomp-shim diff --help)" },
	{ { "explain", "--format", "json", "p" }, NULL,
	  "125: explain: explain takes no --format (check, eval, export, record, inspect and features do; see seccomp-shim explain --help)" },
	{ { "check", "-o", "x", "p" }, NULL,
	  "2: check: check takes no -o (export, compile, oci convert, record and new do; see seccomp-shim check --help)" },
	{ { "diff", "--profile", "p", "a", "b" }, NULL,
	  "125: diff: diff takes no --profile (a run, oci wrap and inspect do; see seccomp-shim diff --help)" },
	{ { "version", "-q" }, NULL,
	  "125: version: version takes no -q (a run, check, explain, eval, export, compile, diff, oci convert, oci wrap, oci unwrap, record, new and inspect do; see seccomp-shim version --help)" },
	{ { "compile", "p", "-o", "f", "--arch", "x86" }, NULL,
	  "125: compile: --arch: a compiled filter is for this machine; run compile where it will be used" },
	{ { "diff", "--bogus", "a", "b" }, NULL,
	  "125: diff: unknown option --bogus (see seccomp-shim diff --help)" },
	{ { "diff", "-x", "a", "b" }, NULL, "125: diff: unknown option -x (see seccomp-shim diff --help)" },
	/* Values. */
	{ { "check", "--arch", "aarch64", "a.json", "--strict", "b.json", "--format=json" }, NULL,
	  "check arch=aarch64 format=json strict [a.json] [b.json]" },
	{ { "check", "--format", "yaml", "p" }, NULL, "2: check: --format takes text or json, not \"yaml\"" },
	{ { "export", "p", "--format", "yaml" }, NULL,
	  "125: export: --format takes bpf, pfc, oci or json, not \"yaml\"" },
	{ { "export", "p", "--format" }, NULL, "125: export: option --format needs a value" },
	{ { "export", "p", "-o" }, NULL, "125: export: option -o needs a value" },
	{ { "export", "p", "-ofile", "--format", "bpf" }, NULL, "export format=bpf output=file [p]" },
	{ { "export", "p", "-qo", "file" }, NULL, "export output=file quiet [p]" },
	{ { "export", "p", "--caps=" }, NULL, "export caps= [p]" },
	{ { "diff", "--quiet=1", "a", "b" }, NULL, "125: diff: option --quiet takes no value" },
	{ { "check", "--unknown-syscalls", "error", "p" }, NULL, "check unknown-syscalls=error [p]" },
	{ { "check", "--unknown-syscalls=maybe", "p" }, NULL,
	  "2: check: --unknown-syscalls takes warn or error, not \"maybe\"" },
	{ { "new", "--errno", "EIO", "--allow", "@a,b", "--allow", "c", "--deny", "d,,e" }, NULL,
	  "new errno=EIO allow=@a allow=b allow=c deny=d deny=e" },
	{ { "new", "--default-action", "kill" }, NULL, "new default-action=kill" },
	{ { "new", "--list", "x" }, NULL, "125: new: usage: seccomp-shim new [OPTIONS] (see seccomp-shim new --help)" },
	/* Abbreviations, as getopt_long takes them. */
	{ { "explain", "--lin", "p" }, NULL, "explain linear [p]" },
	{ { "explain", "--li", "p" }, NULL,
	  "125: explain: option --li is ambiguous (--libseccomp, --linear)" },
	{ { "export", "--form", "pfc", "p" }, NULL, "export format=pfc [p]" },
	{ { "explain", "--st", "p" }, NULL, "explain stats [p]" },
	{ { "explain", "--sta=1", "p" }, NULL, "125: explain: option --stats takes no value" },
	{ { "explain", "--bog", "p" }, NULL, "125: explain: unknown option --bog (see seccomp-shim explain --help)" },
	/* Arguments. */
	{ { "check" }, NULL, "2: check: usage: seccomp-shim check [OPTIONS] PROFILE... (see seccomp-shim check --help)" },
	{ { "diff", "a" }, NULL,
	  "125: diff: usage: seccomp-shim diff [OPTIONS] PROFILE-A PROFILE-B (see seccomp-shim diff --help)" },
	{ { "eval", "p", "kill", "-1", "9" }, NULL, "eval [p] [kill] [-1] [9]" },
	{ { "eval", "p", "--", "x", "-q" }, NULL, "eval [p] [x] [-q]" },
	{ { "eval", "p", "a", "1", "2", "3", "4", "5", "6", "7" }, NULL,
	  "125: eval: usage: seccomp-shim eval [OPTIONS] PROFILE SYSCALL [ARG...] (see seccomp-shim eval --help)" },
	{ { "record", "-o", "out", "--", "ls", "-l" }, NULL, "record output=out [ls] [-l]" },
	{ { "record", "ls", "-o", "out" }, NULL, "record output=out [ls]" },
	{ { "record", "--", "ls" }, NULL,
	  "125: record: usage: seccomp-shim record -o FILE [OPTIONS] [--] COMMAND [ARG...] (see seccomp-shim record --help)" },
	{ { "compile", "p" }, NULL,
	  "125: compile: usage: seccomp-shim compile -o FILE [OPTIONS] PROFILE (see seccomp-shim compile --help)" },
	{ { "version" }, NULL, "version" },
	{ { "version", "x" }, NULL, "125: version: usage: seccomp-shim version (see seccomp-shim version --help)" },
	{ { "completion", "bash" }, NULL, "completion [bash]" },
	{ { "completion" }, NULL,
	  "125: completion: usage: seccomp-shim completion bash (see seccomp-shim completion --help)" },
};

START_TEST(parse)
{
	struct cli_args a;
	struct cli_error err = { 0 };
	char *argv[MAX_ARGS + 1], got[2048];
	int argc = argv_of(parse_cases[_i].args, argv);

	if (cli_parse(argc, argv, parse_cases[_i].env, &a, &err) < 0)
		snprintf(got, sizeof(got), "%d: %s", err.code, err.msg);
	else
		describe(&a, got, sizeof(got));
	cli_args_free(&a);
	ck_assert_msg(strcmp(got, parse_cases[_i].want) == 0, "case %d (%s ...):\n  got  %s\n  want %s",
		      _i, argv[1] ? argv[1] : "", got, parse_cases[_i].want);
}
END_TEST

/* The run's options, read one at a time as parse_run_options does:
 * "name=value" for each, then "| the first argument" or the error. */
static const struct {
	const char *args[MAX_ARGS];
	const char *want;
} run_cases[] = {
	{ { "-qv", "-pP", "--", "cmd" }, "quiet verbose profile=P | cmd" },
	{ { "--profile=P", "cmd", "-q" }, "profile=P | cmd" },
	{ { "--profile", "P", "cmd" }, "profile=P | cmd" },
	{ { "-p", "--", "cmd" }, "profile=-- | cmd" },
	{ { "--cap-drop", "ALL", "--cap-add=NET_RAW", "-u", "1:2", "x" },
	  "cap-drop=ALL cap-add=NET_RAW user=1:2 | x" },
	{ { "--", "--profile" }, "| --profile" },
	{ { "-", "x" }, "| -" },
	{ { "-q" }, "quiet |" },
	{ { "-h", "--bogus" }, "help" },
	{ { "-V" }, "version" },
	{ { "-p" }, "125: option -p needs a value" },
	{ { "--profile" }, "125: option --profile needs a value" },
	{ { "--bogus", "x" }, "125: unknown option --bogus (see seccomp-shim --help)" },
	{ { "-5" }, "125: unknown option -5 (see seccomp-shim --help)" },
	{ { "-qx" }, "quiet 125: unknown option -x (see seccomp-shim --help)" },
	{ { "--cap", "x" }, "125: option --cap is ambiguous (--cap-drop, --cap-add, --caps-keep)" },
	{ { "--strict" }, "125: a run takes no --strict (check does; see seccomp-shim --help)" },
	{ { "-o", "x" }, "125: a run takes no -o (export, compile, oci convert, record and new do; see seccomp-shim --help)" },
	{ { "--no-cache=yes" }, "125: option --no-cache takes no value" },
	{ { "--unknown-syscalls=maybe" }, "125: --unknown-syscalls takes warn or error, not \"maybe\"" },
	{ { "--unknown-syscalls", "error", "x" }, "unknown-syscalls=error | x" },
};

START_TEST(run_options)
{
	struct cli_parser p;
	struct cli_error err = { 0 };
	char *argv[MAX_ARGS + 1], got[1024];
	int argc = argv_of(run_cases[_i].args, argv), id;
	const char *value;
	FILE *out = fmemopen(got, sizeof(got), "w");

	cli_parser_init(&p, cli_run_command(), argc, argv, 1);
	while ((id = cli_next_option(&p, &value, &err)) > 0) {
		fprintf(out, "%s%s%s ", cli_option(id)->name, value ? "=" : "", value ? value : "");
		if (id == CLI_OPT_HELP || id == CLI_OPT_VERSION)
			break;
	}
	if (id < 0)
		fprintf(out, "%d: %s", err.code, err.msg);
	else if (id == 0)
		fprintf(out, "|%s%s", p.next < argc ? " " : "", p.next < argc ? argv[p.next] : "");
	fclose(out);
	if (id > 0) /* help, version: the trailing space */
		got[strlen(got) - 1] = '\0';
	ck_assert_msg(strcmp(got, run_cases[_i].want) == 0, "case %d:\n  got  %s\n  want %s", _i,
		      got, run_cases[_i].want);
}
END_TEST

/* Each command's options resolve, names are unique, every command has
 * --help, and cli_parse has somewhere to store what it reads. */
START_TEST(tables)
{
	size_t n;
	const struct cli_command *c = cli_commands(&n);

	for (size_t i = 0; i <= n; i++) {
		const struct cli_command *cmd = i ? &c[i - 1] : cli_run_command();
		bool help = false;

		ck_assert_ptr_nonnull(cmd->options);
		ck_assert_ptr_nonnull(cmd->args);
		ck_assert_msg(!cmd->name || (cmd->summary && cmd->description), "%s", cmd->name);
		for (const struct cli_use *u = cmd->options; u->id; u++) {
			const struct cli_option *o = cli_option(u->id);

			ck_assert_ptr_nonnull(o);
			help |= u->id == CLI_OPT_HELP;
			for (const struct cli_use *v = u + 1; v->id; v++)
				ck_assert_msg(v->id != u->id, "%s: --%s twice", cmd->name, o->name);
			ck_assert_msg(!u->values || o->complete == CLI_COMP_WORDS, "--%s", o->name);
			ck_assert_msg(o->metavar || !o->values, "--%s", o->name);
			if (!cmd->name || u->refused || u->id == CLI_OPT_HELP || u->id == CLI_OPT_ALLOW ||
			    u->id == CLI_OPT_DENY || u->id == CLI_OPT_UNKNOWN_SYSCALLS)
				continue;
			ck_assert_msg(o->field != 0, "%s: nowhere to store --%s", cmd->name, o->name);
		}
		ck_assert_msg(help, "%s has no --help", cmd->name ? cmd->name : "the run");
	}
	for (int a = CLI_OPT_END + 1; a < CLI_OPT_COUNT; a++) {
		const struct cli_option *o = cli_option(a);

		ck_assert_ptr_nonnull(o);
		for (int b = a + 1; b < CLI_OPT_COUNT; b++) {
			ck_assert_str_ne(o->name, cli_option(b)->name);
			ck_assert_msg(!o->short_name || o->short_name != cli_option(b)->short_name,
				      "-%c twice", o->short_name);
		}
	}
}
END_TEST

/* COMMAND --help lists exactly the options COMMAND takes. */
START_TEST(help_lists_its_options)
{
	size_t n;
	const struct cli_command *c = cli_commands(&n);

	for (size_t i = 0; i <= n; i++) {
		const struct cli_command *cmd = i ? &c[i - 1] : cli_run_command();
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);

		ck_assert_int_eq(cli_help(out, cmd->name, cmd->sub), 0);
		fclose(out);
		for (int id = CLI_OPT_END + 1; id < CLI_OPT_COUNT; id++) {
			const struct cli_option *o = cli_option(id);
			const struct cli_use *u = cmd->options;
			char line[64];

			while (u->id && (int)u->id != id)
				u++;
			snprintf(line, sizeof(line), "%s--%s%s", o->short_name ? ", " : "      ", o->name,
				 o->metavar ? (o->optional_value ? "[=" : " ") : "");
			ck_assert_msg((strstr(text, line) != NULL) == (u->id && !u->refused),
				      "%s --help and --%s", cmd->name ? cmd->name : "seccomp-shim", o->name);
		}
		free(text);
	}
	ck_assert_int_eq(cli_help(stdout, "frob", NULL), -1);
	ck_assert_int_eq(cli_help(stdout, "oci", "frob"), -1);
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_loop_test(tc, parse, 0, sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_loop_test(tc, run_options, 0, sizeof(run_cases) / sizeof(run_cases[0]));
	tcase_add_test(tc, tables);
	tcase_add_test(tc, help_lists_its_options);
	suite_add_tcase(s, tc);
	return s;
}
