/* Capabilities: Docker-style lists, the kernel's capabilities, and
 * applying a set. Names are libcap's (lib/names.c); which capabilities
 * exist is the running kernel's word (shim_caps_last), never a count
 * compiled in, so ALL grows with the kernel.
 *
 * MUST: after shim_privileges_apply succeeds, the ids, groups and the
 * permitted, effective, inheritable and ambient sets are exactly what was
 * asked (read back and compared), and so is the bounding set whenever this
 * process may change it. A failed drop or raise is an error, never skipped
 * (setpriv's silent failures). Without CAP_SETPCAP the bounding set cannot
 * shrink: the caller learns it from shim_caps_can_drop_bounding and says
 * so before anything runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <grp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/securebits.h>

#include "internal.h"

/* The kernel's own answer, as crun reads it; where /proc is not procfs
 * (a container's empty filesystem), libcap's, which it finds when the
 * program starts by asking the kernel (PR_CAPBSET_READ) for each number. */
int shim_caps_last(void)
{
	int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct statfs fs;
	char buf[8], *end;
	ssize_t n = -1;
	long last = -1;

	if (fd >= 0) {
		if (fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC)
			n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n > 0) {
		buf[n] = '\0';
		last = strtol(buf, &end, 10);
		if (end == buf || (*end != '\n' && *end != '\0'))
			last = -1;
	}
	if (last < 0 || last > 63)
		last = cap_max_bits() - 1;
	return last < 0 ? 0 : last > 63 ? 63 : (int)last;
}

uint64_t shim_caps_all(void)
{
	int last = shim_caps_last();

	return last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
}

int shim_caps_parse_list(const char *list, uint64_t *out, bool *all,
			 struct shim_error *err)
{
	char *copy = strdup(list), *save = NULL, *tok;

	if (!copy) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " \t");
		tok[strcspn(tok, " \t")] = '\0';
		if (*tok == '\0')
			continue;
		if (strcasecmp(tok, "ALL") == 0 || strcasecmp(tok, "CAP_ALL") == 0) {
			*all = true;
			continue;
		}
		int cap = shim_cap_from_name(tok);
		if (cap < 0) {
			shim_error_set(err, EINVAL, "unknown capability \"%s\" (expected a name like NET_BIND_SERVICE or CAP_NET_BIND_SERVICE, or ALL)",
				       tok);
			free(copy);
			return -1;
		}
		*out |= 1ULL << cap;
	}
	free(copy);
	return 0;
}

void shim_caps_format(uint64_t caps, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int cap = 0; cap < 64 && used < len; cap++) {
		if (!(caps & (1ULL << cap)))
			continue;
		char name[SHIM_CAP_NAME_MAX];
		int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "",
				 shim_cap_name(cap, name));
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, len, "(none)");
}

int shim_caps_plan(uint64_t current, uint64_t held, const struct shim_cap_request *req,
		   uint64_t *final, struct shim_error *err)
{
	uint64_t want;
	char names[1024];

	if (req->add_all)
		want = current & ~req->drop;
	else if (req->drop_all)
		want = req->add;
	else
		want = (current & ~req->drop) | req->add;
	if (!req->add_all && (req->add & ~shim_caps_all())) {
		shim_caps_format(req->add & ~shim_caps_all(), names, sizeof(names));
		shim_error_set(err, EINVAL, "cannot add %s: this kernel has no such capability (its last is %d)",
			       names, shim_caps_last());
		return -1;
	}
	if (!req->add_all && (req->add & ~current)) {
		shim_caps_format(req->add & ~current, names, sizeof(names));
		shim_error_set(err, EPERM, "cannot add %s: not in this process's bounding set, and no process can add to it",
			       names);
		return -1;
	}
	if (!req->add_all && (req->add & ~held)) {
		shim_caps_format(req->add & ~held, names, sizeof(names));
		shim_error_set(err, EPERM, "cannot add %s: seccomp-shim does not hold it (adding capabilities needs root)",
			       names);
		return -1;
	}
	*final = want;
	return 0;
}

struct cap_sets {
	uint64_t effective, permitted, inheritable;
};

static int caps_get(struct cap_sets *s)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	/* Zeroed: some emulators (valgrind) mark only data[0] as written. */
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	s->effective = data[0].effective | (uint64_t)data[1].effective << 32;
	s->permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
	s->inheritable = data[0].inheritable | (uint64_t)data[1].inheritable << 32;
	return 0;
}

static int caps_set(const struct cap_sets *s)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {
		{ (uint32_t)s->effective, (uint32_t)s->permitted, (uint32_t)s->inheritable },
		{ (uint32_t)(s->effective >> 32), (uint32_t)(s->permitted >> 32),
		  (uint32_t)(s->inheritable >> 32) },
	};

	return (int)syscall(SYS_capset, &hdr, data);
}

static int drop_bounding(uint64_t keep, struct shim_error *err)
{
	uint64_t current = shim_caps_read_bounding();
	char name[SHIM_CAP_NAME_MAX];

	for (int cap = 0; cap < 64; cap++) {
		if (!(current & (1ULL << cap)) || (keep & (1ULL << cap)))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			shim_error_set(err, errno, "cannot drop %s from the bounding set: %s%s",
				       shim_cap_name(cap, name),
				       strerror(errno),
				       errno == EPERM ? " (this needs CAP_SETPCAP: run as root, or do not ask to drop it)" : "");
			return -1;
		}
	}
	return 0;
}

static int read_ambient(uint64_t *out)
{
	*out = 0;
	for (int cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0);
		if (r < 0)
			return errno == EINVAL ? 0 : -1;
		if (r)
			*out |= 1ULL << cap;
	}
	return 0;
}

uint64_t shim_caps_read_permitted(void)
{
	struct cap_sets s;

	return caps_get(&s) == 0 ? s.permitted : 0;
}

uint64_t shim_caps_read_ambient(void)
{
	uint64_t set;

	return read_ambient(&set) == 0 ? set : 0;
}

uint64_t shim_caps_held(const struct shim_cap_request *req, uint64_t bounding,
			unsigned target_uid)
{
	/* Docker's rule: cap-add and cap-drop shape the bounding set; root
	 * holds all of it, any other user nothing it was not given by name. */
	if (target_uid == 0 && !(shim_caps_read_securebits() & SECBIT_NOROOT))
		return bounding;
	return (req->add_all ? bounding : req->add) & bounding;
}

unsigned shim_caps_read_securebits(void)
{
	int bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);

	return bits < 0 ? 0 : (unsigned)bits;
}

uint64_t shim_caps_target_set(unsigned target_uid, bool change_caps, uint64_t held,
			      bool switching_user, const struct shim_host *host)
{
	/* no_new_privs caps what execve grants at what this process holds:
	 * uid 0 gains its bounding set only as far as we hold it, and not at
	 * all under SECBIT_NOROOT. */
	if (target_uid == 0 && !(shim_caps_read_securebits() & SECBIT_NOROOT))
		return (change_caps ? held : host->bounding) & host->permitted;
	/* Otherwise execve keeps only the ambient set (NNP ignores file caps).
	 * With caps options, ambient becomes what is held; a switch without
	 * them leaves nothing; otherwise the ambient set stays. */
	if (change_caps)
		return held & host->permitted;
	return switching_user ? 0 : shim_caps_read_ambient();
}

bool shim_caps_can_drop_bounding(void)
{
	struct cap_sets s;

	return caps_get(&s) == 0 && (s.effective & (1ULL << CAP_SETPCAP));
}

/* The hint for an EPERM from an id change. Root can lack the capability
 * too: a container's uid 0 holds only what the runtime grants it. */
static const char *needs(int e, int cap)
{
	struct cap_sets cur;

	if (e != EPERM || (caps_get(&cur) == 0 && (cur.effective & (1ULL << cap))))
		return "";
	if (geteuid() != 0)
		return cap == CAP_SETGID ? " (this needs CAP_SETGID: run seccomp-shim as root)"
					 : " (this needs CAP_SETUID: run seccomp-shim as root)";
	return cap == CAP_SETGID
		       ? " (seccomp-shim runs as uid 0 but without CAP_SETGID: grant it (in a container: add it to process.capabilities in config.json; docker or podman run --cap-add SETGID))"
		       : " (seccomp-shim runs as uid 0 but without CAP_SETUID: grant it (in a container: add it to process.capabilities in config.json; docker or podman run --cap-add SETUID))";
}

static int switch_ids(const struct shim_identity *id, struct shim_error *err)
{
	if (id->set_groups && setgroups(id->n_groups, (const gid_t *)id->groups) < 0) {
		shim_error_set(err, errno, "cannot set the supplementary groups: %s%s",
			       strerror(errno), needs(errno, CAP_SETGID));
		return -1;
	}
	if (setresgid(id->gid, id->gid, id->gid) < 0) {
		shim_error_set(err, errno, "cannot switch to gid %u: %s%s", id->gid,
			       strerror(errno), needs(errno, CAP_SETGID));
		return -1;
	}
	if (setresuid(id->uid, id->uid, id->uid) < 0) {
		shim_error_set(err, errno, "cannot switch to uid %u: %s%s", id->uid,
			       strerror(errno), needs(errno, CAP_SETUID));
		return -1;
	}
	return 0;
}

static int verify_ids(const struct shim_identity *id, struct shim_error *err)
{
	uid_t r, e, s;
	gid_t gr, ge, gs, *groups;
	int n = getgroups(0, NULL);

	groups = n > 0 ? calloc((size_t)n, sizeof(*groups)) : NULL;
	if (n < 0 || (n > 0 && (!groups || getgroups(n, groups) != n)) ||
	    getresuid(&r, &e, &s) < 0 || getresgid(&gr, &ge, &gs) < 0) {
		shim_error_set(err, errno, "cannot read the ids back: %s", strerror(errno));
		free(groups);
		return -1;
	}
	if (r != id->uid || e != id->uid || s != id->uid || gr != id->gid ||
	    ge != id->gid || gs != id->gid) {
		shim_error_set(err, EPERM, "the ids did not end as asked (uid %u/%u/%u, gid %u/%u/%u)",
			       r, e, s, gr, ge, gs);
		free(groups);
		return -1;
	}
	bool same = !id->set_groups || (size_t)n == id->n_groups;
	for (int i = 0; id->set_groups && same && i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < id->n_groups; j++)
			found |= groups[i] == id->groups[j];
		same = found;
	}
	free(groups);
	if (!same) {
		shim_error_set(err, EPERM, "the supplementary groups did not end as asked");
		return -1;
	}
	return 0;
}


/* Sets permitted, effective, inheritable and ambient to caps, as far as
 * this process holds them, and reads them back. */
static int set_caps(uint64_t caps, struct shim_error *err)
{
	struct cap_sets cur, want, got;
	uint64_t ambient;
	char names[1024], name[SHIM_CAP_NAME_MAX];

	if (caps_get(&cur) < 0) {
		shim_error_set(err, errno, "cannot read the capability sets: %s", strerror(errno));
		return -1;
	}
	want.permitted = caps & cur.permitted;
	want.effective = want.permitted;
	want.inheritable = caps & (cur.inheritable | cur.permitted);
	if (caps_set(&want) < 0) {
		shim_error_set(err, errno, "cannot set the capability sets: %s", strerror(errno));
		return -1;
	}
	/* Ambient keeps the caps across execve for a non-root target. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
		shim_error_set(err, errno, "cannot clear the ambient capabilities: %s", strerror(errno));
		return -1;
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(want.permitted & want.inheritable & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
			shim_error_set(err, errno, "cannot raise %s in the ambient set: %s",
				       shim_cap_name(cap, name),
				       strerror(errno));
			return -1;
		}
	}
	if (caps_get(&got) < 0 || read_ambient(&ambient) < 0) {
		shim_error_set(err, errno, "cannot read the capability sets back: %s", strerror(errno));
		return -1;
	}
	if (got.permitted != want.permitted || got.effective != want.effective ||
	    got.inheritable != want.inheritable || ambient != (want.permitted & want.inheritable)) {
		shim_caps_format((got.permitted ^ want.permitted) | (got.effective ^ want.effective) |
					 (got.inheritable ^ want.inheritable) |
					 (ambient ^ (want.permitted & want.inheritable)),
				 names, sizeof(names));
		shim_error_set(err, EPERM, "the capability sets did not end as asked (they differ in %s)",
			       names);
		return -1;
	}
	return 0;
}

int shim_privileges_apply(const struct shim_identity *id, bool change_caps,
			  uint64_t bounding_caps, uint64_t held_caps, struct shim_error *err)
{
	bool switching = id && id->switch_user;

	/* Bounding first, while CAP_SETPCAP is still effective. */
	if (change_caps && shim_caps_can_drop_bounding()) {
		uint64_t bounding;

		if (drop_bounding(bounding_caps, err) < 0)
			return -1;
		bounding = shim_caps_read_bounding();
		if (bounding != bounding_caps) {
			char names[1024];
			shim_caps_format(bounding ^ bounding_caps, names, sizeof(names));
			shim_error_set(err, EPERM, "the bounding set did not end as asked (it differs in %s)",
				       names);
			return -1;
		}
	}
	/* keep-caps: the permitted set survives setresuid to a non-zero uid. */
	if (switching && change_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
		shim_error_set(err, errno, "cannot set keep-caps: %s", strerror(errno));
		return -1;
	}
	if (switching && (switch_ids(id, err) < 0 || verify_ids(id, err) < 0))
		return -1;
	if (change_caps && set_caps(held_caps, err) < 0)
		return -1;
	if (switching && change_caps && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) {
		shim_error_set(err, errno, "cannot clear keep-caps: %s", strerror(errno));
		return -1;
	}
	return 0;
}
