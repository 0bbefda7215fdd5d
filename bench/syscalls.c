/* Nanoseconds per system call, for the filter benchmark: a call the
 * kernel can cache (getppid) and one the filter must run for each time
 * (personality(0xffffffff), argument-checked in runtime/default). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double ns_per_call(long nr, long arg, long n)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(nr, arg);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;

	printf("%.1f %.1f\n", ns_per_call(SYS_getppid, 0, n), ns_per_call(SYS_personality, 0xffffffff, n));
	return 0;
}
