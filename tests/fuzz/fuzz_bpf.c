/* Fuzz target: arbitrary classic BPF programs and seccomp_data through the
 * interpreter. It must refuse what the kernel's checker refuses (bad jumps,
 * loads outside seccomp_data, no return) and never read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp-shim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shim_seccomp_data d;
	struct shim_error err;
	struct sock_filter *prog;
	size_t n;
	uint32_t ret;
	char verdict[64];

	if (size < sizeof(d))
		return 0;
	memcpy(&d, data, sizeof(d));
	n = (size - sizeof(d)) / sizeof(*prog);
	/* An exact-size copy, so ASan sees any read past the program. */
	prog = n ? malloc(n * sizeof(*prog)) : NULL;
	if (n && !prog)
		return 0;
	if (n)
		memcpy(prog, data + sizeof(d), n * sizeof(*prog));
	if (shim_bpf_run(prog, n, &d, &ret, &err) == 0)
		shim_bpf_ret_format(ret, verdict, sizeof(verdict));
	free(prog);
	return 0;
}
