/* Capability names as Docker writes them, and Docker's add/drop rules. */
#include <errno.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "suites.h"

#define CAP(n) (1ull << (n))

START_TEST(names_in_every_spelling)
{
	char buf[SHIM_CAP_NAME_MAX];

	ck_assert_int_eq(shim_cap_from_name("NET_ADMIN"), 12);
	ck_assert_int_eq(shim_cap_from_name("CAP_NET_ADMIN"), 12);
	ck_assert_int_eq(shim_cap_from_name("cap_net_admin"), 12);
	ck_assert_int_eq(shim_cap_from_name("Net_Admin"), 12);
	ck_assert_int_eq(shim_cap_from_name("CHECKPOINT_RESTORE"), 40);
	ck_assert_int_eq(shim_cap_from_name("NET_ADMINX"), -1);
	ck_assert_int_eq(shim_cap_from_name("CAP_"), -1);
	ck_assert_int_eq(shim_cap_from_name(""), -1);
	/* libcap stops reading a name at the first character that cannot be
	 * in one; we take whole names only. */
	ck_assert_int_eq(shim_cap_from_name("NET_ADMIN,KILL"), -1);
	ck_assert_int_eq(shim_cap_from_name("NET_ADMIN "), -1);
	ck_assert_int_eq(shim_cap_from_name("cap_cap_net_admin"), -1);
	/* By number: what a capability libcap does not name is written as. */
	ck_assert_int_eq(shim_cap_from_name("12"), 12);
	ck_assert_int_eq(shim_cap_from_name("CAP_12"), 12);
	ck_assert_int_eq(shim_cap_from_name("63"), 63);
	ck_assert_int_eq(shim_cap_from_name("64"), -1);
	ck_assert_int_eq(shim_cap_from_name("012"), -1);
	ck_assert_int_eq(shim_cap_from_name("-1"), -1);
	ck_assert_int_eq(shim_cap_from_name("1x"), -1);
	ck_assert_str_eq(shim_cap_name(0, buf), "CAP_CHOWN");
	ck_assert_str_eq(shim_cap_name(12, buf), "CAP_NET_ADMIN");
	ck_assert_str_eq(shim_cap_name(63, buf), "63");
}
END_TEST

/* Every capability this kernel has: libcap's name (upper case, with
 * CAP_) or its number, and back to the same number. The kernel's highest
 * is the one PR_CAPBSET_READ still answers for. */
START_TEST(every_kernel_cap_round_trips)
{
	int last = shim_caps_last();
	char buf[SHIM_CAP_NAME_MAX], *lower;

	ck_assert_int_ge(last, CAP_CHECKPOINT_RESTORE); /* Linux 5.9; Debian 12 has 6.1 */
	ck_assert_int_le(last, 63);
	ck_assert_int_ge(prctl(PR_CAPBSET_READ, last, 0, 0, 0), 0);
	ck_assert_int_lt(prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0), 0);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(cap_max_bits(), last + 1);
	ck_assert_uint_eq(shim_caps_all(), last == 63 ? ~0ULL : (1ULL << (last + 1)) - 1);
	for (int cap = 0; cap <= last; cap++) {
		shim_cap_name(cap, buf);
		ck_assert_msg(strncmp(buf, "CAP_", 4) == 0 || atoi(buf) == cap, "%d: %s", cap, buf);
		ck_assert_msg(shim_cap_from_name(buf) == cap, "%d: %s", cap, buf);
		ck_assert_msg(shim_cap_from_name(buf + 4 * (buf[0] == 'C')) == cap, "%d: %s", cap, buf);
		lower = cap_to_name(cap);
		ck_assert_msg(strcasecmp(lower, buf) == 0, "%d: %s, libcap %s", cap, buf, lower);
		ck_assert_msg(shim_cap_from_name(lower) == cap, "%d: %s", cap, lower);
		cap_free(lower);
	}
}
END_TEST

START_TEST(lists)
{
	struct shim_error err = { 0 };
	uint64_t set = 0;
	bool all = false;
	char buf[128];

	ck_assert_int_eq(shim_caps_parse_list("chown, CAP_KILL,,net_raw ", &set, &all, &err), 0);
	ck_assert_uint_eq(set, CAP(0) | CAP(5) | CAP(13));
	ck_assert(!all);
	ck_assert_int_eq(shim_caps_parse_list("all", &set, &all, &err), 0);
	ck_assert(all);
	ck_assert_int_lt(shim_caps_parse_list("KILL,BOGUS", &set, &all, &err), 0);
	ck_assert_str_eq(err.msg, "unknown capability \"BOGUS\" (expected a name like NET_BIND_SERVICE or CAP_NET_BIND_SERVICE, or ALL)");
	shim_caps_format(CAP(0) | CAP(13), buf, sizeof(buf));
	ck_assert_str_eq(buf, "CAP_CHOWN,CAP_NET_RAW");
	shim_caps_format(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(none)");
}
END_TEST

static const struct {
	struct shim_cap_request req;
	uint64_t current, expected;
} plans[] = {
	/* --cap-drop ALL --cap-add NET_BIND_SERVICE */
	{ { .drop_all = true, .add = CAP(10) }, ~0ull >> 23, CAP(10) },
	/* --cap-drop NET_RAW */
	{ { .drop = CAP(13) }, CAP(13) | CAP(0), CAP(0) },
	/* add after drop: --cap-drop KILL --cap-add KILL keeps it */
	{ { .drop = CAP(5), .add = CAP(5) }, CAP(5) | CAP(0), CAP(5) | CAP(0) },
	/* --cap-add ALL --cap-drop CHOWN: everything but CHOWN */
	{ { .add_all = true, .drop = CAP(0) }, CAP(0) | CAP(1) | CAP(2), CAP(1) | CAP(2) },
	/* --cap-drop ALL alone */
	{ { .drop_all = true }, CAP(0) | CAP(1), 0 },
};

START_TEST(docker_add_drop_rules)
{
	struct shim_error err = { 0 };
	uint64_t got;

	ck_assert_int_eq(shim_caps_plan(plans[_i].current, plans[_i].current, &plans[_i].req, &got, &err), 0);
	ck_assert_uint_eq(got, plans[_i].expected);
}
END_TEST

START_TEST(cannot_add_outside_bounding)
{
	struct shim_cap_request req = { .drop_all = true, .add = CAP(21) | CAP(10) };
	struct shim_error err = { 0 };
	uint64_t got;

	ck_assert_int_lt(shim_caps_plan(CAP(10), CAP(10), &req, &got, &err), 0);
	ck_assert_str_eq(err.msg, "cannot add CAP_SYS_ADMIN: not in this process's bounding set, and no process can add to it");
	/* In the bounding set but not held: a non-root caller. */
	req.add = CAP(10);
	ck_assert_int_lt(shim_caps_plan(CAP(10), 0, &req, &got, &err), 0);
	ck_assert_str_eq(err.msg, "cannot add CAP_NET_BIND_SERVICE: seccomp-shim does not hold it (adding capabilities needs root)");
	/* Dropping needs nothing held. */
	req = (struct shim_cap_request){ .drop = CAP(13) };
	ck_assert_int_eq(shim_caps_plan(CAP(10) | CAP(13), 0, &req, &got, &err), 0);
	ck_assert_uint_eq(got, CAP(10));
}
END_TEST

/* Docker's rule: a non-root target holds only what was named for it. */
START_TEST(non_root_holds_only_named)
{
	uint64_t bounding = CAP(0) | CAP(1) | CAP(10) | CAP(21);
	struct shim_cap_request drop = { .any = true, .drop = CAP(13) };
	struct shim_cap_request add = { .any = true, .drop = CAP(13), .add = CAP(10) };
	struct shim_cap_request keep = { .any = true, .drop_all = true, .add = CAP(10) };
	struct shim_cap_request all = { .any = true, .add_all = true, .drop = CAP(13) };

	ck_assert_uint_eq(shim_caps_held(&drop, bounding, 1000), 0);
	ck_assert_uint_eq(shim_caps_held(&add, bounding, 1000), CAP(10));
	ck_assert_uint_eq(shim_caps_held(&keep, CAP(10), 1000), CAP(10));
	ck_assert_uint_eq(shim_caps_held(&all, bounding, 1000), bounding);
	/* Named but outside the bounding set: not held. */
	ck_assert_uint_eq(shim_caps_held(&add, CAP(0), 1000), 0);
	if (!(shim_caps_read_securebits() & 1 /* SECBIT_NOROOT */))
		ck_assert_uint_eq(shim_caps_held(&drop, bounding, 0), bounding);
}
END_TEST

Suite *caps_suite(void)
{
	Suite *s = suite_create("caps");
	TCase *tc = tcase_create("names and plans");

	tcase_add_test(tc, names_in_every_spelling);
	tcase_add_test(tc, every_kernel_cap_round_trips);
	tcase_add_test(tc, lists);
	tcase_add_loop_test(tc, docker_add_drop_rules, 0, sizeof(plans) / sizeof(plans[0]));
	tcase_add_test(tc, cannot_add_outside_bounding);
	tcase_add_test(tc, non_root_holds_only_named);
	suite_add_tcase(s, tc);
	return s;
}
