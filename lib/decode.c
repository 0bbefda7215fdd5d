/* decode: a denied call's arguments in the words of its man page.
 *
 * Only the arguments that explain a denial are decoded: paths (read from
 * the task by the supervisor), open(2) flags and modes, clone(2) and
 * namespace flags, socket families and types, personality(2), ioctl(2)
 * requests, signals and prctl(2) options. Flag values are those of the
 * asm-generic headers, which x86, x86_64, x32, arm64, riscv64 and s390x
 * use; on other architectures flags are shown as numbers. Every value is
 * shown whole: bits without a name are added as hex.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/fs.h>
#include <linux/sched.h>

#include "internal.h"

#define P SHIM_ARG_PATH
#define S SHIM_ARG_STRING
#define D SHIM_ARG_DIRFD
#define OF SHIM_ARG_OPEN_FLAGS
#define M SHIM_ARG_MODE
#define AF SHIM_ARG_AT_FLAGS

static const struct {
	const char *name;
	enum shim_arg_kind k[6];
} table[] = {
	{ "open", { P, OF, M } },
	{ "openat", { D, P, OF, M } },
	{ "openat2", { D, P, SHIM_ARG_OPEN_HOW } },
	{ "creat", { P, M } },
	{ "mkdir", { P, M } },
	{ "mkdirat", { D, P, M } },
	{ "mknod", { P, M } },
	{ "mknodat", { D, P, M } },
	{ "rmdir", { P } },
	{ "unlink", { P } },
	{ "unlinkat", { D, P, AF } },
	{ "rename", { P, P } },
	{ "renameat", { D, P, D, P } },
	{ "renameat2", { D, P, D, P } },
	{ "link", { P, P } },
	{ "linkat", { D, P, D, P, AF } },
	{ "symlink", { S, P } },
	{ "symlinkat", { S, D, P } },
	{ "readlink", { P } },
	{ "readlinkat", { D, P } },
	{ "chmod", { P, M } },
	{ "fchmodat", { D, P, M } },
	{ "fchmodat2", { D, P, M, AF } },
	{ "chown", { P } },
	{ "lchown", { P } },
	{ "chown32", { P } },
	{ "lchown32", { P } },
	{ "fchownat", { D, P, 0, 0, AF } },
	{ "access", { P } },
	{ "faccessat", { D, P } },
	{ "faccessat2", { D, P } }, /* its AT_EACCESS is AT_REMOVEDIR's value */
	{ "stat", { P } },
	{ "lstat", { P } },
	{ "stat64", { P } },
	{ "lstat64", { P } },
	{ "oldstat", { P } },
	{ "oldlstat", { P } },
	{ "newfstatat", { D, P, 0, AF } },
	{ "fstatat64", { D, P, 0, AF } },
	{ "statx", { D, P, AF } },
	{ "statfs", { P } },
	{ "statfs64", { P } },
	{ "truncate", { P } },
	{ "truncate64", { P } },
	{ "chdir", { P } },
	{ "chroot", { P } },
	{ "acct", { P } },
	{ "swapon", { P } },
	{ "swapoff", { P } },
	{ "uselib", { P } },
	{ "umount", { P } },
	{ "umount2", { P } },
	{ "utime", { P } },
	{ "utimes", { P } },
	{ "utimensat", { D, P, 0, AF } },
	{ "futimesat", { D, P } },
	{ "execve", { P } },
	{ "execveat", { D, P, 0, 0, AF } },
	{ "mount", { S, P, S } },
	{ "pivot_root", { P, P } },
	{ "setxattr", { P, S } },
	{ "lsetxattr", { P, S } },
	{ "getxattr", { P, S } },
	{ "lgetxattr", { P, S } },
	{ "removexattr", { P, S } },
	{ "lremovexattr", { P, S } },
	{ "listxattr", { P } },
	{ "llistxattr", { P } },
	{ "fsetxattr", { 0, S } },
	{ "fgetxattr", { 0, S } },
	{ "fremovexattr", { 0, S } },
	{ "inotify_add_watch", { 0, P } },
	{ "name_to_handle_at", { D, P } },
	{ "open_tree", { D, P } },
	{ "move_mount", { D, P, D, P } },
	{ "fspick", { D, P } },
	{ "fsopen", { S } },
	{ "mount_setattr", { D, P } },
	{ "memfd_create", { S } },
	{ "delete_module", { S } },
	{ "clone", { SHIM_ARG_CLONE_FLAGS } },
	{ "clone3", { SHIM_ARG_CLONE_ARGS } },
	{ "unshare", { SHIM_ARG_NS_FLAGS } },
	{ "setns", { 0, SHIM_ARG_NS_FLAGS } },
	{ "socket", { SHIM_ARG_FAMILY, SHIM_ARG_SOCK_TYPE } },
	{ "socketpair", { SHIM_ARG_FAMILY, SHIM_ARG_SOCK_TYPE } },
	{ "personality", { SHIM_ARG_PERSONALITY } },
	{ "ioctl", { 0, SHIM_ARG_IOCTL } },
	{ "kill", { 0, SHIM_ARG_SIGNAL } },
	{ "tkill", { 0, SHIM_ARG_SIGNAL } },
	{ "tgkill", { 0, 0, SHIM_ARG_SIGNAL } },
	{ "rt_sigqueueinfo", { 0, SHIM_ARG_SIGNAL } },
	{ "pidfd_send_signal", { 0, SHIM_ARG_SIGNAL } },
	{ "prctl", { SHIM_ARG_PRCTL } },
};

#undef P
#undef S
#undef D
#undef OF
#undef M
#undef AF

void shim_arg_kinds(const char *name, uint32_t token, enum shim_arg_kind kinds[6])
{
	memset(kinds, 0, 6 * sizeof(kinds[0]));
	for (size_t i = 0; name && i < ARRAY_SIZE(table); i++)
		if (strcmp(table[i].name, name) == 0) {
			memcpy(kinds, table[i].k, sizeof(table[i].k));
			break;
		}
	/* s390 and s390x swap clone's first two arguments. */
	if (name && strcmp(name, "clone") == 0 &&
	    (token == SCMP_ARCH_S390 || token == SCMP_ARCH_S390X)) {
		kinds[0] = SHIM_ARG_RAW;
		kinds[1] = SHIM_ARG_CLONE_FLAGS;
	}
}

struct bit {
	const char *name;
	uint64_t value;
};

#define B(name) { #name, (uint64_t)(name) }

/* The kernel's values (asm-generic/fcntl.h): glibc's O_LARGEFILE is 0 on
 * 64-bit machines, the kernel's is not. */
static const struct bit open_bits[] = {
	{ "O_CREAT", 0100 }, { "O_EXCL", 0200 }, { "O_NOCTTY", 0400 }, { "O_TRUNC", 01000 },
	{ "O_APPEND", 02000 }, { "O_NONBLOCK", 04000 }, { "O_SYNC", 04010000 },
	{ "O_DSYNC", 010000 }, { "O_ASYNC", 020000 }, { "O_DIRECT", 040000 },
	{ "O_LARGEFILE", 0100000 }, { "O_TMPFILE", 020200000 }, { "O_DIRECTORY", 0200000 },
	{ "O_NOFOLLOW", 0400000 }, { "O_NOATIME", 01000000 }, { "O_CLOEXEC", 02000000 },
	{ "O_PATH", 010000000 },
};

static const struct bit clone_bits[] = {
	B(CLONE_VM), B(CLONE_FS), B(CLONE_FILES), B(CLONE_SIGHAND), B(CLONE_PIDFD),
	B(CLONE_PTRACE), B(CLONE_VFORK), B(CLONE_PARENT), B(CLONE_THREAD), B(CLONE_NEWNS),
	B(CLONE_SYSVSEM), B(CLONE_SETTLS), B(CLONE_PARENT_SETTID), B(CLONE_CHILD_CLEARTID),
	{ "CLONE_DETACHED", 0x00400000 }, B(CLONE_UNTRACED), B(CLONE_CHILD_SETTID),
	B(CLONE_NEWCGROUP), B(CLONE_NEWUTS), B(CLONE_NEWIPC), B(CLONE_NEWUSER), B(CLONE_NEWPID),
	B(CLONE_NEWNET), B(CLONE_IO),
	{ "CLONE_CLEAR_SIGHAND", 0x100000000ULL }, { "CLONE_INTO_CGROUP", 0x200000000ULL },
};

static const struct bit ns_bits[] = {
	B(CLONE_NEWTIME), B(CLONE_FILES), B(CLONE_FS), B(CLONE_NEWNS), B(CLONE_SYSVSEM),
	B(CLONE_NEWCGROUP), B(CLONE_NEWUTS), B(CLONE_NEWIPC), B(CLONE_NEWUSER), B(CLONE_NEWPID),
	B(CLONE_NEWNET), B(CLONE_THREAD), B(CLONE_SIGHAND), B(CLONE_VM),
};

static const struct bit at_bits[] = {
	{ "AT_SYMLINK_NOFOLLOW", 0x100 }, { "AT_REMOVEDIR", 0x200 }, { "AT_SYMLINK_FOLLOW", 0x400 },
	{ "AT_NO_AUTOMOUNT", 0x800 }, { "AT_EMPTY_PATH", 0x1000 },
};

static const struct bit sock_type_bits[] = {
	{ "SOCK_NONBLOCK", 04000 }, { "SOCK_CLOEXEC", 02000000 },
};

static const struct bit personality_bits[] = {
	B(UNAME26), B(ADDR_NO_RANDOMIZE), B(FDPIC_FUNCPTRS), B(MMAP_PAGE_ZERO),
	B(ADDR_COMPAT_LAYOUT), B(READ_IMPLIES_EXEC), B(ADDR_LIMIT_32BIT), B(SHORT_INODE),
	B(WHOLE_SECONDS), B(STICKY_TIMEOUTS), B(ADDR_LIMIT_3GB),
};

static const struct bit families[] = {
	B(AF_UNSPEC), B(AF_UNIX), B(AF_INET), B(AF_AX25), B(AF_IPX), B(AF_APPLETALK),
	B(AF_NETROM), B(AF_BRIDGE), B(AF_ATMPVC), B(AF_X25), B(AF_INET6), B(AF_ROSE),
	B(AF_DECnet), B(AF_NETBEUI), B(AF_SECURITY), B(AF_KEY), B(AF_NETLINK), B(AF_PACKET),
	B(AF_ASH), B(AF_ECONET), B(AF_ATMSVC), B(AF_RDS), B(AF_SNA), B(AF_IRDA), B(AF_PPPOX),
	B(AF_WANPIPE), B(AF_LLC), B(AF_IB), B(AF_MPLS), B(AF_CAN), B(AF_TIPC), B(AF_BLUETOOTH),
	B(AF_IUCV), B(AF_RXRPC), B(AF_ISDN), B(AF_PHONET), B(AF_IEEE802154), B(AF_CAIF),
	B(AF_ALG), B(AF_NFC), B(AF_VSOCK), B(AF_KCM), B(AF_QIPCRTR), B(AF_SMC), { "AF_XDP", 44 },
	{ "AF_MCTP", 45 },
};

static const struct bit sock_types[] = {
	B(SOCK_STREAM), B(SOCK_DGRAM), B(SOCK_RAW), B(SOCK_RDM), B(SOCK_SEQPACKET),
	B(SOCK_DCCP), B(SOCK_PACKET),
};

static const struct bit personalities[] = {
	B(PER_LINUX), B(PER_LINUX_32BIT), B(PER_SVR4), B(PER_SVR3), B(PER_SCOSVR3), B(PER_WYSEV386),
	B(PER_ISCR4), B(PER_BSD), B(PER_XENIX), B(PER_LINUX32), B(PER_IRIX32), B(PER_IRIXN32),
	B(PER_IRIX64), B(PER_RISCOS), B(PER_SOLARIS), B(PER_UW7), B(PER_OSF4), B(PER_HPUX),
};

static const struct bit ioctls[] = {
	B(TCGETS), B(TCSETS), B(TCSETSW), B(TCSETSF), B(TCGETA), B(TCSETA), B(TCSBRK), B(TCXONC),
	B(TCFLSH), B(TIOCEXCL), B(TIOCNXCL), B(TIOCSCTTY), B(TIOCGPGRP), B(TIOCSPGRP),
	B(TIOCOUTQ), B(TIOCSTI), B(TIOCGWINSZ), B(TIOCSWINSZ), B(TIOCMGET), B(TIOCMSET),
	B(FIONREAD), B(TIOCLINUX), B(TIOCCONS), B(FIONBIO), B(TIOCNOTTY), B(TIOCSETD),
	B(TIOCGETD), B(TIOCGPTN), B(TIOCSPTLCK), B(TIOCGSID), B(FIONCLEX), B(FIOCLEX),
	B(FIOASYNC), B(FIOQSIZE), B(FICLONE), B(FICLONERANGE), B(FIDEDUPERANGE), B(FS_IOC_GETFLAGS),
	B(FS_IOC_SETFLAGS), B(FIFREEZE), B(FITHAW), B(BLKGETSIZE64), B(BLKROSET),
};

static const struct bit prctls[] = {
	B(PR_SET_PDEATHSIG), B(PR_GET_PDEATHSIG), B(PR_GET_DUMPABLE), B(PR_SET_DUMPABLE),
	B(PR_SET_KEEPCAPS), B(PR_SET_NAME), B(PR_GET_NAME), B(PR_GET_SECCOMP), B(PR_SET_SECCOMP),
	B(PR_CAPBSET_READ), B(PR_CAPBSET_DROP), B(PR_GET_SECUREBITS), B(PR_SET_SECUREBITS),
	B(PR_SET_MM), B(PR_SET_CHILD_SUBREAPER), B(PR_SET_NO_NEW_PRIVS), B(PR_GET_NO_NEW_PRIVS),
	B(PR_CAP_AMBIENT), B(PR_SET_PTRACER), B(PR_SET_VMA),
};

#undef B

/* Whether the architecture uses the asm-generic flag values. */
static bool generic_flags(uint32_t token)
{
	switch (token) {
	case SCMP_ARCH_X86_64:
	case SCMP_ARCH_X86:
	case SCMP_ARCH_X32:
	case SCMP_ARCH_AARCH64:
	case SCMP_ARCH_RISCV64:
	case SCMP_ARCH_S390:
	case SCMP_ARCH_S390X:
		return true;
	}
	return false;
}

/* Names of the bits of v (an exact name for a multi-bit value first),
 * then what is left as hex; sep before each. Returns how many parts. */
static int bits(struct shim_text *out, uint64_t v, const struct bit *b, size_t n, int parts)
{
	for (size_t i = 0; i < n; i++)
		if (b[i].value && (v & b[i].value) == b[i].value) {
			shim_text_printf(out, "%s%s", parts++ ? "|" : "", b[i].name);
			v &= ~b[i].value;
		}
	if (v || !parts)
		shim_text_printf(out, "%s%#llx", parts++ ? "|" : "", (unsigned long long)v);
	return parts;
}

static const char *value_name(uint64_t v, const struct bit *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i].value == v)
			return b[i].name;
	return NULL;
}

static void open_flags(uint64_t v, struct shim_text *out)
{
	static const char *const access[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };

	/* O_SYNC holds O_DSYNC and O_TMPFILE O_DIRECTORY: the table lists
	 * the whole one first. */
	shim_text_printf(out, "%s", access[v & 3]);
	if (v & ~(uint64_t)3)
		bits(out, v & ~(uint64_t)3, open_bits, ARRAY_SIZE(open_bits), 1);
}

static void named_or_number(uint64_t v, const char *name, struct shim_text *out)
{
	if (name)
		shim_text_printf(out, "%s", name);
	else
		shim_text_printf(out, "%#llx", (unsigned long long)v);
}

static void clone_flags(uint64_t v, bool with_signal, struct shim_text *out)
{
	int parts = 0;
	uint64_t sig = with_signal ? v & 0xff : 0;

	v &= with_signal ? ~(uint64_t)0xff : ~(uint64_t)0;
	if (v)
		parts = bits(out, v, clone_bits, ARRAY_SIZE(clone_bits), 0);
	if (sig) {
		const char *name = sigabbrev_np((int)sig);
		shim_text_printf(out, "%sSIG%s", parts++ ? "|" : "", name ? name : "?");
	}
	if (!parts)
		shim_text_printf(out, "0");
}

static void ioctl_request(uint64_t v, struct shim_text *out)
{
	static const char *const dirs[] = { "_IO", "_IOW", "_IOR", "_IOWR" };
	const char *name = value_name(v & 0xffffffff, ioctls, ARRAY_SIZE(ioctls));
	uint32_t r = (uint32_t)v;
	unsigned type = (r >> 8) & 0xff, size = (r >> 16) & 0x3fff;

	if (name) {
		shim_text_printf(out, "%s", name);
		return;
	}
	if (type >= 0x20 && type < 0x7f)
		shim_text_printf(out, "%s('%c', %#x, %u)", dirs[(r >> 30) & 3], type, r & 0xff, size);
	else
		shim_text_printf(out, "%s(%#x, %#x, %u)", dirs[(r >> 30) & 3], type, r & 0xff, size);
	if (v >> 32)
		shim_text_printf(out, "|%#llx", (unsigned long long)(v & ~(uint64_t)0xffffffff));
}

static void personality_value(uint64_t v, struct shim_text *out)
{
	const char *name;

	if ((uint32_t)v == 0xffffffff) {
		shim_text_printf(out, "0xffffffff (query)");
		return;
	}
	name = value_name(v & PER_MASK, personalities, ARRAY_SIZE(personalities));
	named_or_number(v & PER_MASK, name, out);
	if (v & ~(uint64_t)PER_MASK)
		bits(out, v & ~(uint64_t)PER_MASK, personality_bits, ARRAY_SIZE(personality_bits), 1);
}

void shim_arg_decode(enum shim_arg_kind kind, uint32_t token, uint64_t value,
		     struct shim_text *out)
{
	bool generic = generic_flags(token);
	const char *name;

	switch (kind) {
	case SHIM_ARG_DIRFD:
		if ((int32_t)value == AT_FDCWD)
			shim_text_printf(out, "AT_FDCWD");
		else
			shim_text_printf(out, "%d", (int)value);
		return;
	case SHIM_ARG_MODE:
		shim_text_printf(out, "%#llo", (unsigned long long)value);
		return;
	case SHIM_ARG_OPEN_FLAGS:
	case SHIM_ARG_OPEN_HOW:
		if (!generic)
			break;
		open_flags(value, out);
		return;
	case SHIM_ARG_CLONE_FLAGS:
	case SHIM_ARG_CLONE_ARGS:
		clone_flags(value, kind == SHIM_ARG_CLONE_FLAGS, out);
		return;
	case SHIM_ARG_NS_FLAGS:
		if (value)
			bits(out, value, ns_bits, ARRAY_SIZE(ns_bits), 0);
		else
			shim_text_printf(out, "0");
		return;
	case SHIM_ARG_AT_FLAGS:
		if (!generic || !value)
			break;
		bits(out, value, at_bits, ARRAY_SIZE(at_bits), 0);
		return;
	case SHIM_ARG_FAMILY:
		named_or_number(value, value_name(value, families, ARRAY_SIZE(families)), out);
		return;
	case SHIM_ARG_SOCK_TYPE:
		if (!generic)
			break;
		named_or_number(value & 0xf, value_name(value & 0xf, sock_types, ARRAY_SIZE(sock_types)),
				out);
		if (value & ~(uint64_t)0xf)
			bits(out, value & ~(uint64_t)0xf, sock_type_bits, ARRAY_SIZE(sock_type_bits), 1);
		return;
	case SHIM_ARG_PERSONALITY:
		personality_value(value, out);
		return;
	case SHIM_ARG_IOCTL:
		if (!generic)
			break;
		ioctl_request(value, out);
		return;
	case SHIM_ARG_SIGNAL:
		name = value > 0 && value < 65 ? sigabbrev_np((int)value) : NULL;
		if (name)
			shim_text_printf(out, "SIG%s", name);
		else
			shim_text_printf(out, "%llu", (unsigned long long)value);
		return;
	case SHIM_ARG_PRCTL:
		named_or_number(value, value_name(value, prctls, ARRAY_SIZE(prctls)), out);
		return;
	case SHIM_ARG_RAW:
	case SHIM_ARG_PATH:
	case SHIM_ARG_STRING:
		break;
	}
	shim_text_printf(out, "%#llx", (unsigned long long)value);
}
