/* Users and groups, read from /etc/passwd and /etc/group directly (not
 * through NSS), so the static binary behaves the same in any image.
 * Semantics follow Docker's --user: NAME or UID, optionally :GROUP or :GID;
 * a numeric uid with no passwd entry gets gid 0; supplementary groups are
 * the user's memberships in the group file unless --groups says otherwise. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A non-negative decimal id below 2^32 - 1 ((uid_t)-1 means "no change"). */
static int parse_id(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v >= UINT_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Calls fn(fields, n, arg) for each line of a colon-separated file until fn
 * returns non-zero; returns that value, 0 at the end, -1 if unreadable. */
static int each_entry(const char *path, int (*fn)(char **f, int n, void *arg), void *arg)
{
	FILE *fp = fopen(path, "re");
	char line[4096];
	int r = 0;

	if (!fp)
		return -1;
	while (!r && fgets(line, sizeof(line), fp)) {
		char *fields[8], *p = line;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		while (n < 8) {
			fields[n++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		r = fn(fields, n, arg);
	}
	fclose(fp);
	return r;
}

struct find {
	const char *name; /* or NULL to match by id */
	unsigned id, found_id, found_gid;
};

static int match_passwd(char **f, int n, void *arg)
{
	struct find *q = arg;
	unsigned uid, gid;

	if (n < 4 || parse_id(f[2], &uid) < 0 || parse_id(f[3], &gid) < 0)
		return 0;
	if (q->name ? strcmp(f[0], q->name) != 0 : uid != q->id)
		return 0;
	q->found_id = uid;
	q->found_gid = gid;
	return 1;
}

static int match_group(char **f, int n, void *arg)
{
	struct find *q = arg;
	unsigned gid;

	if (n < 3 || parse_id(f[2], &gid) < 0)
		return 0;
	if (q->name ? strcmp(f[0], q->name) != 0 : gid != q->id)
		return 0;
	q->found_id = gid;
	return 1;
}

int shim_group_lookup(const char *group_file, const char *spec, unsigned *gid,
		      struct shim_error *err)
{
	struct find q = { .name = spec };

	if (parse_id(spec, gid) == 0)
		return 0;
	if (each_entry(group_file, match_group, &q) == 1) {
		*gid = q.found_id;
		return 0;
	}
	shim_error_set(err, ENOENT, "group \"%s\" not found in %s (give a numeric gid, or add it there)",
		       spec, group_file);
	return -1;
}

struct members {
	const char *user;
	unsigned primary;
	unsigned *gids;
	size_t n, cap;
};

static int add_gid(struct members *m, unsigned gid)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->gids[i] == gid)
			return 0;
	if (m->n == m->cap) {
		size_t want = m->cap ? m->cap * 2 : 8;
		unsigned *grown = realloc(m->gids, want * sizeof(*grown));
		if (!grown)
			return -1;
		m->gids = grown;
		m->cap = want;
	}
	m->gids[m->n++] = gid;
	return 0;
}

static int collect_member(char **f, int n, void *arg)
{
	struct members *m = arg;
	unsigned gid;
	char *save = NULL;

	if (n < 4 || parse_id(f[2], &gid) < 0)
		return 0;
	for (char *u = strtok_r(f[3], ",", &save); u; u = strtok_r(NULL, ",", &save))
		if (strcmp(u, m->user) == 0)
			return add_gid(m, gid) < 0 ? -2 : 0;
	return 0;
}

int shim_user_parse(const char *spec, const char *passwd_file, const char *group_file,
		    struct shim_identity *id, struct shim_error *err)
{
	char user[256];
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	struct find q = { 0 };
	struct members m = { 0 };

	if (len == 0 || len >= sizeof(user) || (colon && colon[1] == '\0')) {
		shim_error_set(err, EINVAL, "--user \"%s\": expected NAME or UID, optionally followed by :GROUP or :GID",
			       spec);
		return -1;
	}
	memcpy(user, spec, len);
	user[len] = '\0';
	if (parse_id(user, &q.id) == 0) {
		/* Docker: a uid with no passwd entry runs with gid 0. */
		id->uid = q.id;
		id->gid = each_entry(passwd_file, match_passwd, &q) == 1 ? q.found_gid : 0;
		m.user = NULL;
	} else {
		q.name = user;
		if (each_entry(passwd_file, match_passwd, &q) != 1) {
			shim_error_set(err, ENOENT, "user \"%s\" not found in %s (give a numeric uid, or add it there)",
				       user, passwd_file);
			return -1;
		}
		id->uid = q.found_id;
		id->gid = q.found_gid;
		m.user = user;
	}
	if (colon && shim_group_lookup(group_file, colon + 1, &id->gid, err) < 0)
		return -1;
	id->switch_user = true;
	if (id->set_groups)
		return 0; /* --groups or --keep-groups already decided */
	/* The user's memberships by name; a bare uid has none. */
	if (m.user && each_entry(group_file, collect_member, &m) == -2) {
		free(m.gids);
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	id->groups = m.gids;
	id->n_groups = m.n;
	id->set_groups = true;
	return 0;
}

int shim_groups_parse(const char *list, const char *group_file, struct shim_identity *id,
		      struct shim_error *err)
{
	char *copy = strdup(list), *save = NULL;
	struct members m = { 0 };

	if (!copy) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	for (char *g = strtok_r(copy, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
		unsigned gid;

		if (shim_group_lookup(group_file, g, &gid, err) < 0 || add_gid(&m, gid) < 0) {
			if (!err->msg[0])
				shim_error_set(err, ENOMEM, "out of memory");
			free(m.gids);
			free(copy);
			return -1;
		}
	}
	free(copy);
	free(id->groups);
	id->groups = m.gids;
	id->n_groups = m.n;
	id->set_groups = true;
	return 0;
}

void shim_identity_free(struct shim_identity *id)
{
	free(id->groups);
	id->groups = NULL;
	id->n_groups = 0;
}
