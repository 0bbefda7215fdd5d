/* fault.so: LD_PRELOAD over libc that makes one step of the shim's
 * privilege sequence fail, for tests that the target then never runs.
 * SECCOMP_SHIM_FAULT names the step:
 *   bounding   prctl(PR_CAPBSET_DROP) fails with EPERM
 *   keepcaps   prctl(PR_SET_KEEPCAPS) fails with EINVAL
 *   setgroups, setresgid, setresuid   fail with EPERM
 *   capset     capset(2) fails with EPERM
 *   capset-ignored   capset(2) says success but changes nothing
 *   ambient    prctl(PR_CAP_AMBIENT_RAISE) fails with EPERM
 *   nnp        prctl(PR_SET_NO_NEW_PRIVS) fails with EINVAL
 *   nnp-ignored      prctl(PR_SET_NO_NEW_PRIVS) says success, does nothing
 *   load       seccomp(SECCOMP_SET_MODE_FILTER) with a program fails (EINVAL)
 *   exec       execve fails with EACCES
 * Only the first call of the step fails; then the library stays out of the
 * way, so a target that loads it too is not affected. */
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>

static int fault_now(const char *step)
{
	static int fired;
	const char *want = getenv("SECCOMP_SHIM_FAULT");

	if (fired || !want || strcmp(want, step) != 0)
		return 0;
	fired = 1;
	return 1;
}

static void *next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f)
		abort();
	return f;
}

static int fail(int e)
{
	errno = e;
	return -1;
}

int prctl(int option, ...)
{
	static int (*real)(int, unsigned long, unsigned long, unsigned long, unsigned long);
	unsigned long a[4];
	va_list ap;

	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (!real)
		real = next("prctl");
	if (option == PR_CAPBSET_DROP && fault_now("bounding"))
		return fail(EPERM);
	if (option == PR_SET_KEEPCAPS && a[0] == 1 && fault_now("keepcaps"))
		return fail(EINVAL);
	if (option == PR_CAP_AMBIENT && a[0] == PR_CAP_AMBIENT_RAISE && fault_now("ambient"))
		return fail(EPERM);
	if (option == PR_SET_NO_NEW_PRIVS && fault_now("nnp"))
		return fail(EINVAL);
	if (option == PR_SET_NO_NEW_PRIVS && fault_now("nnp-ignored"))
		return 0;
	return real(option, a[0], a[1], a[2], a[3]);
}

long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real)
		real = next("syscall");
	if (nr == SYS_capset && fault_now("capset"))
		return fail(EPERM);
	if (nr == SYS_capset && fault_now("capset-ignored"))
		return 0;
	/* A NULL program is the shim's flag probe, not the load. */
	if (nr == SYS_seccomp && a[0] == SECCOMP_SET_MODE_FILTER && a[2] && fault_now("load"))
		return fail(EINVAL);
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int setgroups(size_t n, const gid_t *list)
{
	static int (*real)(size_t, const gid_t *);

	if (!real)
		real = next("setgroups");
	return fault_now("setgroups") ? fail(EPERM) : real(n, list);
}

int setresgid(gid_t r, gid_t e, gid_t s)
{
	static int (*real)(gid_t, gid_t, gid_t);

	if (!real)
		real = next("setresgid");
	return fault_now("setresgid") ? fail(EPERM) : real(r, e, s);
}

int setresuid(uid_t r, uid_t e, uid_t s)
{
	static int (*real)(uid_t, uid_t, uid_t);

	if (!real)
		real = next("setresuid");
	return fault_now("setresuid") ? fail(EPERM) : real(r, e, s);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	static int (*real)(const char *, char *const[], char *const[]);

	if (!real)
		real = next("execve");
	return fault_now("exec") ? fail(EACCES) : real(path, argv, envp);
}
