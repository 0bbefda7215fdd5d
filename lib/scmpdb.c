/* scmpdb: libseccomp 2.5.4's rule database, as far as seccomp-shim must
 * know it before it asks libseccomp anything.
 *
 * libseccomp keeps, per architecture, one tree of argument tests per
 * syscall number and merges every rule added into it. Two things follow
 * that a program, ours or libseccomp's, does not show:
 *  - libseccomp refuses a rule (EEXIST, "File exists") that gives another
 *    action than an earlier rule for the same number where their trees
 *    meet; runc then refuses the profile. Rules meet only where they reach
 *    the same number on one arch (x86's socket and ipc calls also meet in
 *    socketcall(2) and ipc(2)), where their tests do not part at once
 *    (libseccomp merges equal nodes only, and checks actions there), and
 *    before an unconditional rule for the number (after it libseccomp
 *    drops rules unseen); and only rules with different actions can be
 *    refused. shim_scmpdb_contested marks the rules that can, and those
 *    that decide what libseccomp keeps of them, so that compile asks
 *    libseccomp about them alone (it is slow, and it can hang, below).
 *  - on a 64-bit arch, adding a rule can loop forever. A range or NE test
 *    of a 64-bit argument is two or three nodes (high word, low word)
 *    whose outcomes lead on, from two of them, to the rule's next test:
 *    the next level has two parents. A later rule with the same tests up
 *    to there whose next test sorts before every test already on that
 *    level is linked in at the level's head through one parent; through
 *    the other parent libseccomp meets the old head again, now with the
 *    new node before it, and links the new node before it a second time:
 *    a node that is its own neighbour, and the next walk of the level
 *    (freeing the rule's copy) never ends. 32-bit arches have one node per
 *    test and no level with two parents.
 *
 * MUST: shim_scmpdb_hangs is true for every rule whose addition never
 * returns in libseccomp 2.5.4 (it may be true of a few that do return:
 * those are refused, never waited on); tests/unit/test_scmpdb.c holds it
 * to libseccomp itself, in children that are killed when they hang.
 * Nothing here calls into libseccomp's rule database.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define AUDIT_ARCH_64BIT 0x80000000u
/* On an arch that multiplexes, the keys of socketcall(2) and ipc(2) (one
 * entry of libseccomp's each, for every call they carry) and of the
 * direct syscalls of the calls (one each): below every number and pseudo
 * number libseccomp uses. */
#define KEY_MUX(family) (-2000000 - (family))
#define KEY_DIRECT(family, call) (-3000000 - 100 * (family) - (int)(call))

/* One test as libseccomp stores it: the value masked. */
struct db_test {
	unsigned index;
	enum shim_cmp_op op;
	uint64_t mask, value;
};

/* What one rule adds to one arch's database for one number. */
struct db_entry {
	unsigned arch; /* index into the policy's arches */
	int key; /* the number, or a family's key */
	size_t rule; /* index into the rules */
	bool wide; /* 64-bit arguments: the arch can hang */
	struct db_test *t; /* sorted by argument, as libseccomp chains them;
			    * room for 7 in the pool */
	size_t n;
};

struct shim_scmpdb {
	struct db_entry *v; /* sorted by arch, key, rule */
	size_t n;
	struct db_test *pool;
	const struct shim_compile_rule *rules;
	size_t n_rules;
};

static bool arch_wide(uint32_t token)
{
	if (token == SCMP_ARCH_MIPS64N32 || token == SCMP_ARCH_MIPSEL64N32)
		return false;
	return (token & AUDIT_ARCH_64BIT) != 0;
}

/* The rule's tests as libseccomp chains them on an arch: by argument; a
 * masked test with no mask bit in the arch's width left out (always
 * true); on a multiplexer, arg0 replaced by the call's number. */
static void chain(const struct shim_policy_rule *r, bool wide, int mux_call, struct db_entry *e)
{
	uint64_t width = wide ? UINT64_MAX : UINT32_MAX;

	e->n = 0;
	if (mux_call >= 0)
		e->t[e->n++] = (struct db_test){ 0, SHIM_OP_EQ, width, (uint64_t)mux_call };
	for (unsigned idx = 0; idx < 6; idx++)
		for (size_t i = 0; i < r->n_args; i++) {
			const struct shim_arg *a = &r->args[i];
			uint64_t mask = a->op == SHIM_OP_MASKED_EQ ? a->value & width : width;

			if (a->index != idx || (mux_call >= 0 && idx == 0) || mask == 0)
				continue;
			e->t[e->n++] = (struct db_test){ idx, a->op, mask,
							 (a->op == SHIM_OP_MASKED_EQ ? a->value_two
										     : a->value) & mask };
		}
}

static int cmp_entry(const void *x, const void *y)
{
	const struct db_entry *a = x, *b = y;

	if (a->arch != b->arch)
		return a->arch < b->arch ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* What a rule is on every arch: its native name and, for x86's socket
 * and ipc calls, their family and number in the multiplexer. */
struct rule_names {
	const char *name; /* the syscall table's (lib/syscalls.c) */
	int family;
	unsigned call;
};

/* The entries of rule i on arch number a (at most two). */
static size_t entries_of(const struct shim_policy *pol, unsigned a, bool mux, size_t i, int nr,
			 const struct rule_names *rn, struct db_entry out[2], struct db_test *pool,
			 const struct shim_compile_rule *in)
{
	bool wide = arch_wide(pol->arches[a]);

	out[0] = (struct db_entry){ .arch = a, .key = nr, .rule = i, .wide = wide, .t = pool };
	if (mux && rn->family) {
		/* The multiplexer's entry, its arg0 the call's number (a rule
		 * for the multiplexer itself keeps its tests); and the direct
		 * syscall's, which libseccomp adds where the arch has one: a
		 * key of its own either way. */
		out[0].key = KEY_MUX(rn->family);
		chain(in[i].rule, wide, rn->call ? (int)rn->call : -1, &out[0]);
		if (!rn->call)
			return 1;
		out[1] = out[0];
		out[1].t = out[0].t + 7;
		out[1].key = KEY_DIRECT(rn->family, rn->call);
		chain(in[i].rule, wide, -1, &out[1]);
		return 2;
	}
	chain(in[i].rule, wide, -1, &out[0]);
	return 1;
}

/* A test after which both outcomes of two nodes lead to the next test. */
static bool two_parents(enum shim_cmp_op op)
{
	return op != SHIM_OP_EQ && op != SHIM_OP_MASKED_EQ;
}

struct by_key {
	int key;
	size_t rule;
};

static int cmp_by_key(const void *x, const void *y)
{
	const struct by_key *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

static bool has_range(const struct shim_policy_rule *r)
{
	for (size_t i = 0; i < r->n_args; i++)
		if (two_parents(r->args[i].op))
			return true;
	return false;
}

/* The rules that can meet another in libseccomp's database with another
 * action, or make it hang (wanted[i]): those of a native number (every
 * arch's numbers follow from the native name; no two names meet on
 * another arch), or of x86's socket or ipc family, that has rules with
 * different actions, or two with tests and a range or NE test. The
 * others need no entries: nothing can be said of them. */
static int wanted_rules(const struct shim_compile_rule *in, size_t n_in,
			const struct rule_names *rn, bool *wanted)
{
	struct by_key *k = malloc((n_in + 1) * sizeof(*k));

	if (!k)
		return -1;
	for (size_t i = 0; i < n_in; i++)
		k[i] = (struct by_key){ rn[i].family ? -rn[i].family : in[i].native_nr, i };
	qsort(k, n_in, sizeof(*k), cmp_by_key);
	for (size_t g = 0, end; g < n_in; g = end) {
		size_t tested = 0;
		bool mixed = false, range = false;

		for (end = g; end < n_in && k[end].key == k[g].key; end++) {
			const struct shim_compile_rule *r = &in[k[end].rule];
			mixed |= r->ret != in[k[g].rule].ret;
			tested += r->rule->n_args > 0;
			range |= has_range(r->rule);
		}
		for (size_t x = g; x < end; x++)
			wanted[k[x].rule] = mixed || (tested >= 2 && range);
	}
	free(k);
	return 0;
}

int shim_scmpdb_new(const struct shim_policy *pol, const struct shim_compile_rule *in,
		    size_t n_in, struct shim_scmpdb **out)
{
	struct shim_scmpdb *db = calloc(1, sizeof(*db));
	struct rule_names *rn = calloc(n_in + 1, sizeof(*rn));
	uint32_t native = seccomp_arch_native();
	bool *wanted = NULL;
	int rc = -1;

	size_t cap = 2 * n_in * pol->n_arches + 2;

	if (!db || !rn || !(db->v = malloc(cap * sizeof(*db->v))) ||
	    !(db->pool = malloc(7 * cap * sizeof(*db->pool))))
		goto out;
	db->rules = in;
	db->n_rules = n_in;
	for (size_t i = 0; i < n_in; i++) {
		rn[i].name = shim_syscall_resolve_num_arch(native, in[i].native_nr);
		rn[i].family = rn[i].name ? shim_mux_family(rn[i].name, &rn[i].call) : 0;
	}
	if (!(wanted = calloc(n_in + 1, sizeof(*wanted))) || wanted_rules(in, n_in, rn, wanted) < 0)
		goto out;
	for (unsigned a = 0; a < pol->n_arches; a++) {
		uint32_t token = pol->arches[a];
		bool mux = seccomp_syscall_resolve_name_arch(token, "socketcall") > 0;

		for (size_t i = 0; i < n_in; i++) {
			/* libseccomp carries a rule to another arch through the
			 * native name; a name it cannot carry fails the rule on
			 * every arch, which it reports itself. */
			int nr = !wanted[i]	     ? __NR_SCMP_ERROR
				 : token == native ? in[i].native_nr
				 : rn[i].name	     ? shim_syscall_resolve_name_arch(token, rn[i].name)
						     : __NR_SCMP_ERROR;

			if (nr != __NR_SCMP_ERROR)
				db->n += entries_of(pol, a, mux, i, nr, &rn[i], db->v + db->n,
						    db->pool + 7 * db->n, in);
		}
	}
	if (db->n > 1)
		qsort(db->v, db->n, sizeof(*db->v), cmp_entry);
	*out = db;
	db = NULL;
	rc = 0;
out:
	free(rn);
	free(wanted);
	shim_scmpdb_free(db);
	return rc;
}

void shim_scmpdb_free(struct shim_scmpdb *db)
{
	if (!db)
		return;
	free(db->pool);
	free(db->v);
	free(db);
}

static size_t find_root(size_t *parent, size_t x)
{
	while (parent[x] != x)
		x = parent[x] = parent[parent[x]];
	return x;
}

/* The end of the group of entries of v[start]'s arch and number. */
static size_t group_end(const struct shim_scmpdb *db, size_t start)
{
	size_t end = start + 1;

	while (end < db->n && db->v[end].arch == db->v[start].arch &&
	       db->v[end].key == db->v[start].key)
		end++;
	return end;
}

/* The first unconditional entry of a group (libseccomp drops every later
 * rule for the number unseen), or its end. */
static size_t group_cut(const struct shim_scmpdb *db, size_t start, size_t end)
{
	while (start < end && db->v[start].n != 0)
		start++;
	return start;
}

/* One node of a 32-bit arch's chain: NE, LT, LE are stored as EQ, GE,
 * GT with the action on the other branch. */
static enum shim_cmp_op node_op(enum shim_cmp_op op)
{
	return op == SHIM_OP_NE ? SHIM_OP_EQ
	       : op == SHIM_OP_LT ? SHIM_OP_GE
	       : op == SHIM_OP_LE ? SHIM_OP_GT
				    : op;
}

static bool is_eq(enum shim_cmp_op op)
{
	return op == SHIM_OP_EQ || op == SHIM_OP_MASKED_EQ;
}

/* The kind of node a test starts with on a 64-bit arch (its high word):
 * range tests a "greater than", EQ and NE an "equal", MASKED_EQ a
 * masked one. */
static int high_kind(enum shim_cmp_op op)
{
	return op == SHIM_OP_MASKED_EQ ? 0 : op == SHIM_OP_EQ || op == SHIM_OP_NE ? 1 : 2;
}

/* Whether libseccomp keeps the trees of a and b apart, so that neither
 * can be refused for the other: where their chains first part (before
 * either ends), the tests make different nodes where libseccomp merges
 * nothing (it only merges equal nodes, and checks actions there). On a
 * 32-bit arch one node per test; on a 64-bit one the high word's node,
 * then for two equality tests the low word's, which carry the actions. */
static bool apart(const struct db_entry *a, const struct db_entry *b)
{
	for (size_t j = 0; j < a->n && j < b->n; j++) {
		const struct db_test *x = &a->t[j], *y = &b->t[j];

		if (x->index != y->index)
			return true;
		if (x->op == y->op && x->mask == y->mask && x->value == y->value)
			continue;
		if (!a->wide)
			return node_op(x->op) != node_op(y->op) || x->mask != y->mask ||
			       x->value != y->value;
		if (high_kind(x->op) != high_kind(y->op) || (x->mask ^ y->mask) >> 32 ||
		    (x->value ^ y->value) >> 32)
			return true;
		return is_eq(x->op) && is_eq(y->op);
	}
	return false;
}

/* Adds to selected[] the first unconditional rule of every number the
 * selected rules reach after it, until none is missing: libseccomp,
 * given only the selected rules, must drop what it drops given all. */
static void add_cuts(const struct shim_scmpdb *db, bool *selected)
{
	bool more = true;

	while (more) {
		more = false;
		for (size_t g = 0; g < db->n; g = group_end(db, g)) {
			size_t end = group_end(db, g), cut = group_cut(db, g, end);

			for (size_t k = cut + 1; cut < end && k < end; k++)
				if (selected[db->v[k].rule] && !selected[db->v[cut].rule]) {
					selected[db->v[cut].rule] = more = true;
					break;
				}
		}
	}
}

size_t shim_scmpdb_contested(const struct shim_scmpdb *db, bool *selected)
{
	size_t *parent = malloc((db->n_rules + 1) * sizeof(*parent));
	bool *mixed = calloc(db->n_rules + 1, sizeof(*mixed));
	size_t n = 0;

	if (!parent || !mixed) {
		/* Without room to tell: every rule, libseccomp decides. */
		for (size_t i = 0; i < db->n_rules; i++)
			selected[i] = true;
		n = db->n_rules;
		goto out;
	}
	for (size_t i = 0; i < db->n_rules; i++)
		parent[i] = i;
	/* Rules whose trees can meet on one number of one arch, before an
	 * unconditional rule ends it, are one component; one that holds
	 * two actions that meet is asked about. */
	for (size_t g = 0; g < db->n; g = group_end(db, g)) {
		size_t cut = group_cut(db, g, group_end(db, g));

		for (size_t x = g; x < cut; x++)
			for (size_t y = x + 1; y < cut; y++) {
				size_t rx = db->v[x].rule, ry = db->v[y].rule;

				if (rx == ry || apart(&db->v[x], &db->v[y]))
					continue;
				rx = find_root(parent, rx);
				ry = find_root(parent, ry);
				parent[rx < ry ? ry : rx] = rx < ry ? rx : ry;
				if (db->rules[db->v[x].rule].ret != db->rules[db->v[y].rule].ret)
					mixed[rx < ry ? rx : ry] = true;
			}
	}
	for (size_t i = 0; i < db->n_rules; i++)
		if (mixed[i] && find_root(parent, i) != i)
			mixed[find_root(parent, i)] = true;
	for (size_t i = 0; i < db->n_rules; i++)
		selected[i] = mixed[find_root(parent, i)];
	add_cuts(db, selected);
	for (size_t i = 0; i < db->n_rules; i++)
		n += selected[i];
out:
	free(parent);
	free(mixed);
	return n;
}

static bool same_test(const struct db_test *a, const struct db_test *b)
{
	return a->index == b->index && a->op == b->op && a->mask == b->mask && a->value == b->value;
}

/* The first node of a test (its high word) as libseccomp orders and
 * compares the nodes of one level. */
struct node {
	unsigned index;
	int kind; /* the node's own test: 0 masked, 1 equal, 2 greater */
	int prio; /* by the test as written: EQ, MASKED_EQ, NE 3; LT, LE 2; GT, GE 1 */
	bool reversed; /* LT, LE: a greater value sorts first */
	uint32_t mask, value;
};

static struct node high_node(const struct db_test *t)
{
	struct node n = { .index = t->index, .mask = (uint32_t)(t->mask >> 32),
			  .value = (uint32_t)(t->value >> 32) };

	switch (t->op) {
	case SHIM_OP_MASKED_EQ: n.kind = 0; n.prio = 3; break;
	case SHIM_OP_EQ:
	case SHIM_OP_NE: n.kind = 1; n.prio = 3; break;
	case SHIM_OP_LT:
	case SHIM_OP_LE: n.kind = 2; n.prio = 2; n.reversed = true; break;
	case SHIM_OP_GT:
	case SHIM_OP_GE: n.kind = 2; n.prio = 1; break;
	}
	return n;
}

static bool node_eq(const struct node *a, const struct node *b)
{
	return a->index == b->index && a->kind == b->kind && a->mask == b->mask &&
	       a->value == b->value;
}

/* a sorts after b on a level (libseccomp links a new node before the
 * first one that sorts after it). */
static bool node_after(const struct node *a, const struct node *b)
{
	if (a->index != b->index)
		return a->index < b->index;
	if (a->prio != b->prio)
		return a->prio < b->prio;
	return a->reversed ? a->value > b->value : a->value < b->value;
}

/* Whether entry r, added after the entries es[0..n) of the same number
 * (those present), links a node before itself. */
static bool entry_hangs(const struct db_entry *r, const struct db_entry *es, size_t n,
			const bool *present)
{
	for (size_t i = 0; i < n; i++)
		if ((!present || present[es[i].rule]) && es[i].n == 0)
			return false; /* an unconditional rule: later ones are dropped */
	for (size_t t = 0; t + 1 < r->n; t++) {
		struct node mine = high_node(&r->t[t + 1]);
		bool reached = false, first = true;

		if (!two_parents(r->t[t].op))
			continue;
		for (size_t i = 0; i < n && first; i++) {
			const struct db_entry *e = &es[i];
			size_t j = 0;

			if (present && !present[e->rule])
				continue;
			while (j < e->n && j <= t && same_test(&e->t[j], &r->t[j]))
				j++;
			if (j == e->n) {
				/* e ends on r's path, at t or before: its actions
				 * are where r goes on, and nothing is below them. */
				first = false;
			} else if (j == t + 1) {
				/* e goes on from the same level: r's node must
				 * sort before e's to be linked in at the head. */
				struct node theirs = high_node(&e->t[t + 1]);
				reached = true;
				first = !node_eq(&theirs, &mine) && node_after(&theirs, &mine);
			}
		}
		if (reached && first)
			return true;
	}
	return false;
}

void shim_scmpdb_hangs(const struct shim_scmpdb *db, const bool *present, bool *hangs)
{
	for (size_t i = 0; i < db->n_rules; i++)
		hangs[i] = false;
	/* Each group is by rule: an entry's earlier rules come before it. */
	for (size_t g = 0; g < db->n; g = group_end(db, g)) {
		size_t end = group_end(db, g);

		for (size_t x = g + 1; db->v[g].wide && x < end; x++)
			if ((!present || present[db->v[x].rule]) &&
			    entry_hangs(&db->v[x], db->v + g, x - g, present))
				hangs[db->v[x].rule] = true;
	}
}
