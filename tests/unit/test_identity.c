/* --user and --groups, read from passwd/group files directly. */
#include "suites.h"

#define PASSWD FIXTURES "/passwd"
#define GROUP FIXTURES "/group"

static const struct {
	const char *spec;
	unsigned uid, gid;
	const char *groups;
} users[] = {
	{ "alice", 1000, 1000, "100,10" },
	{ "bob", 1001, 100, "10,33" },
	{ "bob:www", 1001, 33, "10,33" },
	{ "alice:0", 1000, 0, "100,10" },
	{ "1000", 1000, 1000, "" },	 /* a uid: no name, so no memberships */
	{ "4242", 4242, 0, "" },	 /* no passwd entry: gid 0, as Docker */
	{ "4242:4343", 4242, 4343, "" },
};

START_TEST(user_specs)
{
	struct shim_identity id = { 0 };
	struct shim_error err = { 0 };
	char got[64] = "";

	ck_assert_int_eq(shim_user_parse(users[_i].spec, PASSWD, GROUP, &id, &err), 0);
	ck_assert(id.switch_user);
	ck_assert(id.set_groups);
	ck_assert_uint_eq(id.uid, users[_i].uid);
	ck_assert_uint_eq(id.gid, users[_i].gid);
	for (size_t i = 0; i < id.n_groups; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%u", i ? "," : "", id.groups[i]);
	ck_assert_str_eq(got, users[_i].groups);
	shim_identity_free(&id);
}
END_TEST

static const struct {
	const char *spec, *msg;
} bad_users[] = {
	{ "carol", "user \"carol\" not found in " PASSWD " (give a numeric uid, or add it there)" },
	{ "broken", "user \"broken\" not found in " PASSWD " (give a numeric uid, or add it there)" },
	{ "alice:nogroup", "group \"nogroup\" not found in " GROUP " (give a numeric gid, or add it there)" },
	{ "", "--user \"\": expected NAME or UID, optionally followed by :GROUP or :GID" },
	{ "alice:", "--user \"alice:\": expected NAME or UID, optionally followed by :GROUP or :GID" },
	{ "4294967295", "user \"4294967295\" not found in " PASSWD " (give a numeric uid, or add it there)" },
};

START_TEST(bad_user_specs)
{
	struct shim_identity id = { 0 };
	struct shim_error err = { 0 };

	ck_assert_int_lt(shim_user_parse(bad_users[_i].spec, PASSWD, GROUP, &id, &err), 0);
	ck_assert_str_eq(err.msg, bad_users[_i].msg);
	shim_identity_free(&id);
}
END_TEST

START_TEST(groups_option_wins)
{
	struct shim_identity id = { 0 };
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_groups_parse("wheel,5,www", GROUP, &id, &err), 0);
	ck_assert_uint_eq(id.n_groups, 3);
	ck_assert_uint_eq(id.groups[0], 10);
	ck_assert_uint_eq(id.groups[1], 5);
	ck_assert_uint_eq(id.groups[2], 33);
	/* Already decided: the user's memberships do not replace them. */
	ck_assert_int_eq(shim_user_parse("alice", PASSWD, GROUP, &id, &err), 0);
	ck_assert_uint_eq(id.n_groups, 3);
	shim_identity_free(&id);
	ck_assert_int_eq(shim_groups_parse("", GROUP, &id, &err), 0);
	ck_assert(id.set_groups);
	ck_assert_uint_eq(id.n_groups, 0);
	ck_assert_int_lt(shim_groups_parse("wheel,nope", GROUP, &id, &err), 0);
	ck_assert_str_eq(err.msg, "group \"nope\" not found in " GROUP " (give a numeric gid, or add it there)");
	shim_identity_free(&id);
}
END_TEST

Suite *identity_suite(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("users and groups");

	tcase_add_loop_test(tc, user_specs, 0, sizeof(users) / sizeof(users[0]));
	tcase_add_loop_test(tc, bad_user_specs, 0, sizeof(bad_users) / sizeof(bad_users[0]));
	tcase_add_test(tc, groups_option_wins);
	suite_add_tcase(s, tc);
	return s;
}
