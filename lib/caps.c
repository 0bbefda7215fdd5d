/* Capabilities: Docker-style names and lists, and applying a set.
 *
 * MUST: after shim_caps_apply succeeds, the bounding, permitted, effective
 * and inheritable sets are exactly what was asked (read back and compared)
 * and the ambient set is empty. A capability that cannot be dropped is an
 * error, never skipped (setpriv's silent failure without CAP_SETPCAP).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "internal.h"

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
		const char *name = shim_cap_name(cap);
		int n = name ? snprintf(buf + used, len - used, "%s%s", used ? "," : "", name)
			     : snprintf(buf + used, len - used, "%s%d", used ? "," : "", cap);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, len, "(none)");
}

int shim_caps_plan(uint64_t current, const struct shim_cap_request *req,
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
	if (!req->add_all && (req->add & ~current)) {
		shim_caps_format(req->add & ~current, names, sizeof(names));
		shim_error_set(err, EPERM, "cannot add %s: not in this process's bounding set, and no process can add to it",
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
	struct __user_cap_data_struct data[2];

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

	for (int cap = 0; cap < 64; cap++) {
		if (!(current & (1ULL << cap)) || (keep & (1ULL << cap)))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			shim_error_set(err, errno, "cannot drop %s from the bounding set: %s%s",
				       shim_cap_name(cap) ? shim_cap_name(cap) : "a capability",
				       strerror(errno),
				       errno == EPERM ? " (this needs CAP_SETPCAP: run as root, or do not ask to drop it)" : "");
			return -1;
		}
	}
	return 0;
}

static int verify(uint64_t bounding, const struct cap_sets *want, struct shim_error *err)
{
	struct cap_sets got;
	char a[1024];
	uint64_t bnd = shim_caps_read_bounding();
	int ambient_any = 0;

	if (caps_get(&got) < 0) {
		shim_error_set(err, errno, "cannot read the capability sets back: %s", strerror(errno));
		return -1;
	}
	for (int cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0);
		if (r < 0)
			break;
		ambient_any |= r;
	}
	if (bnd != bounding) {
		shim_caps_format(bnd ^ bounding, a, sizeof(a));
		shim_error_set(err, EPERM, "the bounding set did not end as asked (differs in %s)", a);
		return -1;
	}
	if (got.permitted != want->permitted || got.effective != want->effective ||
	    got.inheritable != want->inheritable) {
		shim_caps_format((got.permitted ^ want->permitted) | (got.effective ^ want->effective) |
				 (got.inheritable ^ want->inheritable), a, sizeof(a));
		shim_error_set(err, EPERM, "the capability sets did not end as asked (differs in %s)", a);
		return -1;
	}
	if (ambient_any) {
		shim_error_set(err, EPERM, "the ambient capability set is not empty after clearing it");
		return -1;
	}
	return 0;
}

int shim_caps_apply(uint64_t final, struct shim_error *err)
{
	struct cap_sets cur, want;

	if (caps_get(&cur) < 0) {
		shim_error_set(err, errno, "cannot read the capability sets: %s", strerror(errno));
		return -1;
	}
	/* Bounding first, while CAP_SETPCAP may still be effective. */
	if (drop_bounding(final, err) < 0)
		return -1;
	/* Permitted and effective can only shrink; inheritable may take any
	 * permitted cap. A non-root caller holds none, so this is a no-op. */
	want.permitted = final & cur.permitted;
	want.effective = want.permitted;
	want.inheritable = final & (cur.inheritable | cur.permitted);
	if (caps_set(&want) < 0) {
		shim_error_set(err, errno, "cannot set the capability sets: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		shim_error_set(err, errno, "cannot clear the ambient capabilities: %s", strerror(errno));
		return -1;
	}
	return verify(final, &want, err);
}
