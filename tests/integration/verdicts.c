/* verdicts: the verdict of a profile's compiled filter for every syscall
 * of the native arch, under several argument vectors, from our BPF
 * interpreter. Test helper for comparing profiles.
 *
 *   verdicts PROFILE CAPS        (CAPS: a --caps-keep list)
 *
 * Prints "arch name a0 a2 VERDICT" per line, for every arch the filter
 * holds. */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>

#include "seccomp-shim.h"

int main(int argc, char **argv)
{
	/* Values that matter to argument rules in real profiles: clone flags,
	 * personality values, socket families and NETLINK_AUDIT. */
	static const uint64_t a0s[] = { 0, 1, 8, 16, 38, 39, 40, 41, 0x20000, 0x20008,
					0x10000000 /* CLONE_NEWUSER */, 0x7e020000, 0xffffffff };
	static const uint64_t a2s[] = { 0, 9 };
	struct shim_error err = { 0 };
	struct shim_profile *p;
	struct shim_policy pol;
	struct shim_filter f;
	struct shim_host host;
	uint64_t caps = 0;
	bool all = false;

	if (argc != 3) {
		fprintf(stderr, "usage: verdicts PROFILE CAPS\n");
		return 2;
	}
	if (shim_profile_load(argv[1], &p, NULL, &err) < 0 || shim_host_detect(&host, &err) < 0 ||
	    shim_caps_parse_list(argv[2], &caps, &all, &err) < 0) {
		fprintf(stderr, "verdicts: %s\n", err.msg);
		return 1;
	}
	host.bounding = all ? host.bounding : caps;
	if (shim_resolve(p, &host, &pol, NULL, &err) < 0 ||
	    shim_compile(p, &pol, NULL, &f, NULL, &err) < 0) {
		fprintf(stderr, "verdicts: %s\n", err.msg);
		return 1;
	}
	/* Every arch the filter holds (x86_64's profiles also hold x86 and
	 * x32), so that a verdict for i386 or x32 code is compared too. */
	for (size_t a = 0; a < pol.n_arches; a++) {
		uint32_t arch = pol.arches[a];
		/* An x32 call reaches the filter as x86_64's, its number with
		 * bit 30 set (lib/equiv.c does the same). */
		uint32_t data_arch = arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch;
		int base = arch == SCMP_ARCH_X32 ? 0x40000000 : 0;
		const char *arch_name = shim_arch_by_token(arch) ? shim_arch_by_token(arch)->oci : "?";

		for (int nr = base; nr < base + 1024; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(arch, nr);
			if (!name)
				continue;
			for (size_t i = 0; i < sizeof(a0s) / sizeof(a0s[0]); i++)
				for (size_t j = 0; j < sizeof(a2s) / sizeof(a2s[0]); j++) {
					struct shim_seccomp_data d = { .nr = nr, .arch = data_arch,
								       .args = { a0s[i], 0, a2s[j] } };
					uint32_t ret;
					char v[64];

					if (shim_bpf_run(f.insns, f.n_insns, &d, &ret, &err) < 0) {
						fprintf(stderr, "verdicts: %s\n", err.msg);
						return 1;
					}
					shim_bpf_ret_format(ret, v, sizeof(v));
					printf("%s %s %#llx %#llx %s\n", arch_name, name,
					       (unsigned long long)a0s[i], (unsigned long long)a2s[j], v);
				}
			free(name);
		}
	}
	shim_filter_free(&f);
	shim_policy_free(&pol);
	shim_profile_free(p);
	return 0;
}
