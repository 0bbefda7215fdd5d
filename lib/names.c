/* Name tables: actions, operators, architectures, flags, errnos, caps.
 * Everything here is constant data; lookups are exact (actions, ops,
 * arches, flags, errno names) except capabilities, which Docker writes in
 * several spellings and whose names come from libcap. */
#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/utsname.h>
#include <linux/seccomp.h>

#include "internal.h"


static const struct {
	const char *name;
	enum shim_action_kind kind;
} action_names[] = {
	{ "SCMP_ACT_ALLOW", SHIM_ACT_ALLOW },
	{ "SCMP_ACT_ERRNO", SHIM_ACT_ERRNO },
	/* runc and crun: KILL means KILL_THREAD. */
	{ "SCMP_ACT_KILL", SHIM_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SHIM_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SHIM_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SHIM_ACT_TRAP },
	{ "SCMP_ACT_TRACE", SHIM_ACT_TRACE },
	{ "SCMP_ACT_LOG", SHIM_ACT_LOG },
	{ "SCMP_ACT_NOTIFY", SHIM_ACT_NOTIFY },
};

int shim_action_from_name(const char *name, enum shim_action_kind *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(action_names); i++)
		if (strcmp(name, action_names[i].name) == 0) {
			*out = action_names[i].kind;
			return 0;
		}
	return -1;
}

const char *shim_action_name_at(size_t i)
{
	return i < ARRAY_SIZE(action_names) ? action_names[i].name : NULL;
}

const char *shim_action_suggest(const char *name)
{
	char upper[64], prefixed[80];
	const char *found = NULL;
	size_t best = 4;

	/* "allow", "ERRNO", "SCMP_ACT_ALOW": case, prefix, then a typo. */
	for (size_t i = 0; i < sizeof(upper) - 1 && (upper[i] = (char)toupper((unsigned char)name[i])); i++)
		upper[i + 1] = '\0';
	upper[sizeof(upper) - 1] = '\0';
	snprintf(prefixed, sizeof(prefixed), "%s%s", strncmp(upper, "SCMP_ACT_", 9) ? "SCMP_ACT_" : "",
		 upper);
	for (size_t i = 0; i < ARRAY_SIZE(action_names); i++) {
		size_t d = shim_edit_distance(prefixed, action_names[i].name, best - 1);
		if (d < best) {
			best = d;
			found = action_names[i].name;
		}
	}
	return found;
}

uint32_t shim_action_ret(const struct shim_action *a)
{
	switch (a->kind) {
	case SHIM_ACT_ALLOW: return SECCOMP_RET_ALLOW;
	case SHIM_ACT_ERRNO: return SECCOMP_RET_ERRNO | (a->errno_ret & SECCOMP_RET_DATA);
	case SHIM_ACT_KILL_THREAD: return SECCOMP_RET_KILL_THREAD;
	case SHIM_ACT_KILL_PROCESS: return SECCOMP_RET_KILL_PROCESS;
	case SHIM_ACT_TRAP: return SECCOMP_RET_TRAP;
	case SHIM_ACT_TRACE: return SECCOMP_RET_TRACE | (a->errno_ret & SECCOMP_RET_DATA);
	case SHIM_ACT_LOG: return SECCOMP_RET_LOG;
	case SHIM_ACT_NOTIFY: return SECCOMP_RET_USER_NOTIF;
	}
	return SECCOMP_RET_KILL_PROCESS; /* unreachable: kinds are validated */
}

const char *shim_action_name(enum shim_action_kind kind)
{
	switch (kind) {
	case SHIM_ACT_ALLOW: return "SCMP_ACT_ALLOW";
	case SHIM_ACT_ERRNO: return "SCMP_ACT_ERRNO";
	case SHIM_ACT_KILL_THREAD: return "SCMP_ACT_KILL_THREAD";
	case SHIM_ACT_KILL_PROCESS: return "SCMP_ACT_KILL_PROCESS";
	case SHIM_ACT_TRAP: return "SCMP_ACT_TRAP";
	case SHIM_ACT_TRACE: return "SCMP_ACT_TRACE";
	case SHIM_ACT_LOG: return "SCMP_ACT_LOG";
	case SHIM_ACT_NOTIFY: return "SCMP_ACT_NOTIFY";
	}
	return "(invalid action)";
}

static const struct {
	const char *name;
	enum shim_cmp_op op;
} op_names[] = {
	{ "SCMP_CMP_NE", SHIM_OP_NE },	 { "SCMP_CMP_LT", SHIM_OP_LT },
	{ "SCMP_CMP_LE", SHIM_OP_LE },	 { "SCMP_CMP_EQ", SHIM_OP_EQ },
	{ "SCMP_CMP_GE", SHIM_OP_GE },	 { "SCMP_CMP_GT", SHIM_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", SHIM_OP_MASKED_EQ },
};

const char *shim_op_name_at(size_t i)
{
	return i < ARRAY_SIZE(op_names) ? op_names[i].name : NULL;
}

int shim_op_from_name(const char *name, enum shim_cmp_op *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(op_names); i++)
		if (strcmp(name, op_names[i].name) == 0) {
			*out = op_names[i].op;
			return 0;
		}
	return -1;
}

const char *shim_op_name(enum shim_cmp_op op)
{
	for (size_t i = 0; i < ARRAY_SIZE(op_names); i++)
		if (op_names[i].op == op)
			return op_names[i].name;
	return "(invalid op)";
}

/* Every architecture the OCI runtime-spec names. token 0: the libseccomp
 * this was built with does not know it, so it can never be native and a
 * filter cannot include it. */
#ifndef SCMP_ARCH_LOONGARCH64
#define SCMP_ARCH_LOONGARCH64 0
#endif
#ifndef SCMP_ARCH_M68K
#define SCMP_ARCH_M68K 0
#endif
#ifndef SCMP_ARCH_SH
#define SCMP_ARCH_SH 0
#define SCMP_ARCH_SHEB 0
#endif
const struct shim_arch_info shim_arch_table[] = {
	{ "SCMP_ARCH_X86", "x86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", "amd64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", "x32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_ARM", "arm", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", "arm64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_MIPS", "mips", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", "mips64", SCMP_ARCH_MIPS64 },
	{ "SCMP_ARCH_MIPS64N32", "mips64n32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", "mipsle", SCMP_ARCH_MIPSEL },
	{ "SCMP_ARCH_MIPSEL64", "mips64le", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", "mips64len32", SCMP_ARCH_MIPSEL64N32 },
	{ "SCMP_ARCH_PPC", "ppc", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", "ppc64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", "ppc64le", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", "s390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", "s390x", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_PARISC", "parisc", SCMP_ARCH_PARISC },
	{ "SCMP_ARCH_PARISC64", "parisc64", SCMP_ARCH_PARISC64 },
	{ "SCMP_ARCH_RISCV64", "riscv64", SCMP_ARCH_RISCV64 },
	{ "SCMP_ARCH_LOONGARCH64", "loong64", SCMP_ARCH_LOONGARCH64 },
	{ "SCMP_ARCH_M68K", "m68k", SCMP_ARCH_M68K },
	{ "SCMP_ARCH_SH", "sh", SCMP_ARCH_SH },
	{ "SCMP_ARCH_SHEB", "sheb", SCMP_ARCH_SHEB },
};
const size_t shim_arch_table_size = ARRAY_SIZE(shim_arch_table);

const struct shim_arch_info *shim_arch_by_oci(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(shim_arch_table); i++)
		if (strcmp(name, shim_arch_table[i].oci) == 0)
			return &shim_arch_table[i];
	return NULL;
}

const struct shim_arch_info *shim_arch_by_go(const char *name)
{
	/* Go calls i386 "386"; Docker's profiles write "x86". Both mean it. */
	if (strcmp(name, "386") == 0)
		name = "x86";
	for (size_t i = 0; i < ARRAY_SIZE(shim_arch_table); i++)
		if (strcmp(name, shim_arch_table[i].go) == 0)
			return &shim_arch_table[i];
	return NULL;
}

const struct shim_arch_info *shim_arch_by_token(uint32_t token)
{
	if (token == 0)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(shim_arch_table); i++)
		if (shim_arch_table[i].token == token)
			return &shim_arch_table[i];
	return NULL;
}

const struct shim_arch_info *shim_arch_native(void)
{
	return shim_arch_by_token(seccomp_arch_native());
}

static const struct {
	const char *name;
	unsigned flag;
} flag_names[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SHIM_FLAG_WAIT_KILLABLE_RECV },
};

int shim_flag_from_name(const char *name, unsigned *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++)
		if (strcmp(name, flag_names[i].name) == 0) {
			*out = flag_names[i].flag;
			return 0;
		}
	return -1;
}

const char *shim_flag_name_at(size_t i, unsigned *flag)
{
	if (i >= ARRAY_SIZE(flag_names))
		return NULL;
	*flag = flag_names[i].flag;
	return flag_names[i].name;
}

const char *shim_flag_name(unsigned flag)
{
	for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++)
		if (flag_names[i].flag == flag)
			return flag_names[i].name;
	return NULL;
}

/* Linux errno names, in number order; values come from <errno.h>. */
#define X(e) { #e, e },
static const struct {
	const char *name;
	int value;
} errno_names[] = {
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC)
	X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(ENOTBLK)
	X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL)
	X(ENFILE) X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) X(ENOSPC) X(ESPIPE)
	X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG)
	X(ENOLCK) X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) X(EIDRM) X(ECHRNG)
	X(EL2NSYNC) X(EL3HLT) X(EL3RST) X(ELNRNG) X(EUNATCH) X(ENOCSI) X(EL2HLT)
	X(EBADE) X(EBADR) X(EXFULL) X(ENOANO) X(EBADRQC) X(EBADSLT) X(EBFONT)
	X(ENOSTR) X(ENODATA) X(ETIME) X(ENOSR) X(ENONET) X(ENOPKG) X(EREMOTE)
	X(ENOLINK) X(EADV) X(ESRMNT) X(ECOMM) X(EPROTO) X(EMULTIHOP) X(EDOTDOT)
	X(EBADMSG) X(EOVERFLOW) X(ENOTUNIQ) X(EBADFD) X(EREMCHG) X(ELIBACC)
	X(ELIBBAD) X(ELIBSCN) X(ELIBMAX) X(ELIBEXEC) X(EILSEQ) X(ERESTART)
	X(ESTRPIPE) X(EUSERS) X(ENOTSOCK) X(EDESTADDRREQ) X(EMSGSIZE)
	X(EPROTOTYPE) X(ENOPROTOOPT) X(EPROTONOSUPPORT) X(ESOCKTNOSUPPORT)
	X(EOPNOTSUPP) X(EPFNOSUPPORT) X(EAFNOSUPPORT) X(EADDRINUSE)
	X(EADDRNOTAVAIL) X(ENETDOWN) X(ENETUNREACH) X(ENETRESET) X(ECONNABORTED)
	X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) X(ESHUTDOWN)
	X(ETOOMANYREFS) X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTDOWN) X(EHOSTUNREACH)
	X(EALREADY) X(EINPROGRESS) X(ESTALE) X(EUCLEAN) X(ENOTNAM) X(ENAVAIL)
	X(EISNAM) X(EREMOTEIO) X(EDQUOT) X(ENOMEDIUM) X(EMEDIUMTYPE) X(ECANCELED)
	X(ENOKEY) X(EKEYEXPIRED) X(EKEYREVOKED) X(EKEYREJECTED) X(EOWNERDEAD)
	X(ENOTRECOVERABLE) X(ERFKILL) X(EHWPOISON)
};
#undef X

int shim_errno_from_name(const char *name, int *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (strcmp(name, errno_names[i].name) == 0) {
			*out = errno_names[i].value;
			return 0;
		}
	/* Aliases glibc defines to the same number. */
	if (strcmp(name, "EWOULDBLOCK") == 0) {
		*out = EWOULDBLOCK;
		return 0;
	}
	if (strcmp(name, "EDEADLOCK") == 0) {
		*out = EDEADLOCK;
		return 0;
	}
	if (strcmp(name, "ENOTSUP") == 0) {
		*out = ENOTSUP;
		return 0;
	}
	return -1;
}

const char *shim_errno_name(int value)
{
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].value == value)
			return errno_names[i].name;
	return NULL;
}

/* Capabilities: names and numbers are libcap's (cap_from_name,
 * cap_to_name), so a libcap that knows a newer kernel knows its names;
 * we keep no table of our own. libcap's names are lower case
 * ("cap_net_admin"); we print them upper case, as Docker writes them, and
 * read any case with or without CAP_. A capability libcap does not name
 * is written and read as its number ("41"). */

/* A decimal capability number, 0..63 (the sets are 64-bit masks). */
static int cap_from_number(const char *s)
{
	int n = 0;

	if (*s == '\0' || strlen(s) > 2 || (s[0] == '0' && s[1]))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n < 64 ? n : -1;
}

int shim_cap_from_name(const char *name)
{
	char buf[SHIM_CAP_NAME_MAX] = "cap_";
	size_t len;
	cap_value_t v;

	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	if (*name >= '0' && *name <= '9')
		return cap_from_number(name);
	/* libcap reads a name up to the first character that cannot be in
	 * one and ignores the rest ("net_admin,x"): only whole names here. */
	len = strlen(name);
	if (len == 0 || len >= sizeof(buf) - 4 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
					    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != len)
		return -1;
	for (size_t i = 0; i <= len; i++)
		buf[4 + i] = (char)tolower((unsigned char)name[i]);
	if (cap_from_name(buf, &v) < 0 || v < 0 || v > 63)
		return -1;
	return v;
}

const char *shim_cap_name(int cap, char buf[SHIM_CAP_NAME_MAX])
{
	char *name = cap >= 0 ? cap_to_name(cap) : NULL;
	size_t len = name ? strlen(name) : SHIM_CAP_NAME_MAX;

	/* cap_to_name gives "cap_chown", or the number for a capability it
	 * does not name; NULL only when out of memory. */
	if (len >= SHIM_CAP_NAME_MAX)
		snprintf(buf, SHIM_CAP_NAME_MAX, "%d", cap);
	for (size_t i = 0; len < SHIM_CAP_NAME_MAX && i <= len; i++)
		buf[i] = (char)toupper((unsigned char)name[i]);
	if (name)
		cap_free(name);
	return buf;
}

/* uname -m spellings, for messages and --arch. */
static const struct {
	const char *uname, *oci;
} uname_arches[] = {
	{ "x86_64", "SCMP_ARCH_X86_64" }, { "i386", "SCMP_ARCH_X86" },
	{ "i686", "SCMP_ARCH_X86" },      { "aarch64", "SCMP_ARCH_AARCH64" },
	{ "armv7l", "SCMP_ARCH_ARM" },    { "armhf", "SCMP_ARCH_ARM" },
	{ "ppc64el", "SCMP_ARCH_PPC64LE" }, { "riscv64", "SCMP_ARCH_RISCV64" },
	{ "s390x", "SCMP_ARCH_S390X" },
};

const struct shim_arch_info *shim_arch_by_any(const char *name)
{
	const struct shim_arch_info *a = shim_arch_by_oci(name);

	if (a || (a = shim_arch_by_go(name)))
		return a;
	for (size_t i = 0; i < ARRAY_SIZE(uname_arches); i++)
		if (strcasecmp(name, uname_arches[i].uname) == 0)
			return shim_arch_by_oci(uname_arches[i].oci);
	for (size_t i = 0; i < ARRAY_SIZE(shim_arch_table); i++)
		if (strcasecmp(name, shim_arch_table[i].oci) == 0 ||
		    strcasecmp(name, shim_arch_table[i].oci + strlen("SCMP_ARCH_")) == 0)
			return &shim_arch_table[i];
	return NULL;
}
