/* apply: the privilege sequence, in the order HACKING.md gives.
 *
 *   (PATH lookup, done by the caller) -> capability sets -> no_new_privs
 *   -> seccomp(2) -> execve
 *
 * MUST: nothing that can fail runs after the filter is loaded except
 * execve itself; every step's result is checked and read back; on any
 * failure the target does not run. Before loading, the filter is run in
 * our interpreter on the exact execve we are about to make: a profile that
 * blocks it is refused with a message instead of "Operation not permitted";
 * and, for a dynamically linked target, on the dynamic loader's first
 * mmap: without it the loader dies with SIGSEGV before the program runs.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <grp.h>
#include <sys/wait.h>
#include <linux/seccomp.h>

#include "internal.h"

#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

static int classify_exec_error(int e)
{
	return e == ENOENT || e == ENOTDIR ? SHIM_EXIT_NOTFOUND : SHIM_EXIT_NOEXEC;
}

/* 0: path can be run; -EACCES: it exists and cannot; -EPERM (only
 * here): a directory on the way cannot be searched, so whether it exists
 * is unknown (execvp says EACCES for both). */
static int check_candidate(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == EACCES ? -EPERM : -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return -EACCES;
	return 0;
}

static int found(const char *path, char **out, struct shim_error *err)
{
	*out = strdup(path);
	if (!*out) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	return 0;
}

int shim_find_program(const char *name, const char *path_env, char **out,
		      struct shim_error *err)
{
	bool not_executable = false, unsearchable = false;
	const char *dir;

	if (name[0] == '\0') {
		shim_error_set(err, ENOENT, "the command is an empty string");
		err->exit_code = SHIM_EXIT_NOTFOUND;
		return -1;
	}
	if (strchr(name, '/')) {
		int r = check_candidate(name);
		if (r == 0)
			return found(name, out, err);
		if (r == -EPERM)
			r = -EACCES;
		shim_error_set(err, -r, "%s: %s", name, strerror(-r));
		err->exit_code = classify_exec_error(-r);
		return -1;
	}
	if (!path_env)
		path_env = DEFAULT_PATH;
	for (dir = path_env;; dir += strcspn(dir, ":") + 1) {
		size_t len = strcspn(dir, ":");
		char cand[4096];
		int r;

		/* An empty element means the current directory, as in execvp. */
		if (snprintf(cand, sizeof(cand), "%.*s/%s", len ? (int)len : 1,
			     len ? dir : ".", name) < (int)sizeof(cand)) {
			r = check_candidate(cand);
			if (r == 0)
				return found(cand, out, err);
			not_executable |= r == -EACCES;
			unsearchable |= r == -EPERM;
		}
		if (dir[len] == '\0')
			break;
	}
	if (not_executable) {
		shim_error_set(err, EACCES, "%s: found in PATH but not executable", name);
		err->exit_code = SHIM_EXIT_NOEXEC;
	} else if (unsearchable) {
		/* 126, as execvp's EACCES, though nothing was seen. */
		shim_error_set(err, EACCES,
			       "%s: not found in the PATH directories that could be searched; some could not (Permission denied): %s",
			       name, path_env);
		err->exit_code = SHIM_EXIT_NOEXEC;
	} else {
		shim_error_set(err, ENOENT, "%s: command not found in PATH (%s)", name, path_env);
		err->exit_code = SHIM_EXIT_NOTFOUND;
	}
	return -1;
}

/* What the lookup in the child sends back. */
struct lookup_result {
	int rc, code, exit_code;
	char text[4096]; /* the path, or the message */
};

static void lookup_as_target(const char *name, const char *path_env,
			     const struct shim_identity *id, int fd)
{
	struct lookup_result r = { 0 };
	struct shim_error e = { 0 };
	char *path = NULL;

	if ((id->set_groups && setgroups(id->n_groups, (const gid_t *)id->groups) < 0) ||
	    setresgid(id->gid, id->gid, id->gid) < 0 || setresuid(id->uid, id->uid, id->uid) < 0)
		_exit(1);
	r.rc = shim_find_program(name, path_env, &path, &e);
	r.code = e.code;
	r.exit_code = e.exit_code;
	snprintf(r.text, sizeof(r.text), "%s", r.rc == 0 ? path : e.msg);
	_exit(write(fd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
}

int shim_find_program_as(const char *name, const char *path_env,
			 const struct shim_identity *id, char **out, struct shim_error *err)
{
	struct lookup_result r;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	/* A name with a slash is not searched for (execvp(3)): whether the
	 * target may run it, its own execve says, without a fork here. */
	if (!id || !id->switch_user || strchr(name, '/'))
		return shim_find_program(name, path_env, out, err);
	/* execvp as the target would skip what the target cannot search or
	 * execute (a caller's root-only directory early in PATH): look it up
	 * in a child that already holds the target's ids, as runc does after
	 * its user switch. */
	if (pipe2(fds, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		shim_error_set(err, errno, "cannot look %s up in PATH as the target user: %s", name,
			       strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		lookup_as_target(name, path_env, id, fds[1]);
	}
	close(fds[1]);
	n = read(fds[0], &r, sizeof(r));
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* The child could not take the ids (the switch itself will fail and
	 * say why): look up as we are. */
	if (n != (ssize_t)sizeof(r))
		return shim_find_program(name, path_env, out, err);
	r.text[sizeof(r.text) - 1] = '\0';
	if (r.rc == 0) {
		*out = strdup(r.text);
		if (*out)
			return 0;
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	shim_error_set(err, r.code, "%s", r.text);
	err->exit_code = r.exit_code;
	return -1;
}

/* Whether f lets one native call through (ALLOW or LOG): 1 yes, 0 no
 * (ret holds the verdict), -1 the interpreter failed. */
static int native_call_passes(const struct shim_filter *f, int nr, const uint64_t args[6],
			      uint32_t *ret, struct shim_error *err)
{
	const struct shim_arch_info *native = shim_arch_native();
	struct shim_seccomp_data d = { .nr = nr, .arch = native ? native->token : 0 };

	memcpy(d.args, args, sizeof(d.args));
	if (shim_bpf_run(f->insns, f->n_insns, &d, ret, err) < 0)
		return -1;
	return (*ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW ||
	       (*ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG;
}

int shim_filter_check_execve(const struct shim_filter *f, const char *path,
			     char *const *argv, char *const *envp,
			     struct shim_error *err)
{
	const uint64_t args[6] = { (uintptr_t)path, (uintptr_t)argv, (uintptr_t)envp };
	uint32_t ret;
	char verdict[64];
	int r = native_call_passes(f, SYS_execve, args, &ret, err);

	if (r != 0)
		return r < 0 ? -1 : 0;
	shim_bpf_ret_format(ret, verdict, sizeof(verdict));
	shim_error_set(err, EPERM, "the profile blocks execve (it gets %s), so %s could never start: allow \"execve\" in the profile",
		       verdict, path);
	return -1;
}

static int elf_interp(int fd, char *interp, size_t len)
{
#if UINTPTR_MAX > 0xffffffffu
	typedef Elf64_Ehdr Ehdr;
	typedef Elf64_Phdr Phdr;
	const unsigned char klass = ELFCLASS64;
#else
	typedef Elf32_Ehdr Ehdr;
	typedef Elf32_Phdr Phdr;
	const unsigned char klass = ELFCLASS32;
#endif
	Ehdr eh;
	Phdr ph;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != klass ||
	    eh.e_phentsize != sizeof(ph) || eh.e_phnum > 256)
		return 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * sizeof(ph))) !=
		    (ssize_t)sizeof(ph))
			return 0;
		if (ph.p_type != PT_INTERP)
			continue;
		size_t n = ph.p_filesz < len ? (size_t)ph.p_filesz : len - 1;
		ssize_t got = pread(fd, interp, n, (off_t)ph.p_offset);
		if (got <= 0)
			return 0;
		interp[got] = '\0';
		return 1;
	}
	return 0;
}

/* What execve of path ends up running: the program, or the interpreter
 * of a #! script (one level, as the kernel's usual case). */
static int target_interp(const char *path, char *interp, size_t len)
{
	char line[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), r = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	n = pread(fd, line, sizeof(line) - 1, 0);
	if (n > 2 && line[0] == '#' && line[1] == '!') {
		line[n] = '\0';
		char *p = line + 2 + strspn(line + 2, " \t");
		p[strcspn(p, " \t\n")] = '\0';
		close(fd);
		fd = *p == '/' ? open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) : -1;
		if (fd < 0)
			return 0;
	}
	r = elf_interp(fd, interp, len);
	close(fd);
	return r;
}

int shim_filter_check_loader(const struct shim_filter *f, const char *path,
			     struct shim_error *err)
{
#ifdef SYS_mmap2
	const char *call = "mmap2";
	const int nr = SYS_mmap2;
#else
	const char *call = "mmap";
	const int nr = SYS_mmap;
#endif
	/* ld.so's first call for memory: mmap(NULL, 8192, PROT_READ |
	 * PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0). */
	const uint64_t args[6] = { 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   (uint64_t)-1, 0 };
	char interp[256], verdict[64];
	uint32_t ret;
	int r;

	if (!target_interp(path, interp, sizeof(interp)))
		return 0;
	r = native_call_passes(f, nr, args, &ret, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	shim_bpf_ret_format(ret, verdict, sizeof(verdict));
	shim_error_set(err, EPERM, "the profile blocks %s (it gets %s), which the dynamic loader of %s (%s) needs before the program starts: it would die with SIGSEGV. Allow \"%s\" in the profile",
		       call, verdict, path, interp, call);
	return -1;
}

/* extra: flags a supervised run adds (NEW_LISTENER); the listener
 * seccomp(2) returns with it is published in link at once, before any
 * other system call: the filter may notify that call, and only the
 * supervisor, once it holds the listener, can answer it. */
static int load_program(const struct shim_filter *f, unsigned extra,
			struct shim_child_link *link, struct shim_error *err)
{
	struct sock_fprog prog = { (unsigned short)f->n_insns, f->insns };
	long rc;

	/* Flags were checked against the kernel in shim_resolve. */
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags | extra, &prog);
	if (rc >= 0) {
		if (link) {
			link->fd = (int)rc;
			__atomic_store_n(&link->state, SHIM_LINK_LOADED, __ATOMIC_RELEASE);
		}
		return 0;
	}
	/* Without seccomp(2) (kernels before 3.17, and valgrind, which does
	 * not emulate it), prctl loads the same program when no flag is
	 * needed, as libseccomp does. */
	if (errno == ENOSYS && f->flags == 0 && extra == 0 &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0)
		return 0;
	if (errno == EBUSY && (extra & SECCOMP_FILTER_FLAG_NEW_LISTENER)) {
		shim_error_set(err, EBUSY, "a seccomp listener already exists for this process (seccomp-shim record, --report or a runtime's SCMP_ACT_NOTIFY agent, one per process tree): a supervised run needs its own; run it outside that supervisor, or without --report and --complain");
		return -1;
	}
	shim_error_set(err, errno, "the kernel refused the filter (seccomp(SECCOMP_SET_MODE_FILTER), flags %#x): %s",
		       f->flags, strerror(errno));
	return -1;
}

/* Seccomp_filters from /proc/self/status, read with one pread (the only
 * call made after the filter is in): -1 if it cannot be read. */
static int count_filters(int status_fd)
{
	char buf[4096];
	ssize_t n = status_fd >= 0 ? pread(status_fd, buf, sizeof(buf) - 1, 0) : -1;
	const char *field;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	field = strstr(buf, "\nSeccomp_filters:");
	return field ? atoi(field + strlen("\nSeccomp_filters:")) : -1;
}

/* Whether the filter lets the read-back's pread through. */
static bool allows_readback(const struct shim_filter *f, int status_fd)
{
	const uint64_t args[6] = { (uint64_t)status_fd };
	uint32_t ret;

	return native_call_passes(f, SYS_pread64, args, &ret, NULL) == 1;
}

int shim_filter_load(const struct shim_filter *f, struct shim_error *err)
{
	return shim_filter_load_listener(f, 0, NULL, err);
}

int shim_filter_load_listener(const struct shim_filter *f, unsigned extra,
			      struct shim_child_link *link, struct shim_error *err)
{
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	int before = count_filters(fd), after;
	bool outer = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0;

	/* An outer filter can answer seccomp() with 0 without loading
	 * anything: then count the filters again, afterwards. With no outer
	 * filter, the kernel's own answer is the truth. */
	if (outer && (before < 0 || !allows_readback(f, fd))) {
		shim_error_set(err, EPERM, "%s, so it could not be checked that the filter really is loaded: %s",
			       "seccomp-shim already runs under a seccomp filter",
			       before < 0 ? "/proc/self/status cannot be read (mount /proc)"
					  : "the profile does not allow pread64, which the check needs");
		goto fail;
	}
	if (load_program(f, extra, link, err) < 0)
		goto fail;
	/* The filter is in: no call but the read-back's pread (checked above
	 * to be allowed) until execve. fd stays open: it is O_CLOEXEC, and a
	 * profile that kills close(2) must not kill the shim. */
	after = outer ? count_filters(fd) : before + 1;
	if (after != before + 1) {
		shim_error_set(err, EPERM, "the filter did not take effect: Seccomp_filters is %d after loading it, %d before (an outer seccomp filter answered seccomp() without loading it)",
			       after, before);
		return -1;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

int shim_exec_confined(const struct shim_exec_plan *plan, struct shim_error *err)
{
	/* (A supervised run checks the profile's own program before it
	 * forks: lib/supervise.c.) */
	if (plan->filter && !plan->supervised &&
	    (shim_filter_check_execve(plan->filter, plan->path, plan->argv, plan->envp, err) < 0 ||
	     shim_filter_check_loader(plan->filter, plan->path, err) < 0))
		return -1;
	if (shim_privileges_apply(plan->identity, plan->change_caps, plan->bounding_caps,
				  plan->held_caps, err) < 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		shim_error_set(err, errno, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	if (nnp != 1) {
		shim_error_set(err, EPERM, "no_new_privs did not stick (PR_GET_NO_NEW_PRIVS gives %d)", nnp);
		return -1;
	}
	/* A supervised child loads its filter and hands its listener over
	 * in lib/supervise.c, with no system call but seccomp(2) and those
	 * the filter allows. */
	if (plan->supervised ? shim_child_link_load(plan, err) < 0
			     : plan->filter && shim_filter_load(plan->filter, err) < 0)
		return -1;
	/* From here on only execve: the filter is in place. */
	execve(plan->path, plan->argv, plan->envp);
	shim_error_set(err, errno, "cannot execute %s: %s", plan->path, strerror(errno));
	err->exit_code = classify_exec_error(err->code);
	return -1;
}
