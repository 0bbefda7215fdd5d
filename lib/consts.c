/* consts: symbolic argument values for eval (O_CREAT|O_WRONLY,
 * CLONE_NEWUSER, AF_INET, PER_LINUX, ...), taken from the C library's and
 * the kernel's headers for the architecture seccomp-shim is built for. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/sched.h>

#include "internal.h"

#define C(name) { #name, (uint64_t)(name) }

static const struct {
	const char *name;
	uint64_t value;
} consts[] = {
	/* open(2) flags */
	C(O_RDONLY), C(O_WRONLY), C(O_RDWR), C(O_CREAT), C(O_EXCL), C(O_NOCTTY), C(O_TRUNC),
	C(O_APPEND), C(O_NONBLOCK), C(O_DSYNC), C(O_DIRECT), C(O_LARGEFILE), C(O_DIRECTORY),
	C(O_NOFOLLOW), C(O_NOATIME), C(O_CLOEXEC), C(O_SYNC), C(O_PATH), C(O_TMPFILE),
	C(AT_FDCWD), C(AT_SYMLINK_NOFOLLOW), C(AT_REMOVEDIR), C(AT_EMPTY_PATH),
	/* clone(2), unshare(2), setns(2) flags */
	C(CLONE_VM), C(CLONE_FS), C(CLONE_FILES), C(CLONE_SIGHAND), C(CLONE_PIDFD),
	C(CLONE_PTRACE), C(CLONE_VFORK), C(CLONE_PARENT), C(CLONE_THREAD), C(CLONE_NEWNS),
	C(CLONE_SYSVSEM), C(CLONE_SETTLS), C(CLONE_PARENT_SETTID), C(CLONE_CHILD_CLEARTID),
	C(CLONE_UNTRACED), C(CLONE_CHILD_SETTID), C(CLONE_NEWCGROUP), C(CLONE_NEWUTS),
	C(CLONE_NEWIPC), C(CLONE_NEWUSER), C(CLONE_NEWPID), C(CLONE_NEWNET), C(CLONE_IO),
	C(CLONE_NEWTIME),
	/* socket(2) */
	C(AF_UNSPEC), C(AF_UNIX), C(AF_LOCAL), C(AF_INET), C(AF_INET6), C(AF_NETLINK),
	C(AF_PACKET), C(AF_KEY), C(AF_BLUETOOTH), C(AF_CAN), C(AF_ALG), C(AF_VSOCK), C(AF_XDP),
	C(AF_TIPC), C(AF_RDS), C(AF_APPLETALK), C(AF_X25), C(AF_AX25),
	C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_RDM), C(SOCK_SEQPACKET),
	C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
	/* personality(2) */
	C(PER_LINUX), C(PER_LINUX32), C(PER_BSD), C(PER_SVR4), C(ADDR_NO_RANDOMIZE),
	C(READ_IMPLIES_EXEC), C(ADDR_LIMIT_32BIT), C(UNAME26), C(MMAP_PAGE_ZERO),
	C(ADDR_COMPAT_LAYOUT), C(SHORT_INODE), C(WHOLE_SECONDS), C(STICKY_TIMEOUTS),
	C(ADDR_LIMIT_3GB),
	/* signals, for kill(2) and friends */
	C(SIGHUP), C(SIGINT), C(SIGQUIT), C(SIGKILL), C(SIGUSR1), C(SIGUSR2), C(SIGTERM),
	C(SIGSTOP), C(SIGCONT), C(SIGCHLD), C(SIGSYS),
	/* prctl(2) options a profile may restrict */
	C(PR_SET_NO_NEW_PRIVS), C(PR_SET_SECCOMP), C(PR_SET_DUMPABLE), C(PR_SET_NAME),
	C(PR_CAPBSET_DROP), C(PR_SET_PDEATHSIG), C(PR_SET_MM),
};

static int lookup(const char *name, size_t len, uint64_t *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(consts); i++)
		if (strlen(consts[i].name) == len && strncmp(consts[i].name, name, len) == 0) {
			*out = consts[i].value;
			return 0;
		}
	return -1;
}

int shim_const_parse(const char *text, uint64_t *out, struct shim_error *err)
{
	uint64_t value = 0;
	const char *p = text;

	if (!*text)
		goto bad;
	/* A number, a name, or several ORed with '|'. */
	for (;;) {
		size_t len = strcspn(p, "|");
		uint64_t part;
		char num[32], *end;

		if (len == 0 || len >= sizeof(num))
			goto bad;
		memcpy(num, p, len);
		num[len] = '\0';
		errno = 0;
		part = num[0] == '-' ? (uint64_t)strtoll(num, &end, 0) : strtoull(num, &end, 0);
		if ((errno || *end) && lookup(num, len, &part) < 0)
			goto bad;
		value |= part;
		if (!p[len])
			break;
		p += len + 1;
	}
	*out = value;
	return 0;
bad:
	shim_error_set(err, EINVAL, "argument \"%s\" is not a number (decimal, 0x hex or 0 octal) or a known constant (O_WRONLY|O_CREAT, CLONE_NEWUSER, AF_INET, PER_LINUX, ...)",
		       text);
	return -1;
}
