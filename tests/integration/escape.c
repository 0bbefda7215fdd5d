/* escape: what a confined program tries in order to get out. Each
 * subcommand makes one attempt and prints "ok" or "errno NAME"; the test
 * compares that with what the kernel must answer. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

static int report(long r)
{
	if (r < 0)
		printf("errno %s\n", strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	else
		printf("ok %ld\n", r);
	return 0;
}

/* Tries to put cap back into the permitted and effective sets. */
static long capset_raise(int cap)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	data[cap / 32].permitted |= 1u << (cap % 32);
	data[cap / 32].effective |= 1u << (cap % 32);
	return syscall(SYS_capset, &hdr, data);
}

/* Stacks a filter that allows everything: filters only ever add up. */
static long seccomp_allow_all(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

#if defined(__x86_64__)
/* The i386 entry point: eax holds an i386 syscall number. */
static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* i386 socketcall(SYS_SOCKET, {family, type, 0}): the three arguments sit
 * in memory (below 4 GiB, where i386 pointers reach), out of BPF's sight. */
static long int80_socket(long family, long type)
{
	uint32_t *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (args == MAP_FAILED)
		return -1;
	args[0] = (uint32_t)family;
	args[1] = (uint32_t)type;
	args[2] = 0;
	return int80(102 /* socketcall */, 1 /* SYS_SOCKET */, (long)(uintptr_t)args, 0);
}

/* An i386 call with up to five plain numbers in ebx, ecx, edx, esi, edi. */
static long int80_args(long nr, const long a[5])
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
			 : "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
#endif

/* personality(value) as a raw 64-bit argument, then what the kernel set:
 * it reads the low 32 bits only. */
static int personality_set(unsigned long value)
{
	long r = syscall(SYS_personality, value);

	if (r < 0)
		return report(r);
	printf("ok now %#lx\n", syscall(SYS_personality, 0xffffffffUL));
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	long arg = argc > 2 ? strtol(argv[2], NULL, 0) : 0;
	unsigned long uarg = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (strcmp(what, "capset-raise") == 0)
		return report(capset_raise((int)arg));
	if (strcmp(what, "ambient-raise") == 0)
		return report(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, arg, 0, 0));
	if (strcmp(what, "setuid0") == 0)
		return report(setresuid(0, 0, 0));
	if (strcmp(what, "ids") == 0) {
		uid_t r, e, s;
		getresuid(&r, &e, &s);
		printf("uid %u euid %u suid %u\n", r, e, s);
		return 0;
	}
	if (strcmp(what, "nnp-clear") == 0)
		return report(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
	if (strcmp(what, "listener") == 0) {
		/* A program that wants to be its own seccomp agent. */
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog prog = { 1, &allow };
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		return report(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				      SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog));
	}
	if (strcmp(what, "seccomp-off") == 0)
		return report(prctl(PR_SET_SECCOMP, SECCOMP_MODE_DISABLED, 0, 0, 0));
	if (strcmp(what, "seccomp-allow-all-then-mkdir") == 0) {
		printf("stacked: ");
		report(seccomp_allow_all());
		printf("mkdir: ");
		return report(syscall(SYS_mkdir, argc > 2 ? argv[2] : "", 0700));
	}
	if (strcmp(what, "personality") == 0)
		return personality_set(uarg);
#if defined(__x86_64__)
	if (strcmp(what, "int80-socket") == 0)
		return report(int80_socket(arg, argc > 3 ? strtol(argv[3], NULL, 0) : 1));
	if (strcmp(what, "int80-socket-direct") == 0) /* i386 socket(2), number 359 */
		return report(int80(359, arg, argc > 3 ? strtol(argv[3], NULL, 0) : 1, 0));
	if (strcmp(what, "int80") == 0) {
		/* i386 calls see 32-bit pointers: the path goes below 4 GiB. */
		char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (low == MAP_FAILED)
			return report(-1);
		snprintf(low, 4096, "%s", argc > 3 ? argv[3] : "");
		return report(int80(arg, argc > 3 ? (long)(uintptr_t)low : 0, 0700, 0));
	}
	if (strcmp(what, "int80-args") == 0) {
		long a[5] = { 0 };
		for (int i = 0; i < 5 && i + 3 < argc; i++)
			a[i] = (long)strtoull(argv[i + 3], NULL, 0);
		return report(int80_args(arg, a));
	}
#endif
	fprintf(stderr, "usage: escape capset-raise CAP | ambient-raise CAP | setuid0 | ids | nnp-clear | seccomp-off | listener | seccomp-allow-all-then-mkdir DIR | personality VALUE | int80 NR [PATH] | int80-socket FAMILY [TYPE] | int80-socket-direct FAMILY [TYPE] | int80-args NR [ARG...]\n");
	return 2;
}
