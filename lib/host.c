/* The machine a profile is resolved against: arch, kernel, flags, caps. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "internal.h"

int shim_kernel_parse_release(const char *release, unsigned *major,
			      unsigned *minor)
{
	char tail;

	if (release[0] < '0' || release[0] > '9')
		return -1;
	if (sscanf(release, "%u.%u%c", major, minor, &tail) < 2)
		return -1;
	return 0;
}

/* seccomp(SET_MODE_FILTER, flag, NULL) fails with EFAULT when the kernel
 * knows the flag (it got as far as reading the program) and EINVAL when it
 * does not. Nothing is installed either way. */
unsigned shim_kernel_supported_flags(void)
{
	static const unsigned candidates[] = {
		SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG,
		SECCOMP_FILTER_FLAG_SPEC_ALLOW, SHIM_FLAG_WAIT_KILLABLE_RECV,
	};
	unsigned supported = 0;

	for (size_t i = 0; i < ARRAY_SIZE(candidates); i++) {
		unsigned flag = candidates[i];
		/* WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER. */
		unsigned probe = flag == SHIM_FLAG_WAIT_KILLABLE_RECV ? flag | SECCOMP_FILTER_FLAG_NEW_LISTENER : flag;
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, probe, NULL) < 0 &&
		    errno == EFAULT)
			supported |= flag;
	}
	return supported;
}

uint64_t shim_caps_read_bounding(void)
{
	uint64_t set = 0;

	for (int cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
		if (r < 0)
			break; /* past the kernel's last capability */
		if (r == 1)
			set |= 1ULL << cap;
	}
	return set;
}

int shim_host_detect(struct shim_host *host, struct shim_error *err)
{
	struct utsname u;

	memset(host, 0, sizeof(*host));
	host->arch = shim_arch_native();
	if (!host->arch) {
		shim_error_set(err, ENOTSUP, "this machine's architecture is not known to libseccomp");
		return -1;
	}
	if (uname(&u) < 0 ||
	    shim_kernel_parse_release(u.release, &host->kernel_major,
				      &host->kernel_minor) < 0) {
		shim_error_set(err, EINVAL, "cannot read the kernel version (uname: \"%s\")",
			       u.release);
		return -1;
	}
	host->bounding = shim_caps_read_bounding();
	host->permitted = shim_caps_read_permitted();
	host->supported_flags = shim_kernel_supported_flags();
	return 0;
}
