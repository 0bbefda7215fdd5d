/* bench/denials N [SIGNAL-US]: makes N calls a profile denies (mkdir of
 * a path that cannot exist) and prints the ns per call and how each
 * ended. With SIGNAL-US, a SIGALRM handler without SA_RESTART runs every
 * SIGNAL-US microseconds: under a supervised run, a signal that lands
 * while a denied call waits for the supervisor to take it ends that call
 * with EINTR (the kernel's rule), which the last columns count. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t signals;

static void on_alarm(int sig)
{
	(void)sig;
	signals++;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000, us = argc > 2 ? atol(argv[2]) : 0;
	long eperm = 0, eintr = 0, other = 0;
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	struct itimerval it = { { 0, us }, { 0, us } };
	struct timespec a, b;

	if (us > 0) {
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		long r = syscall(SYS_mkdir, "/nonexistent/seccomp-shim-bench", 0700);
		if (r < 0 && errno == EPERM)
			eperm++;
		else if (r < 0 && errno == EINTR)
			eintr++;
		else
			other++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f %ld %ld %ld %ld\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n,
	       eperm, eintr, other, (long)signals);
	return 0;
}
