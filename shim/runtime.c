/* runtime: seccomp-shim in front of an OCI runtime (seccomp-shim runtime,
 * or the seccomp-shim-runc link an engine takes as its runtime path),
 * applying the node policy (lib/admission.c); the hooks that apply it
 * too are shim/hook.c.
 *
 *   engine ─▶ seccomp-shim-runc [global flags] COMMAND [flags] [ARGS]
 *               create, run, restore: the bundle's config.json admitted
 *                            (edited, or refused: exit 125, the message on
 *                            stderr and in the runtime's --log)
 *               exec:        within maxCapabilities; in a container with
 *                            reporting, prefixed with the reporting shim too
 *               features:    the runtime's, with ours merged in
 *             ─▶ execv(the real runtime, the same arguments)
 *
 * MUST: every command, flag, stdio and exit status passes through: the
 * real runtime replaces this process (execv), except for features, whose
 * output is merged. Nothing but config.json (create, run, restore) and an
 * exec's process is ever changed, and those only as the policy says.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"
#include "diag.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define RUNTIME_DEFAULT "runc"

/* What the wrapper needs from runc's command line (runc's own flags:
 * runc --help, runc COMMAND --help). */
struct runtime_call {
	char **argv; /* the arguments after the runtime's name */
	int argc;
	int command; /* index of COMMAND in argv, or -1 */
	const char *log, *log_format; /* --log, --log-format */
};

/* Global flags that take a value, runc's and crun's (whose argp also
 * takes the value apart: "--cgroup-manager systemd"); any other flag
 * takes none. */
static const char *const global_value_flags[] = {
	"root", "log", "log-format", "criu", "rootless", "cgroup-manager", "log-level",
};
/* Flags of create, run, restore and exec that take a value. */
static const char *const command_value_flags[] = {
	"bundle", "b", "console-socket", "pid-file", "preserve-fds", "process", "p", "cwd", "env",
	"e", "user", "u", "additional-gids", "g", "process-label", "apparmor", "cap", "c", "cgroup",
	"image-path", "work-path", "manage-cgroups-mode", "empty-ns", "lsm-profile", "lsm-mount-context",
};

/* "--name", "-name", "--name=v", "-name=v" (as runc's flag parser takes
 * them): the name, and the value after = or NULL. */
static bool flag_name(const char *arg, char *name, size_t len, const char **value)
{
	const char *s = arg, *eq;

	if (s[0] != '-' || s[1] == '\0' || strcmp(s, "--") == 0)
		return false;
	s += s[1] == '-' ? 2 : 1;
	eq = strchr(s, '=');
	snprintf(name, len, "%.*s", (int)(eq ? (size_t)(eq - s) : strlen(s)), s);
	*value = eq ? eq + 1 : NULL;
	return true;
}

static bool takes_value(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* The value of a command's flag (either name), or NULL; *pos gets the
 * argument that holds it (the flag itself when written NAME=VALUE, then
 * *joined). Stops at the first argument that is not a flag: the
 * container's ID, whose index goes to *id_at (-1: none). */
static const char *command_flag(const struct runtime_call *c, const char *a, const char *b, int *pos,
				bool *joined, int *id_at)
{
	const char *found = NULL, *value;
	char name[64];

	*id_at = -1;
	for (int i = c->command + 1; i < c->argc; i++) {
		if (!flag_name(c->argv[i], name, sizeof(name), &value)) {
			*id_at = strcmp(c->argv[i], "--") == 0 ? i + 1 : i;
			break;
		}
		bool has_next = !value && takes_value(name, command_value_flags, ARRAY_SIZE(command_value_flags));
		if (strcmp(name, a) == 0 || (b && strcmp(name, b) == 0)) {
			found = value ? value : i + 1 < c->argc ? c->argv[i + 1] : NULL;
			*pos = value ? i : i + 1;
			*joined = value != NULL;
		}
		if (has_next)
			i++;
	}
	if (*id_at >= c->argc)
		*id_at = -1;
	return found;
}

/* The bundle of create, run and restore, as runc finds it: its flag
 * parser (urfave/cli) moves the command's flags before its arguments,
 * so "run ID --bundle X" runs X. Every argument up to a "--" that is no
 * flag's value is read; the last bundle flag wins. Spellings that runc
 * would read differently leave it more than its one argument, which it
 * refuses. NULL: none (the current directory). */
static const char *bundle_flag(const struct runtime_call *c)
{
	const char *found = NULL, *value;
	char name[64];

	for (int i = c->command + 1; i < c->argc && strcmp(c->argv[i], "--") != 0; i++) {
		if (!flag_name(c->argv[i], name, sizeof(name), &value))
			continue; /* the ID, wherever it is */
		bool is_bundle = strcmp(name, "bundle") == 0 || strcmp(name, "b") == 0;
		if (!value && takes_value(name, command_value_flags, ARRAY_SIZE(command_value_flags)) &&
		    i + 1 < c->argc)
			value = c->argv[++i];
		if (is_bundle)
			found = value;
	}
	return found;
}

static void parse_call(int argc, char **argv, struct runtime_call *c)
{
	const char *value;
	char name[64];

	memset(c, 0, sizeof(*c));
	c->argc = argc;
	c->argv = argv;
	c->command = -1;
	for (int i = 0; i < argc; i++) {
		if (!flag_name(argv[i], name, sizeof(name), &value)) {
			c->command = strcmp(argv[i], "--") == 0 ? (i + 1 < argc ? i + 1 : -1) : i;
			return;
		}
		if (!value && takes_value(name, global_value_flags, ARRAY_SIZE(global_value_flags)) &&
		    i + 1 < argc)
			value = argv[++i];
		if (strcmp(name, "log") == 0)
			c->log = value;
		else if (strcmp(name, "log-format") == 0)
			c->log_format = value;
	}
}

static const char *command_name(const struct runtime_call *c)
{
	return c->command >= 0 ? c->argv[c->command] : "";
}

/* A refusal goes where the engine looks: stderr, and runc's --log (read
 * back by containerd and conmon when a create fails), in its format. */
int runtime_refuse(const struct runtime_call *c, const char *fmt, ...)
{
	char msg[2048], when[64];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;
	FILE *log;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "seccomp-shim: %s\n", msg);
	if (!c || !c->log || !(log = fopen(c->log, "ae")))
		return SHIM_EXIT_FAILURE;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	if (c->log_format && strcmp(c->log_format, "json") == 0) {
		json_t *line = json_pack("{s:s, s:s, s:s}", "level", "error", "msg", msg, "time", when);
		char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
		fprintf(log, "%s\n", text ? text : "");
		free(text);
		json_decref(line);
	} else {
		fprintf(log, "time=\"%s\" level=error msg=\"seccomp-shim: %s\"\n", when, msg);
	}
	fclose(log);
	return SHIM_EXIT_FAILURE;
}

/* Whether path is this very program (a runc link to us must not loop). */
static bool is_self(const char *path)
{
	struct stat a, b;

	return stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* The real runtime: a path as given, else a name searched in PATH and
 * then the usual directories (an engine's PATH may lack /usr/sbin). */
static int find_runtime(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char dirs[8192];

	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return access(out, X_OK) == 0 && !is_self(out) ? 0 : -1;
	}
	snprintf(dirs, sizeof(dirs), "%s%s/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		 path ? path : "", path ? ":" : "");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", d, name);
		if (d[0] == '/' && access(out, X_OK) == 0 && !is_self(out))
			return 0;
	}
	return -1;
}

int runtime_load_policy(const char *named, struct shim_node_policy *pol, struct shim_error *err)
{
	const char *env = getenv("SECCOMP_SHIM_POLICY");

	if (named)
		return shim_node_policy_load(named, true, pol, err);
	if (env && *env)
		return shim_node_policy_load(env, true, pol, err);
	return shim_node_policy_load(SHIM_POLICY_DEFAULT_PATH, false, pol, err);
}

/* The static shim reporting mounts: the policy's, else the one make
 * install puts beside this program. */
static const char *static_shim(const struct shim_node_policy *pol, char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n;

	if (pol->shim)
		return pol->shim;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash && strcmp(slash + 1, "seccomp-shim-static") == 0)
		return snprintf(buf, len, "%s", self) < (int)len ? buf : NULL;
	snprintf(buf, len, "%.*s/seccomp-shim-static", (int)(slash ? slash - self : 0), self);
	return access(buf, R_OK) == 0 ? buf : NULL;
}

void runtime_print_notes(const struct shim_warnings *notes)
{
	for (size_t i = 0; i < notes->n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", notes->v[i].message);
}

/* The request every admission makes: this machine, the static shim. */
int runtime_request(const struct shim_node_policy *pol, struct shim_host *host, char *shim_buf,
		   size_t len, struct shim_admission_request *rq, struct shim_error *err)
{
	memset(rq, 0, sizeof(*rq));
	rq->policy = pol;
	rq->host = host;
	rq->shim_path = static_shim(pol, shim_buf, len);
	return shim_host_detect(host, err);
}

/* create, run, restore: BUNDLE/config.json admitted (the bundle flag in
 * any of runc's spellings and places; none: the current directory). */
static int admit_bundle(const struct runtime_call *c, const struct shim_node_policy *pol)
{
	struct shim_error err = { 0 };
	struct shim_admission adm = { 0 };
	struct shim_admission_request rq;
	struct shim_host host;
	char shim_buf[PATH_MAX];
	int r;

	r = runtime_request(pol, &host, shim_buf, sizeof(shim_buf), &rq, &err);
	rq.bundle = bundle_flag(c);
	if (!rq.bundle)
		rq.bundle = ".";
	if (r == 0)
		r = shim_admit_bundle(&rq, &adm, &err);
	runtime_print_notes(&adm.notes);
	shim_admission_free(&adm);
	return r < 0 ? runtime_refuse(c, "%s", diag_error_text(&err)) : 0;
}

/* runtime [global flags] COMMAND ...: its stdout, and its exit status. */
static int capture(const char *runtime, const struct runtime_call *c, const char *const *cmd,
		   char **out, size_t *len)
{
	int fds[2], status, r;
	pid_t pid;
	char **argv = calloc((size_t)c->argc + 8, sizeof(*argv));
	int n = 0;

	if (!argv || pipe2(fds, O_CLOEXEC) < 0) {
		free(argv);
		return -1;
	}
	argv[n++] = (char *)runtime;
	for (int i = 0; i < (c->command >= 0 ? c->command : c->argc); i++)
		argv[n++] = c->argv[i];
	for (size_t i = 0; cmd[i]; i++)
		argv[n++] = (char *)cmd[i];
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execv(runtime, argv);
		_exit(127);
	}
	free(argv);
	close(fds[1]);
	r = pid < 0 ? -1 : shim_read_all(fds[0], 4096, RUNTIME_STATE_MAX, out, len);
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	if (r < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The capabilities exec's own flags (before the ID) add (--cap, -c). */
static size_t exec_added_caps(const struct runtime_call *c, int id_at, char **caps, size_t max)
{
	const char *value;
	char name[64];
	size_t n = 0;

	for (int i = c->command + 1; i < id_at; i++) {
		if (!flag_name(c->argv[i], name, sizeof(name), &value))
			continue;
		if (!value && takes_value(name, command_value_flags, ARRAY_SIZE(command_value_flags)) &&
		    i + 1 < id_at)
			value = c->argv[++i];
		if ((strcmp(name, "cap") == 0 || strcmp(name, "c") == 0) && value && n < max)
			caps[n++] = (char *)value;
	}
	return n;
}

/* Whether exec's own flags add CAP_SYS_PTRACE, with which the process
 * could take over the reporting supervisor. */
static bool exec_adds_ptrace(const struct runtime_call *c, int id_at)
{
	char *caps[64];
	size_t n = exec_added_caps(c, id_at, caps, ARRAY_SIZE(caps));

	for (size_t i = 0; i < n; i++)
		if (strcasecmp(caps[i], "CAP_SYS_PTRACE") == 0)
			return true;
	return false;
}

/* exec: within the policy's maxCapabilities, like the container. */
static int admit_exec(const struct runtime_call *c, const struct shim_node_policy *pol)
{
	struct shim_error err = { 0 };
	char *caps[64];
	int pos, id_at;
	bool joined;
	const char *file = command_flag(c, "process", "p", &pos, &joined, &id_at);
	size_t n = exec_added_caps(c, id_at < 0 ? c->argc : id_at, caps, ARRAY_SIZE(caps));

	if (shim_exec_admit(pol, file, caps, n, &err) < 0)
		return runtime_refuse(c, "exec: %s", diag_error_text(&err));
	return 0;
}

/* exec into a container whose process reports its denials: the new
 * process starts under the same reporting shim (the container has no
 * linux.seccomp: without it, it would run unconfined). A --process file
 * becomes a memfd with the prefixed process, left open across execv on
 * purpose (/proc/self/fd/N): nothing is left on disk. */
static int prefix_exec(const char *runtime, const struct runtime_call *c, char ***argv_out)
{
	static char fd_arg[64];
	const char *state_cmd[4] = { "state", "--", NULL, NULL }; /* an ID may begin with - */
	struct shim_argv prefix = { 0 };
	struct shim_error err = { 0 };
	struct shim_text proc = { 0 };
	char *state = NULL, **argv;
	size_t len = 0;
	int pos = -1, id_at, n = 0, fd, r;
	bool joined = false;
	const char *file = command_flag(c, "process", "p", &pos, &joined, &id_at);

	if (id_at < 0)
		return 0; /* no container named: exec says so itself */
	state_cmd[2] = c->argv[id_at];
	/* Without the state, whether the container reports is unknown: an
	 * exec not prefixed there would run with no filter at all. */
	errno = 0;
	r = capture(runtime, c, state_cmd, &state, &len);
	if (r != 0) {
		free(state);
		return runtime_refuse(c, "exec: cannot read the state of container %s (%s state: %s), so whether an exec into it must start under the reporting shim is unknown: nothing is run",
			      c->argv[id_at], runtime, r < 0 ? strerror(errno ? errno : EIO) : "failed");
	}
	r = shim_state_report_prefix(state, len, &prefix, &err);
	free(state);
	if (r <= 0)
		return r < 0 ? runtime_refuse(c, "exec: %s", diag_error_text(&err)) : 0;
	if (exec_adds_ptrace(c, id_at)) {
		shim_argv_free(&prefix);
		return runtime_refuse(c, "exec --cap CAP_SYS_PTRACE: container %s reports its denials, and with CAP_SYS_PTRACE the process could take over the reporting supervisor",
			      c->argv[id_at]);
	}
	if (file) {
		if (shim_process_prefixed(file, &prefix, &proc, &err) < 0 ||
		    (fd = memfd_create("seccomp-shim-process", 0)) < 0 ||
		    write(fd, proc.s, proc.len) != (ssize_t)proc.len) {
			shim_text_free(&proc);
			shim_argv_free(&prefix);
			return runtime_refuse(c, "exec: the container reports its denials, and an exec into it must too: %s",
				      err.msg[0] ? diag_error_text(&err) : strerror(errno));
		}
		shim_text_free(&proc);
		snprintf(fd_arg, sizeof(fd_arg), "%s/proc/self/fd/%d", joined ? "--process=" : "", fd);
	}
	argv = calloc((size_t)c->argc + prefix.n + 2, sizeof(*argv));
	if (!argv) {
		shim_argv_free(&prefix);
		return runtime_refuse(c, "exec: out of memory");
	}
	argv[n++] = (char *)runtime;
	for (int a = 0; a < c->argc; a++) {
		argv[n++] = file && a == pos ? fd_arg : c->argv[a];
		for (size_t i = 0; !file && a == id_at && i < prefix.n; i++)
			argv[n++] = prefix.v[i]; /* kept until execv: not freed */
	}
	*argv_out = argv;
	return 0;
}

/* features: the runtime's document with seccomp-shim's merged in; when
 * the runtime fails, its own run says why (the caller execs it). */
static int merged_features(const char *runtime, const struct runtime_call *c)
{
	const char *cmd[] = { "features", NULL };
	struct shim_error err = { 0 };
	struct shim_text merged = { 0 };
	char *text = NULL;
	size_t len = 0;
	int r = capture(runtime, c, cmd, &text, &len);

	if (r != 0) {
		free(text);
		return -1;
	}
	r = shim_features_merge(text, len, &merged, &err);
	free(text);
	if (r < 0)
		return runtime_refuse(c, "features: %s", diag_error_text(&err));
	fwrite(merged.s, 1, merged.len, stdout);
	shim_text_free(&merged);
	return fflush(stdout) == 0 ? 0 : SHIM_EXIT_FAILURE;
}

int runtime_main(int argc, char **argv, const char *policy_file)
{
	struct shim_node_policy pol;
	struct shim_error err = { 0 };
	struct runtime_call c;
	char runtime[PATH_MAX], **run_argv = NULL;
	const char *cmd;
	int r = 0;

	parse_call(argc, argv, &c);
	cmd = command_name(&c);
	if (runtime_load_policy(policy_file, &pol, &err) < 0)
		return runtime_refuse(&c, "%s", diag_error_text(&err));
	if (find_runtime(pol.runtime ? pol.runtime : RUNTIME_DEFAULT, runtime, sizeof(runtime)) < 0) {
		r = runtime_refuse(&c, "cannot find the runtime %s (a path, or a name looked up in PATH and /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin, never seccomp-shim itself): set \"runtime\" in %s",
			   pol.runtime ? pol.runtime : RUNTIME_DEFAULT, pol.file ? pol.file : SHIM_POLICY_DEFAULT_PATH);
		shim_node_policy_free(&pol);
		return r;
	}
	/* restore makes a container from the bundle's config.json too. */
	if (strcmp(cmd, "create") == 0 || strcmp(cmd, "run") == 0 || strcmp(cmd, "restore") == 0) {
		r = admit_bundle(&c, &pol);
	} else if (strcmp(cmd, "exec") == 0) {
		r = admit_exec(&c, &pol);
		if (r == 0)
			r = prefix_exec(runtime, &c, &run_argv);
	} else if (strcmp(cmd, "features") == 0) {
		/* Merged and printed: done. Else the runtime's own run says why. */
		if ((r = merged_features(runtime, &c)) >= 0) {
			shim_node_policy_free(&pol);
			return r;
		}
		r = 0;
	}
	shim_node_policy_free(&pol);
	if (r != 0)
		return r;
	if (!run_argv) {
		run_argv = calloc((size_t)argc + 2, sizeof(*run_argv));
		if (!run_argv)
			return runtime_refuse(&c, "out of memory");
		run_argv[0] = runtime;
		memcpy(run_argv + 1, argv, (size_t)argc * sizeof(*argv));
	}
	execv(runtime, run_argv);
	r = runtime_refuse(&c, "cannot run %s: %s", runtime, strerror(errno));
	free(run_argv);
	return r;
}

int runtime_cli(int argc, char **argv)
{
	const char *policy = NULL;
	int i = 0;

	if (i < argc && strncmp(argv[i], "--policy=", 9) == 0)
		policy = argv[i++] + 9;
	else if (i + 1 < argc && strcmp(argv[i], "--policy") == 0)
		policy = argv[(i += 2) - 1];
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc || (policy && !*policy))
		return runtime_refuse(NULL, "runtime: %s (seccomp-shim runtime [--policy FILE] RUNTIME-ARGS...)",
			      i >= argc ? "no runtime arguments given" : "--policy: empty");
	return runtime_main(argc - i, argv + i, policy);
}
