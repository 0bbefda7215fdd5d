/* refeval: what the resolved rules say for one call, with no program.
 *
 * The reference that every program we load is held to (lib/equiv.c,
 * shim_filter_check) and that eval names its reasons from. It reads the
 * policy (after resolve), never BPF, and none of the generators' code.
 *
 * MUST: for (arch, nr, args) as seccomp_data carries them, give the
 * verdict libseccomp 2.5.4's documented semantics give the rules, with
 * the quirks its programs have on purpose, and runc's ENOSYS stub:
 *  - an arch the policy does not list: libseccomp's bad-arch action
 *    (KILL_THREAD). x86_64 and x32 share AUDIT_ARCH_X86_64 and are told
 *    apart by bit 30 of the number; with x86_64 but no x32, a number with
 *    bit 30 is a foreign one except -1 (what tracers use to skip a call).
 *  - the stub: a number above the highest one the policy names on that
 *    arch gets ERRNO(ENOSYS), unless the default allows (shim_stub_wanted).
 *  - names are resolved on the native arch and carried to the others
 *    through the native name, as libseccomp does; unknown names, names an
 *    arch lacks (pseudo numbers) and rules whose action is the default's
 *    are not rules. On arches that multiplex (x86, s390, ppc, mips: where
 *    socketcall exists), a socket or ipc call is also socketcall(2)/ipc(2)
 *    with arg0 == the call number, which replaces the rule's own arg0
 *    test; the other tests stay.
 *  - a rule's tests are ANDed; 32-bit arches compare the low 32 bits of
 *    argument and value; MASKED_EQ is (arg & mask) == (value & mask).
 *    A masked test whose mask has no bit in the arch's width (mask 0; on
 *    a 32-bit arch, no bit in the low word) is no test at all: libseccomp
 *    leaves it out, so a rule of only such tests is unconditional there
 *    (and decides as below). Other tests that always hold or never hold
 *    (GE 0, LT 0) stay tests: their rule stays conditional, as in
 *    libseccomp.
 *  - an unconditional rule for a syscall decides it whatever the other
 *    rules say (the first such rule). Otherwise the conditional rules
 *    whose tests hold decide, and with none the default. libseccomp
 *    documents its rules as a union and says nothing of which action wins
 *    when rules with different actions hold together (its program decides
 *    by its own tree order, not the profile's): then each of their
 *    actions is what the rules say, and the first rule's names the verdict.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "internal.h"

#define AUDIT_ARCH_64BIT 0x80000000u
#define BADARCH_RET SECCOMP_RET_KILL_THREAD /* libseccomp's default */

struct ref_cond {
	unsigned index;
	enum shim_cmp_op op;
	uint64_t mask, value; /* value already masked and cut to the arch's width */
	uint64_t raw_value, raw_two; /* as written, for building test inputs */
};

/* One rule as it applies on one arch: a syscall number and its tests. */
struct ref_entry {
	uint32_t nr;
	size_t order; /* the rule's position in the policy */
	const struct shim_policy_rule *rule;
	uint32_t ret;
	const struct ref_cond *conds; /* in the arch's cond_pool */
	size_t n_conds;
};

struct ref_arch {
	uint32_t token; /* libseccomp's */
	int bits; /* argument width libseccomp compares */
	long max_nr; /* for the stub; -1: none named */
	struct ref_entry *v; /* sorted by nr, then order */
	size_t n, cap;
	/* Every entry's tests, sized once for the most the rules can make
	 * (each rule two entries at most, each with its tests and a mux
	 * test): entries stay small, and nothing is copied as it grows. */
	struct ref_cond *cond_pool;
	size_t n_cond_pool, cap_cond_pool;
};

struct shim_ref {
	const struct shim_policy *pol;
	uint32_t def;
	bool stub;
	struct ref_arch arch[ARRAY_SIZE(((struct shim_policy *)0)->arches)];
	size_t n_arch;
};

/* libseccomp's width for an arch: the audit arch's 64-bit flag, except
 * MIPS n32 (a 64-bit audit arch with 32-bit arguments); x32's token has
 * no 64-bit flag. */
static int arch_bits(uint32_t token)
{
	if (token == SCMP_ARCH_MIPS64N32 || token == SCMP_ARCH_MIPSEL64N32)
		return 32;
	return token & AUDIT_ARCH_64BIT ? 64 : 32;
}

/* Socket and ipc calls as the kernel numbers them in socketcall(2)'s and
 * ipc(2)'s first argument (linux/net.h, linux/ipc.h). */
static const struct {
	const char *name;
	bool ipc;
	unsigned call;
} mux_calls[] = {
	{ "socket", false, 1 }, { "bind", false, 2 }, { "connect", false, 3 },
	{ "listen", false, 4 }, { "accept", false, 5 }, { "getsockname", false, 6 },
	{ "getpeername", false, 7 }, { "socketpair", false, 8 }, { "send", false, 9 },
	{ "recv", false, 10 }, { "sendto", false, 11 }, { "recvfrom", false, 12 },
	{ "shutdown", false, 13 }, { "setsockopt", false, 14 }, { "getsockopt", false, 15 },
	{ "sendmsg", false, 16 }, { "recvmsg", false, 17 }, { "accept4", false, 18 },
	{ "recvmmsg", false, 19 }, { "sendmmsg", false, 20 },
	{ "semop", true, 1 }, { "semget", true, 2 }, { "semctl", true, 3 },
	{ "semtimedop", true, 4 }, { "msgsnd", true, 11 }, { "msgrcv", true, 12 },
	{ "msgget", true, 13 }, { "msgctl", true, 14 }, { "shmat", true, 21 },
	{ "shmdt", true, 22 }, { "shmget", true, 23 }, { "shmctl", true, 24 },
};

static int mux_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(mux_calls); i++)
		if (strcmp(mux_calls[i].name, name) == 0)
			return (int)i;
	return -1;
}

int shim_mux_family(const char *name, unsigned *call)
{
	int m = mux_index(name);

	*call = 0;
	if (m >= 0) {
		*call = mux_calls[m].call;
		return mux_calls[m].ipc ? 2 : 1;
	}
	return strcmp(name, "socketcall") == 0 ? 1 : strcmp(name, "ipc") == 0 ? 2 : 0;
}

const char *shim_mux_name(size_t i)
{
	return i < ARRAY_SIZE(mux_calls) ? mux_calls[i].name : NULL;
}

/* The direct syscall numbers of the socket and ipc calls on a
 * multiplexing arch (-1: none), found once. libseccomp's name lookup
 * answers these names with pseudo numbers, so the numbers near
 * socketcall's are searched by name: in the syscall table, or where it
 * cannot say, by asking libseccomp for each number's name. */
static void mux_directs(uint32_t arch, int socketcall, int direct[ARRAY_SIZE(mux_calls)])
{
	int base = socketcall - 102; /* 0, or 4000 on MIPS o32 */
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mux_calls); i++)
		direct[i] = -1;
	for (i = 0; i < ARRAY_SIZE(mux_calls); i++)
		if (shim_syscall_lowest_num(arch, mux_calls[i].name, base, base + 1100, &direct[i]) < 0)
			break;
	if (i == ARRAY_SIZE(mux_calls))
		return;
	for (i = 0; i < ARRAY_SIZE(mux_calls); i++)
		direct[i] = -1;
	for (int nr = base; nr < base + 1100; nr++) {
		char *n = seccomp_syscall_resolve_num_arch(arch, nr);
		int m = n ? mux_index(n) : -1;

		free(n);
		if (m >= 0 && direct[m] < 0)
			direct[m] = nr;
	}
}

static struct ref_cond make_cond(unsigned index, enum shim_cmp_op op, uint64_t value,
				 uint64_t two, int bits)
{
	uint64_t width = bits == 32 ? UINT32_MAX : UINT64_MAX;
	struct ref_cond c = { index, op, width, 0, value, two };

	if (op == SHIM_OP_MASKED_EQ) {
		c.mask = value & width;
		c.value = two & c.mask;
	} else {
		c.value = value & width;
	}
	return c;
}

/* A test libseccomp leaves out on an arch of this width (always true). */
static bool cond_dropped(const struct shim_arg *arg, int bits)
{
	uint64_t width = bits == 32 ? UINT32_MAX : UINT64_MAX;

	return arg->op == SHIM_OP_MASKED_EQ && (arg->value & width) == 0;
}

static int entry_add(struct ref_arch *a, uint32_t nr, size_t order,
		     const struct shim_policy_rule *r, uint32_t ret, int mux_call)
{
	struct ref_cond *c = a->cond_pool + a->n_cond_pool;
	struct ref_entry *e;

	if (a->n == a->cap || a->n_cond_pool + r->n_args + 1 > a->cap_cond_pool)
		return -1; /* not reached: shim_ref_new sized both */
	e = &a->v[a->n++];
	*e = (struct ref_entry){ .nr = nr, .order = order, .rule = r, .ret = ret, .conds = c };
	if (mux_call >= 0)
		c[e->n_conds++] = make_cond(0, SHIM_OP_EQ, (uint64_t)mux_call, 0, a->bits);
	for (size_t i = 0; i < r->n_args; i++) {
		if ((mux_call >= 0 && r->args[i].index == 0) || cond_dropped(&r->args[i], a->bits))
			continue;
		c[e->n_conds++] = make_cond(r->args[i].index, r->args[i].op, r->args[i].value,
					    r->args[i].value_two, a->bits);
	}
	a->n_cond_pool += e->n_conds;
	return 0;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct ref_entry *a = x, *b = y;

	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Each rule's name as libseccomp carries it to another arch: through
 * the native number's name. */
struct native {
	int nr;
	const char *name; /* NULL: none; the syscall table's (lib/syscalls.c) */
};

static int build_arch(struct shim_ref *ref, struct ref_arch *a, const struct native *nat)
{
	const struct shim_policy *pol = ref->pol;
	bool native = a->token == seccomp_arch_native();
	int socketcall = shim_syscall_resolve_name_arch(a->token, "socketcall");
	int ipc = shim_syscall_resolve_name_arch(a->token, "ipc");
	int direct[ARRAY_SIZE(mux_calls)];
	bool have_direct = false;

	a->bits = arch_bits(a->token);
	a->max_nr = -1;
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct shim_policy_rule *r = &pol->rules[i];
		uint32_t ret = shim_action_ret(&r->action);
		int nr = native ? nat[i].nr : __NR_SCMP_ERROR, named, m, rc = 0;

		if (!native && nat[i].nr != __NR_SCMP_ERROR && nat[i].name)
			nr = shim_syscall_resolve_name_arch(a->token, nat[i].name);
		/* The stub's limit: the names as written (shim_policy_max_nr). */
		named = native || (nat[i].name && strcmp(nat[i].name, r->name) == 0)
				? nr
				: shim_syscall_resolve_name_arch(a->token, r->name);
		if (named >= 0 && named > a->max_nr)
			a->max_nr = named;
		if (ret == ref->def || nr == __NR_SCMP_ERROR)
			continue;
		if (socketcall > 0 && nr < 0 &&
		    (m = mux_index(nat[i].name ? nat[i].name : r->name)) >= 0) {
			int via = mux_calls[m].ipc ? ipc : socketcall;

			if (!have_direct)
				mux_directs(a->token, socketcall, direct);
			have_direct = true;
			if (via > 0)
				rc = entry_add(a, (uint32_t)via, i, r, ret, (int)mux_calls[m].call);
			if (rc == 0 && direct[m] >= 0)
				rc = entry_add(a, (uint32_t)direct[m], i, r, ret, -1);
		} else if (nr >= 0) {
			rc = entry_add(a, (uint32_t)nr, i, r, ret, -1);
		}
		if (rc < 0)
			return -1;
	}
	if (a->n > 1)
		qsort(a->v, a->n, sizeof(*a->v), cmp_entry);
	return 0;
}

int shim_ref_new(const struct shim_policy *pol, struct shim_ref **out, struct shim_error *err)
{
	struct shim_ref *ref = calloc(1, sizeof(*ref));
	struct native *nat = calloc(pol->n_rules + 1, sizeof(*nat));
	size_t n_args = 0;
	int rc = -1;

	if (!ref || !nat)
		goto out;
	ref->pol = pol;
	ref->def = shim_action_ret(&pol->default_action);
	ref->stub = shim_stub_wanted(&pol->default_action);
	for (size_t i = 0; i < pol->n_rules; i++) {
		nat[i].nr = shim_syscall_resolve_name(pol->rules[i].name);
		if (nat[i].nr != __NR_SCMP_ERROR)
			nat[i].name = shim_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nat[i].nr);
	}
	for (size_t i = 0; i < pol->n_rules; i++)
		n_args += pol->rules[i].n_args + 1;
	for (size_t i = 0; i < pol->n_arches; i++) {
		struct ref_arch *a = &ref->arch[ref->n_arch++];

		a->token = pol->arches[i];
		a->cap = 2 * pol->n_rules;
		a->cap_cond_pool = 2 * n_args;
		a->v = malloc((a->cap ? a->cap : 1) * sizeof(*a->v));
		a->cond_pool = malloc((a->cap_cond_pool ? a->cap_cond_pool : 1) * sizeof(*a->cond_pool));
		if (!a->v || !a->cond_pool || build_arch(ref, a, nat) < 0)
			goto out;
	}
	*out = ref;
	rc = 0;
out:
	free(nat);
	if (rc < 0) {
		shim_ref_free(ref);
		shim_error_set(err, ENOMEM, "out of memory");
	}
	return rc;
}

void shim_ref_free(struct shim_ref *ref)
{
	if (!ref)
		return;
	for (size_t i = 0; i < ref->n_arch; i++) {
		free(ref->arch[i].v);
		free(ref->arch[i].cond_pool);
	}
	free(ref);
}

static const struct ref_arch *find_arch(const struct shim_ref *ref, uint32_t token)
{
	for (size_t i = 0; i < ref->n_arch; i++)
		if (ref->arch[i].token == token)
			return &ref->arch[i];
	return NULL;
}

/* The arch whose rules decide a call, or NULL for a foreign one; *no_stub
 * when the stub lets the call through whatever its number. */
static const struct ref_arch *arch_of(const struct shim_ref *ref, uint32_t data_arch,
				      uint32_t nr, bool *no_stub)
{
	const struct ref_arch *x86_64, *x32;

	*no_stub = false;
	if (data_arch != SCMP_ARCH_X86_64)
		return data_arch == SCMP_ARCH_X32 ? NULL : find_arch(ref, data_arch);
	x86_64 = find_arch(ref, SCMP_ARCH_X86_64);
	x32 = find_arch(ref, SCMP_ARCH_X32);
	if (!(nr & SHIM_X32_SYSCALL_BIT))
		return x86_64;
	if (x32)
		return x32;
	*no_stub = true;
	return nr == UINT32_MAX ? x86_64 : NULL;
}

static bool cond_holds(const struct ref_cond *c, uint64_t arg)
{
	uint64_t v = arg & c->mask;

	switch (c->op) {
	case SHIM_OP_NE: return v != c->value;
	case SHIM_OP_LT: return v < c->value;
	case SHIM_OP_LE: return v <= c->value;
	case SHIM_OP_EQ: return v == c->value;
	case SHIM_OP_GE: return v >= c->value;
	case SHIM_OP_GT: return v > c->value;
	case SHIM_OP_MASKED_EQ: return v == c->value;
	}
	return false;
}

static bool entry_holds(const struct ref_entry *e, const uint64_t args[6])
{
	for (size_t i = 0; i < e->n_conds; i++)
		if (!cond_holds(&e->conds[i], args[e->conds[i].index]))
			return false;
	return true;
}

/* The first entry for nr in a sorted array, and how many there are. */
static const struct ref_entry *entries_for(const struct ref_arch *a, uint32_t nr, size_t *n)
{
	size_t lo = 0, hi = a->n, end;

	*n = 0;
	if (a->n == 0) /* a->v is NULL */
		return a->v;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->v[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < a->n && a->v[end].nr == nr; end++)
		;
	*n = end - lo;
	return a->v + lo;
}

static void add_match(struct shim_ref_verdict *v, const struct ref_entry *e)
{
	for (size_t i = 0; i < v->n_match; i++)
		if (v->match[i].ret == e->ret)
			return;
	if (v->n_match < ARRAY_SIZE(v->match))
		v->match[v->n_match++] = (struct shim_ref_match){ e->ret, e->rule };
}

void shim_ref_call_at(const struct shim_ref *ref, uint32_t data_arch, uint32_t nr,
		      struct shim_ref_call *c)
{
	bool no_stub;

	*c = (struct shim_ref_call){ .ref = ref };
	c->arch = arch_of(ref, data_arch, nr, &no_stub);
	if (!c->arch)
		return;
	c->stubbed = ref->stub && !no_stub && c->arch->max_nr >= 0 && nr > (uint64_t)c->arch->max_nr;
	if (!c->stubbed)
		c->entries = entries_for(c->arch, nr, &c->n_entries);
}

void shim_ref_eval_call(const struct shim_ref_call *c, const uint64_t args[6],
			struct shim_ref_verdict *v)
{
	const struct ref_entry *e = c->entries;
	size_t n = c->n_entries;

	memset(v, 0, sizeof(*v));
	v->max_nr = -1;
	if (!c->arch) {
		v->ret = BADARCH_RET;
		v->by = SHIM_BY_BAD_ARCH;
		return;
	}
	v->max_nr = c->arch->max_nr;
	if (c->stubbed) {
		v->ret = SECCOMP_RET_ERRNO | ENOSYS;
		v->by = SHIM_BY_ENOSYS_STUB;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (e[i].n_conds == 0) {
			v->ret = e[i].ret;
			v->by = SHIM_BY_RULE;
			v->rule = e[i].rule;
			return;
		}
	v->reads_args = n > 0;
	for (size_t i = 0; i < n; i++)
		if (entry_holds(&e[i], args))
			add_match(v, &e[i]);
	if (v->n_match == 0) {
		v->ret = c->ref->def;
		v->by = SHIM_BY_DEFAULT;
		return;
	}
	v->ret = v->match[0].ret;
	v->by = SHIM_BY_RULE;
	v->rule = v->match[0].rule;
}

void shim_ref_eval(const struct shim_ref *ref, const struct shim_seccomp_data *d,
		   struct shim_ref_verdict *v)
{
	struct shim_ref_call c;

	shim_ref_call_at(ref, d->arch, (uint32_t)d->nr, &c);
	shim_ref_eval_call(&c, d->args, v);
}

const struct shim_policy_rule *shim_ref_accepts(const struct shim_ref_verdict *v, uint32_t ret,
						 bool *accepted)
{
	*accepted = ret == v->ret;
	if (*accepted)
		return v->rule;
	for (size_t i = 1; i < v->n_match; i++)
		if (v->match[i].ret == ret) {
			*accepted = true;
			return v->match[i].rule;
		}
	return NULL;
}

void shim_ref_each_cond(const struct shim_ref *ref, uint32_t data_arch, uint32_t nr,
			void (*fn)(void *ctx, size_t entry, unsigned index, enum shim_cmp_op op,
				   uint64_t value, uint64_t two),
			void *ctx)
{
	bool no_stub;
	const struct ref_arch *a = arch_of(ref, data_arch, nr, &no_stub);
	const struct ref_entry *e;
	size_t n;

	if (!a)
		return;
	e = entries_for(a, nr, &n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < e[i].n_conds; j++)
			fn(ctx, i, e[i].conds[j].index, e[i].conds[j].op, e[i].conds[j].raw_value,
			   e[i].conds[j].raw_two);
}

void shim_ref_each_nr(const struct shim_ref *ref, uint32_t data_arch,
		      void (*fn)(void *ctx, uint32_t nr), void *ctx)
{
	for (size_t i = 0; i < ref->n_arch; i++) {
		const struct ref_arch *a = &ref->arch[i];

		if (a->token != data_arch &&
		    !(data_arch == SCMP_ARCH_X86_64 && a->token == SCMP_ARCH_X32))
			continue;
		if (a->max_nr >= 0)
			fn(ctx, (uint32_t)a->max_nr);
		for (size_t k = 0; k < a->n; k++)
			if (k == 0 || a->v[k].nr != a->v[k - 1].nr)
				fn(ctx, a->v[k].nr);
	}
}

/* The action that decides nr whatever the arguments (its first
 * unconditional rule), or false when its rules test arguments. */
static bool decided(const struct ref_entry *e, size_t n, uint32_t *ret)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].n_conds == 0) {
			*ret = e[i].ret;
			return true;
		}
	return false;
}

void shim_ref_each_cut(const struct shim_ref *ref, uint32_t data_arch,
		       void (*fn)(void *ctx, uint64_t cut), void *ctx)
{
	/* arch_of: bit 30 and the top half (x32 and foreign numbers), -1. */
	static const uint64_t edges[] = { SHIM_X32_SYSCALL_BIT, 0x80000000u,
					  0x80000000u | SHIM_X32_SYSCALL_BIT, UINT32_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(edges); i++)
		fn(ctx, edges[i]);
	for (size_t i = 0; i < ref->n_arch; i++) {
		const struct ref_arch *a = &ref->arch[i];
		bool prev_decided = false;
		uint32_t prev_ret = 0;

		if (a->token != data_arch &&
		    !(data_arch == SCMP_ARCH_X86_64 && a->token == SCMP_ARCH_X32))
			continue;
		if (a->max_nr >= 0)
			fn(ctx, (uint64_t)a->max_nr + 1);
		for (size_t k = 0, n; k < a->n; k += n) {
			const struct ref_entry *e = entries_for(a, a->v[k].nr, &n);
			uint32_t nr = e->nr, ret = 0;
			bool now = decided(e, n, &ret);

			/* One action for nr - 1 and nr: no cut between them. */
			if (!(now && prev_decided && prev_ret == ret && k > 0 &&
			      a->v[k - 1].nr + 1 == nr))
				fn(ctx, nr);
			/* nr + 1 named too: its own turn says whether they merge. */
			if (k + n == a->n || a->v[k + n].nr != nr + 1)
				fn(ctx, (uint64_t)nr + 1);
			prev_decided = now;
			prev_ret = ret;
		}
	}
}

static bool range_op(enum shim_cmp_op op)
{
	return op != SHIM_OP_EQ && op != SHIM_OP_MASKED_EQ;
}

bool shim_ref_libseccomp_suspect(const struct shim_ref *ref)
{
	for (size_t i = 0; i < ref->n_arch; i++) {
		const struct ref_arch *a = &ref->arch[i];

		for (size_t k = 0, end; k < a->n; k = end) {
			size_t tested = 0, ranges = 0;
			bool uncond = false, two_args = false;

			for (end = k; end < a->n && a->v[end].nr == a->v[k].nr; end++) {
				const struct ref_entry *e = &a->v[end];
				unsigned args = 0;

				uncond |= e->n_conds == 0;
				tested += e->n_conds > 0;
				for (size_t c = 0; c < e->n_conds; c++) {
					args |= 1u << e->conds[c].index;
					ranges += range_op(e->conds[c].op);
				}
				two_args |= __builtin_popcount(args) >= 2;
			}
			/* An unconditional rule leaves libseccomp no tests here. */
			if (!uncond && tested >= 2 && (two_args || ranges >= 2))
				return true;
		}
	}
	return false;
}

bool shim_arch_big_endian(uint32_t token)
{
	return !(token & 0x40000000u /* __AUDIT_ARCH_LE */);
}
