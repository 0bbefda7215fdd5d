/* builtin: the profiles compiled into the shim (runtime/default, audit).
 *
 * Their JSON text is embedded (messages point into it). At build time
 * gen/gen-builtin, linked from these same sources, parsed each one into C
 * data and compiled it for this build's architecture for the capability
 * sets a container starts with (none, Docker's default set, all), into
 * build/lib/builtin-profiles.inc: a run of a built-in profile reads no
 * JSON, and a fresh container (no cache) loads a program it did not
 * compile, as with --bpf.
 *
 * MUST: a precompiled program is used only where compiling here would
 * give the same bytes: the architecture it was made for, the libseccomp
 * version the build used (whose names and, for shapes our generator does
 * not handle, whose compiler made it), a kernel at or above every
 * minKernel the profile names (it was resolved for a newer kernel than
 * any of them), every flag the profile asks for supported, the same
 * capabilities among those its includes/excludes name, and no option
 * that changes the compiler. Otherwise the caller compiles. A unit test
 * compiles each profile at run time for each precompiled case and
 * compares the bytes.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "internal.h"

static const char builtin_text_0[] =
#include "runtime-default.inc"
	;
static const char builtin_text_1[] =
#include "audit.inc"
	;

/* Their SHA-256, computed at build time (the cache key uses it). */
static const uint8_t builtin_sha256_0[32] = {
#include "runtime-default.sha256.inc"
};
static const uint8_t builtin_sha256_1[32] = {
#include "audit.sha256.inc"
};

static const struct {
	const char *text;
	size_t len;
	const uint8_t *sha256;
} texts[] = {
	{ builtin_text_0, sizeof(builtin_text_0) - 1, builtin_sha256_0 },
	{ builtin_text_1, sizeof(builtin_text_1) - 1, builtin_sha256_1 },
};

/* Each name a built-in profile answers to (the first is what messages
 * show), and its text. */
static const struct {
	const char *name;
	unsigned text;
} names[] = {
	{ "runtime/default", 0 },
	{ "RuntimeDefault", 0 },
	{ "audit", 1 },
};

#ifdef SHIM_BUILTIN_TEXT_ONLY
/* gen/gen-builtin's own build: the texts, nothing made from them yet. */
static struct shim_profile *const builtin_profiles[ARRAY_SIZE(names)];
static const struct shim_precompiled builtin_programs[1];
static const size_t n_builtin_programs = 0;
#else
/* builtin_profiles[i] for names[i]; builtin_programs[]. */
#include "builtin-profiles.inc"
#endif

size_t shim_builtin_count(void)
{
	return ARRAY_SIZE(names);
}

int shim_builtin_at(size_t i, struct shim_builtin *out)
{
	if (i >= ARRAY_SIZE(names))
		return -1;
	out->name = names[i].name;
	out->text_index = names[i].text;
	out->text = texts[names[i].text].text;
	out->len = texts[names[i].text].len;
	out->sha256 = texts[names[i].text].sha256;
	out->profile = builtin_profiles[i];
	return 0;
}

int shim_builtin_find(const char *name, struct shim_builtin *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i].name) == 0)
			return shim_builtin_at(i, out);
	return -1;
}

const char *shim_builtin_profile(const char *name)
{
	struct shim_builtin b;

	return shim_builtin_find(name, &b) == 0 ? b.text : NULL;
}

size_t shim_builtin_programs(const struct shim_precompiled **out)
{
	*out = builtin_programs;
	return n_builtin_programs;
}

static bool kernel_at_least(const struct shim_host *h, unsigned major, unsigned minor)
{
	return h->kernel_major > major || (h->kernel_major == major && h->kernel_minor >= minor);
}

/* Whether program pc holds for host and opt (see MUST above). */
static bool program_fits(const struct shim_precompiled *pc, const struct shim_builtin *b,
			 const struct shim_host *host, const struct shim_compile_options *opt)
{
	const struct scmp_version *v = seccomp_version();
	const struct shim_profile *p = b->profile;

	if (pc->text_index != b->text_index || pc->arch != host->arch->token ||
	    pc->seccomp_major != v->major || pc->seccomp_minor != v->minor ||
	    pc->seccomp_micro != v->micro)
		return false;
	if (!kernel_at_least(host, pc->min_kernel_major, pc->min_kernel_minor))
		return false;
	if (p->has_flags && ((p->flags & ~host->supported_flags) ||
			     (p->flags & SHIM_FLAG_WAIT_KILLABLE_RECV)))
		return false; /* compiling says what is wrong */
	if (opt && (opt->linear || opt->libseccomp))
		return false;
	return (host->bounding & pc->caps_named) == pc->caps;
}

int shim_builtin_precompiled(const struct shim_builtin *b, const struct shim_host *host,
			     const struct shim_compile_options *opt, struct shim_filter *out)
{
	memset(out, 0, sizeof(*out));
	if (!b->profile)
		return 0;
	for (size_t i = 0; i < n_builtin_programs; i++) {
		const struct shim_precompiled *pc = &builtin_programs[i];
		const struct shim_profile *p = b->profile;

		if (!program_fits(pc, b, host, opt))
			continue;
		out->insns = malloc(pc->n_insns * sizeof(*out->insns));
		if (!out->insns)
			return -1;
		memcpy(out->insns, pc->insns, pc->n_insns * sizeof(*out->insns));
		out->n_insns = pc->n_insns;
		out->by_libseccomp = pc->by_libseccomp;
		/* As shim_resolve sets them: no flags field means SPEC_ALLOW
		 * where the kernel has it. */
		out->flags = p->has_flags ? p->flags
					  : (host->supported_flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW);
		return 1;
	}
	return 0;
}
