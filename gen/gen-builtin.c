/* gen-builtin: writes the built-in profiles as C data for lib/builtin.c
 * (build/lib/builtin-profiles.inc): each one parsed, and compiled for this
 * build's architecture for the capability sets containers start with.
 * Linked from lib/ itself (with lib/builtin.c built text-only), so what it
 * writes is what the shim would make at run time; a unit test checks that
 * again, byte for byte.
 *
 * A profile that gives any warning, needs a listener or fails to compile
 * stops the build: the built-in ones are ours and must be clean.
 */
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>

#include "internal.h"

/* Docker's default capability set. */
static const int docker_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
	CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
	CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
};

__attribute__((noreturn)) static void die(const char *what, const char *name, const char *msg)
{
	fprintf(stderr, "gen-builtin: %s: %s: %s\n", name, what, msg);
	exit(1);
}

/* A C string literal for s. */
static void put_str(const char *s)
{
	if (!s) {
		printf("NULL");
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\' || *p == '?')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\%03o", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static long arch_index(const struct shim_arch_info *a)
{
	long i = a - shim_arch_table;

	if (i < 0 || (size_t)i >= shim_arch_table_size)
		die("architecture", a->oci, "not in the table");
	return i;
}

static void put_arch_list(const char *sym, const struct shim_arch_info *const *v, size_t n)
{
	printf("static const struct shim_arch_info *%s[] = {", sym);
	for (size_t i = 0; i < n; i++)
		printf(" &shim_arch_table[%ld],", arch_index(v[i]));
	printf(" NULL };\n");
}

static void put_action(const struct shim_action *a)
{
	printf("{ (enum shim_action_kind)%d, %u, %s }", (int)a->kind, a->errno_ret,
	       a->kill_alias ? "true" : "false");
}

static void put_condition(const char *arches, const struct shim_condition *c)
{
	printf("{ %s, %zu, %#llxULL, %s, %s, %u, %u }", c->n_arches ? arches : "NULL", c->n_arches,
	       (unsigned long long)c->caps, c->has_caps ? "true" : "false",
	       c->has_min_kernel ? "true" : "false", c->min_kernel_major, c->min_kernel_minor);
}

/* The rules, architectures and arch map of profile t (text t). */
static void put_profile_data(unsigned t, const struct shim_profile *p)
{
	char sym[64], in[64], ex[64];

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];

		printf("static char *bp%u_r%zu_names[] = {", t, i);
		for (size_t j = 0; j < r->n_names; j++) {
			printf("%s", j % 4 ? " " : "\n\t");
			put_str(r->names[j]);
			putchar(',');
		}
		printf(" NULL };\n");
		if (r->n_args) {
			printf("static struct shim_arg bp%u_r%zu_args[] = {\n", t, i);
			for (size_t k = 0; k < r->n_args; k++)
				printf("\t{ %u, %#llxULL, %#llxULL, (enum shim_cmp_op)%d },\n",
				       r->args[k].index, (unsigned long long)r->args[k].value,
				       (unsigned long long)r->args[k].value_two, (int)r->args[k].op);
			printf("};\n");
		}
		snprintf(sym, sizeof(sym), "bp%u_r%zu_in", t, i);
		if (r->includes.n_arches)
			put_arch_list(sym, r->includes.arches, r->includes.n_arches);
		snprintf(sym, sizeof(sym), "bp%u_r%zu_ex", t, i);
		if (r->excludes.n_arches)
			put_arch_list(sym, r->excludes.arches, r->excludes.n_arches);
	}
	if (p->rules)
		printf("static struct shim_rule bp%u_rules[] = {\n", t);
	for (size_t i = 0; p->rules && i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];
		char args[64];

		snprintf(in, sizeof(in), "bp%u_r%zu_in", t, i);
		snprintf(ex, sizeof(ex), "bp%u_r%zu_ex", t, i);
		snprintf(args, sizeof(args), "bp%u_r%zu_args", t, i);
		printf("\t{ bp%u_r%zu_names, %zu, %s, ", t, i, r->n_names,
		       r->single_name ? "true" : "false");
		put_action(&r->action);
		printf(", %s, %zu, ", r->n_args ? args : "NULL", r->n_args);
		put_condition(in, &r->includes);
		printf(", ");
		put_condition(ex, &r->excludes);
		printf(", %zu, ", r->src_index);
		put_str(r->comment);
		printf(" },\n");
	}
	if (p->rules)
		printf("\t{ 0 } };\n");
	snprintf(sym, sizeof(sym), "bp%u_architectures", t);
	if (p->architectures)
		put_arch_list(sym, p->architectures, p->n_architectures);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		snprintf(sym, sizeof(sym), "bp%u_map%zu_sub", t, i);
		if (p->arch_map[i].sub)
			put_arch_list(sym, p->arch_map[i].sub, p->arch_map[i].n_sub);
	}
	if (p->arch_map) {
		printf("static struct shim_arch_map bp%u_arch_map[] = {\n", t);
		for (size_t i = 0; i < p->n_arch_map; i++) {
			printf("\t{ &shim_arch_table[%ld], ", arch_index(p->arch_map[i].arch));
			if (p->arch_map[i].sub)
				printf("bp%u_map%zu_sub", t, i);
			else
				printf("NULL");
			printf(", %zu },\n", p->arch_map[i].n_sub);
		}
		printf("\t{ 0 } };\n");
	}
	putchar('\n');
}

static void put_profile(size_t i, const struct shim_builtin *b, const struct shim_profile *p)
{
	unsigned t = b->text_index;

	printf("static struct shim_profile bprofile_%zu = {\n\t.path = ", i);
	put_str(b->name);
	printf(",\n\t.text = (char *)builtin_text_%u,\n\t.text_len = sizeof(builtin_text_%u) - 1,\n", t, t);
	printf("\t.default_action = ");
	put_action(&p->default_action);
	/* NULL where the parser leaves NULL (the field was absent). */
	if (p->architectures)
		printf(",\n\t.architectures = bp%u_architectures", t);
	printf(",\n\t.n_architectures = %zu,\n", p->n_architectures);
	if (p->arch_map)
		printf("\t.arch_map = bp%u_arch_map,\n", t);
	printf("\t.n_arch_map = %zu,\n", p->n_arch_map);
	printf("\t.has_flags = %s,\n\t.flags = %#x,\n", p->has_flags ? "true" : "false", p->flags);
	printf("\t.comment = ");
	put_str(p->comment);
	printf(",\n\t.listener_path = ");
	put_str(p->listener_path);
	printf(",\n\t.listener_metadata = ");
	put_str(p->listener_metadata);
	if (p->rules)
		printf(",\n\t.rules = bp%u_rules", t);
	printf(",\n\t.n_rules = %zu,\n\t.is_static = true,\n};\n\n", p->n_rules);
}

/* The highest minKernel the profile names (0.0 if none). */
static void max_min_kernel(const struct shim_profile *p, unsigned *major, unsigned *minor)
{
	*major = *minor = 0;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_condition *c[2] = { &p->rules[i].includes, &p->rules[i].excludes };
		for (int k = 0; k < 2; k++)
			if (c[k]->has_min_kernel &&
			    (c[k]->min_kernel_major > *major ||
			     (c[k]->min_kernel_major == *major && c[k]->min_kernel_minor > *minor))) {
				*major = c[k]->min_kernel_major;
				*minor = c[k]->min_kernel_minor;
			}
	}
}

static uint64_t caps_named(const struct shim_profile *p)
{
	uint64_t named = 0;

	for (size_t i = 0; i < p->n_rules; i++)
		named |= p->rules[i].includes.caps | p->rules[i].excludes.caps;
	return named;
}

/* Compiles p for caps on this architecture and a kernel newer than any
 * minKernel; returns how many programs were written (0 or 1). */
static int put_program(size_t n, unsigned t, const char *name, const struct shim_profile *p,
		       uint64_t caps)
{
	const struct scmp_version *v = seccomp_version();
	struct shim_host host = {
		.arch = shim_arch_native(),
		.kernel_major = UINT_MAX,
		.kernel_minor = UINT_MAX,
		.bounding = caps,
		.supported_flags = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG |
				   SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	};
	struct shim_compile_options opt = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_error err = { 0 };
	struct shim_policy pol;
	struct shim_filter f;
	unsigned major, minor;

	if (!host.arch)
		die("architecture", name, "this build's architecture is unknown to libseccomp");
	if (shim_resolve(p, &host, &pol, &warn, &err) < 0 ||
	    shim_compile(p, &pol, &opt, &f, &warn, &err) < 0)
		die("compile", name, err.msg);
	if (warn.n)
		die("compile", name, shim_warning_diag(&warn, 0)->message);
	if (pol.needs_listener)
		die("compile", name, "uses SCMP_ACT_NOTIFY");
	max_min_kernel(p, &major, &minor);
	printf("static const struct sock_filter bprog_%zu[] = {", n);
	for (size_t i = 0; i < f.n_insns; i++)
		printf("%s{ %#x, %u, %u, %#x },", i % 4 ? " " : "\n\t", f.insns[i].code, f.insns[i].jt,
		       f.insns[i].jf, f.insns[i].k);
	printf("\n};\n#define BPROG_%zu { %u, %#x, %u, %u, %u, %u, %u, %#llxULL, %#llxULL, %s, bprog_%zu, %zu }\n\n",
	       n, t, host.arch->token, v->major, v->minor, v->micro, major, minor,
	       (unsigned long long)caps_named(p), (unsigned long long)(caps & caps_named(p)),
	       f.by_libseccomp ? "true" : "false", n, f.n_insns);
	shim_filter_free(&f);
	shim_policy_free(&pol);
	return 1;
}

int main(void)
{
	struct shim_profile *parsed[16] = { 0 };
	/* "all" is every capability there can be, not the build host's:
	 * a program records only the capabilities its profile names, and
	 * lib/builtin.c uses it only for a run whose set agrees on those. */
	uint64_t docker = 0, all = UINT64_MAX;
	size_t n_programs = 0, n = shim_builtin_count();

	for (size_t i = 0; i < sizeof(docker_caps) / sizeof(docker_caps[0]); i++)
		docker |= 1ULL << docker_caps[i];
	printf("/* Generated by gen/gen-builtin from the built-in profiles: do not edit. */\n\n");
	for (size_t i = 0; i < n; i++) {
		struct shim_builtin b;
		struct shim_warnings warn = { 0 };
		struct shim_error err = { 0 };
		unsigned t;

		if (shim_builtin_at(i, &b) < 0 || (t = b.text_index) >= 16)
			die("table", "builtin", "bad entry");
		if (parsed[t])
			continue;
		if (shim_profile_parse(b.name, b.text, b.len, &parsed[t], &warn, &err) < 0)
			die("parse", b.name, err.msg);
		if (warn.n)
			die("parse", b.name, shim_warning_diag(&warn, 0)->message);
		put_profile_data(t, parsed[t]);
		/* One program per distinct set of the capabilities it names. */
		uint64_t sets[3] = { 0, docker, all }, named = caps_named(parsed[t]);
		for (int k = 0; k < 3; k++) {
			bool seen = false;
			for (int j = 0; j < k; j++)
				seen |= (sets[j] & named) == (sets[k] & named);
			if (!seen)
				n_programs += (size_t)put_program(n_programs, t, b.name, parsed[t], sets[k]);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct shim_builtin b;

		shim_builtin_at(i, &b);
		put_profile(i, &b, parsed[b.text_index]);
	}
	printf("static struct shim_profile *const builtin_profiles[] = {");
	for (size_t i = 0; i < n; i++)
		printf(" &bprofile_%zu,", i);
	printf(" };\n\nstatic const struct shim_precompiled builtin_programs[] = {\n");
	for (size_t i = 0; i < n_programs; i++)
		printf("\tBPROG_%zu,\n", i);
	printf("};\nstatic const size_t n_builtin_programs = %zu;\n", n_programs);
	for (size_t t = 0; t < 16; t++)
		shim_profile_free(parsed[t]);
	return fflush(stdout) == 0 ? 0 : 1;
}
