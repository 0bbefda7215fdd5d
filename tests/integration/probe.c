/* probe: makes one system call and says what came back.
 *
 *   probe [--trap] SYSCALL [ARG...]
 *
 * SYSCALL is a name (resolved for the native arch by libseccomp) or a
 * number. Prints "ok <ret>" or "errno <NAME>" and exits 0, so a caller sees
 * the filter's verdict; with --trap a SIGSYS handler reports "sigsys <nr>".
 * Arguments are numbers (0x.. allowed). Pointers are never passed, so an
 * allowed call fails harmlessly (EFAULT, EBADF) rather than doing anything. */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static void on_sigsys(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	printf("sigsys %d\n", info->si_syscall);
	fflush(stdout);
	_exit(0);
}

int main(int argc, char **argv)
{
	long args[6] = { 0 };
	int i = 1, nr;
	char *end;

	if (argc > 1 && strcmp(argv[1], "--trap") == 0) {
		struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		sigaction(SIGSYS, &sa, NULL);
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: probe [--trap] SYSCALL [ARG...]\n");
		return 2;
	}
	nr = (int)strtol(argv[i], &end, 0);
	if (*end) {
		nr = seccomp_syscall_resolve_name(argv[i]);
		if (nr < 0) {
			fprintf(stderr, "probe: unknown syscall %s\n", argv[i]);
			return 2;
		}
	}
	for (int a = 0; a < 6 && i + 1 + a < argc; a++)
		args[a] = (long)strtoull(argv[i + 1 + a], NULL, 0);
	errno = 0;
	long r = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
	if (r == -1) {
		const char *name = strerrorname_np(errno);
		printf("errno %s\n", name ? name : "?");
	} else {
		printf("ok %ld\n", r);
	}
	return 0;
}
