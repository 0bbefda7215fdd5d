/* lint: socketcall-bypass, i386's socketcall(2) and ipc(2) letting
 * through calls the profile restricts (argument tests or a denial) for
 * the direct calls only.
 *
 * MUST: every finding names file:line:column and the JSON path, says what
 * is wrong and how to fix it; verdicts come from the compiled filter in
 * the interpreter, not from reading the rules.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <linux/seccomp.h>

#include "lint.h"

static bool is_on(const struct shim_policy *pol, uint32_t arch)
{
	for (size_t i = 0; i < pol->n_arches; i++)
		if (pol->arches[i] == arch)
			return true;
	return false;
}

/* The calls x86's socketcall(2) and ipc(2) carry, by their number there
 * (arg0); libseccomp turns a rule for one of them into a rule for the
 * multiplexer on that number (lib/bpfgen.c, add_x86). */
struct mux_call {
	const char *name;
	unsigned sub;
};

static const struct mux_call socket_calls[] = {
	{ "socket", 1 },       { "bind", 2 },	      { "connect", 3 },	   { "listen", 4 },
	{ "accept", 5 },       { "getsockname", 6 },  { "getpeername", 7 }, { "socketpair", 8 },
	{ "send", 9 },	       { "recv", 10 },	      { "sendto", 11 },	   { "recvfrom", 12 },
	{ "shutdown", 13 },    { "setsockopt", 14 },  { "getsockopt", 15 }, { "sendmsg", 16 },
	{ "recvmsg", 17 },     { "accept4", 18 },     { "recvmmsg", 19 },  { "sendmmsg", 20 },
};

static const struct mux_call ipc_calls[] = {
	{ "semop", 1 },	  { "semget", 2 },  { "semctl", 3 },  { "semtimedop", 4 },
	{ "msgsnd", 11 }, { "msgrcv", 12 }, { "msgget", 13 }, { "msgctl", 14 },
	{ "shmat", 21 },  { "shmdt", 22 },  { "shmget", 23 }, { "shmctl", 24 },
};

/* Does the profile hold call back somewhere: a rule with argument tests,
 * or a verdict on the native arch that does not let it through? */
static bool restricted(const struct shim_policy *pol, const struct shim_filter *f,
		       uint32_t arch, const char *call)
{
	static const uint64_t zero[6];
	int nr = shim_syscall_resolve_name_arch(arch, call);

	for (size_t j = 0; j < pol->n_rules; j++)
		if (pol->rules[j].n_args && strcmp(pol->rules[j].name, call) == 0)
			return true;
	return nr >= 0 && !shim_lint_passes(shim_lint_verdict_args(f, arch, nr, zero));
}

/* Does the multiplexer (number mux on x86) let call through, for the
 * arguments any of call's rules (or none) would test? */
static bool mux_passes(const struct shim_policy *pol, const struct shim_filter *f, int mux,
		       const struct mux_call *call)
{
	uint64_t args[6] = { call->sub };

	if (shim_lint_passes(shim_lint_verdict_args(f, SCMP_ARCH_X86, mux, args)))
		return true;
	for (size_t j = 0; j < pol->n_rules; j++) {
		if (strcmp(pol->rules[j].name, call->name) != 0)
			continue;
		shim_lint_witness(&pol->rules[j], args);
		args[0] = call->sub;
		if (shim_lint_passes(shim_lint_verdict_args(f, SCMP_ARCH_X86, mux, args)))
			return true;
	}
	return false;
}

/* Where to point: the multiplexer's own rule that lets it through, else
 * the first rule for one of the calls that get through it. */
static void mux_path(const struct shim_policy *pol, const char *mux, const char *first,
		     char *path, size_t size)
{
	const struct shim_policy_rule *at_rule = NULL;

	for (size_t j = 0; j < pol->n_rules && !at_rule; j++)
		if (strcmp(pol->rules[j].name, mux) == 0 && pol->rules[j].n_args == 0 &&
		    shim_lint_passes(shim_action_ret(&pol->rules[j].action)))
			at_rule = &pol->rules[j];
	for (size_t j = 0; j < pol->n_rules && !at_rule; j++)
		if (strcmp(pol->rules[j].name, first) == 0)
			at_rule = &pol->rules[j];
	if (at_rule)
		snprintf(path, size, "syscalls[%zu].names[%zu]", at_rule->src_index,
			 at_rule->src_name_index);
	else
		snprintf(path, size, "defaultAction");
}

/* i386 socketcall(2) and ipc(2): BPF cannot follow socketcall's pointer to
 * its arguments, and libseccomp tests ipc's at the carried call's own
 * index, one place off. A call the profile restricts (argument tests, or
 * a denial) that the multiplexer lets through is open to int 0x80 code.
 * runc's meaning, kept: this only says so. */
void shim_lint_multiplexers(const struct shim_profile *p, const struct shim_policy *pol,
			    const struct shim_filter *f, uint32_t arch, struct shim_findings *out)
{
	static const struct {
		const char *name;
		const struct mux_call *calls;
		size_t n;
		const char *why, *fix, *then;
	} muxes[] = {
		{ "socketcall", socket_calls, ARRAY_SIZE(socket_calls),
		  "socketcall passes the arguments in memory, where the filter cannot read them, so libseccomp matches it on the call number alone",
		  "give socketcall an unconditional rule of its own, before the socket rules",
		  "i386 programs whose C library calls socketcall (Debian 12's glibc) then cannot use sockets" },
		{ "ipc", ipc_calls, ARRAY_SIZE(ipc_calls),
		  "ipc passes the arguments one place further on, some in memory, and libseccomp matches it on the call number and tests the rest where the direct call has them",
		  "give ipc an unconditional rule of its own",
		  "i386 programs whose C library calls ipc (Debian 12's glibc) then cannot use System V IPC" },
	};

	/* ENOSYS, as on a kernel without the multiplexer, unless that is
	 * the default (then the rule would be skipped): EPERM. */
	int fix_errno = shim_action_ret(&pol->default_action) == (SECCOMP_RET_ERRNO | ENOSYS) ?
				EPERM : ENOSYS;

	if (!is_on(pol, SCMP_ARCH_X86))
		return;
	for (size_t m = 0; m < ARRAY_SIZE(muxes); m++) {
		int mux = shim_syscall_resolve_name_arch(SCMP_ARCH_X86, muxes[m].name);
		char open[320] = "", path[64], fix[512];
		const char *first = NULL;

		for (size_t c = 0; mux >= 0 && c < muxes[m].n; c++) {
			const struct mux_call *call = &muxes[m].calls[c];

			if (!restricted(pol, f, arch, call->name) || !mux_passes(pol, f, mux, call))
				continue;
			first = first ? first : call->name;
			if (strlen(open) + strlen(call->name) + 3 < sizeof(open))
				snprintf(open + strlen(open), sizeof(open) - strlen(open), "%s%s",
					 open[0] ? ", " : "", call->name);
		}
		if (!first)
			continue;
		mux_path(pol, muxes[m].name, first, path, sizeof(path));
		snprintf(fix, sizeof(fix), "%s: SCMP_ACT_ERRNO with \"errnoRet\": %d (%s: not the default action's errno, or the rule is skipped); or drop SCMP_ARCH_X86 from the profile. %s",
			 muxes[m].fix, fix_errno, shim_errno_name(fix_errno), muxes[m].then);
		shim_lint_at(out, p, SHIM_SEV_WARNING, "socketcall-bypass", fix, path,
			     "i386 code reaches %s through %s(2), which the filter lets through: the profile's argument tests and denials for %s hold only for the direct calls (%s)",
			     open, muxes[m].name, open, muxes[m].why);
	}
}
