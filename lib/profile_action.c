/* parse: an action and its errno, at the top level (defaultAction,
 * defaultErrnoRet, defaultErrno) and in a rule (action, errnoRet, errno).
 *
 * MUST: an errno goes only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE (the
 * OCI runtime spec says to fail, where runc would ignore it); ERRNO's
 * stays within what libseccomp, and so runc and crun, take; a number and
 * a name for it must agree. An action is spelt as libseccomp names it.
 */
#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "profile_parse.h"

/* libseccomp refuses ERRNO/TRACE data from 4095 (MAX_ERRNO) up. */
#define SHIM_ERRNO_MAX 4094

/* Reads "errnoRet"/"errno" (or the default* pair) into a->errno_ret. */
int shim_parse_errno_pair(struct pctx *c, json_t *obj, const char *num_key,
			  const char *name_key, struct shim_action *a)
{
	uint64_t num = 0;
	const char *name = NULL;
	int has_num, has_name, by_name = 0;
	bool takes_errno = a->kind == SHIM_ACT_ERRNO || a->kind == SHIM_ACT_TRACE;

	/* An errno name where a number goes: point at the field that takes it. */
	if (json_is_string(json_object_get(obj, num_key)) &&
	    shim_errno_from_name(json_string_value(json_object_get(obj, num_key)), &by_name) == 0) {
		push_key(c, num_key);
		fail(c, "errno-name-as-number", "expected a number, found the errno name \"%s\": write \"%s\": \"%s\", or \"%s\": %d",
		     json_string_value(json_object_get(obj, num_key)), name_key,
		     json_string_value(json_object_get(obj, num_key)), num_key, by_name);
		pop(c);
		return -1;
	}
	/* SECCOMP_RET_DATA is 16 bits wide. */
	has_num = shim_field_uint(c, obj, num_key, 0xffff, &num);
	if (has_num < 0)
		return -1;
	/* TRACE hands its 16 bits to the tracer as they are; only ERRNO's
	 * become an errno, and libseccomp (so runc, crun) stops there. */
	if (has_num > 0 && num > SHIM_ERRNO_MAX && a->kind != SHIM_ACT_TRACE) {
		push_key(c, num_key);
		fail(c, "errno-out-of-range", "%llu is out of range: libseccomp, and so runc and crun, take 0 to %d for SCMP_ACT_ERRNO (SCMP_ACT_TRACE takes up to 65535)",
		     (unsigned long long)num, SHIM_ERRNO_MAX);
		pop(c);
		return -1;
	}
	has_name = shim_field_string(c, obj, name_key, &name);
	if (has_name < 0)
		return -1;
	if (has_name && shim_errno_from_name(name, &by_name) < 0) {
		push_key(c, name_key);
		fail(c, "unknown-errno", "unknown errno name \"%s\" (expected a name like EPERM or ENOSYS)", name);
		pop(c);
		return -1;
	}
	if ((has_num || has_name) && !takes_errno) {
		push_key(c, has_num ? num_key : name_key);
		fail(c, "errno-without-errno-action", "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno; remove it or change the action (%s; runc would ignore it, but the OCI runtime spec says to fail)",
		     shim_action_name(a->kind));
		pop(c);
		return -1;
	}
	if (has_num && has_name && (uint64_t)by_name != num) {
		push_key(c, name_key);
		fail(c, "errno-conflict", "\"%s\" is %d but %s says %llu: make them agree or keep one",
		     name, by_name, num_key, (unsigned long long)num);
		pop(c);
		return -1;
	}
	if (takes_errno)
		a->errno_ret = has_num ? (uint32_t)num : has_name ? (uint32_t)by_name : EPERM;
	return 0;
}

int shim_parse_action(struct pctx *c, json_t *obj, const char *key, struct shim_action *a)
{
	const char *name = NULL;
	int r = shim_field_string(c, obj, key, &name);

	if (r < 0)
		return -1;
	if (r == 0 && strcmp(key, "action") == 0)
		return fail(c, "missing-action", "missing \"action\": runc and Docker refuse an entry without one; add \"action\": \"SCMP_ACT_ALLOW\" (or the action you mean)");
	if (r == 0)
		return fail(c, "missing-key", "missing \"%s\" (expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)", key);
	if (shim_action_from_name(name, &a->kind) == 0) {
		a->kill_alias = strcmp(name, "SCMP_ACT_KILL") == 0;
		return 0;
	}
	push_key(c, key);
	if (shim_action_suggest(name)) {
		fail(c, "unknown-action", "unknown action \"%s\" (did you mean \"%s\"?)", name, shim_action_suggest(name));
		pop(c);
		return -1;
	}
	fail(c, "unknown-action", "unknown action \"%s\" (expected one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_NOTIFY)",
	     name);
	pop(c);
	return -1;
}
