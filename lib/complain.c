/* complain: the profile a --complain run would have needed.
 *
 * MUST: the result only ever allows more than p, and only what the run
 * was seen to need: names are taken out of the rules that denied a call
 * that went ahead, and ALLOW rules are added for the calls the default
 * action denied (record's rules, lib/record.c: by name, the calls whose
 * danger is in one argument by the values seen). Every call kept is run
 * through the result's own compiled program; what it still denies is
 * said, not hidden.
 */
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "internal.h"

#define ROUNDS 8 /* a syscall named by that many deny rules in a row is left to the warning */

struct mark {
	size_t rule, name; /* syscalls[rule].names[name] */
};

struct marks {
	struct mark *v;
	size_t n;
};

static void mark_add(struct marks *m, const struct shim_policy_rule *r)
{
	struct mark *grown;

	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].rule == r->src_index && m->v[i].name == r->src_name_index)
			return;
	grown = realloc(m->v, (m->n + 1) * sizeof(*grown));
	if (!grown)
		return;
	m->v = grown;
	m->v[m->n++] = (struct mark){ r->src_index, r->src_name_index };
}

static bool marked(const struct marks *m, size_t rule, size_t name)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].rule == rule && m->v[i].name == name)
			return true;
	return false;
}

/* Takes the marked names out of root's rules; a rule left without any
 * goes too. */
static void drop_names(json_t *root, const struct marks *m)
{
	json_t *rules = json_object_get(root, "syscalls"), *kept = json_array();
	size_t i, j;
	json_t *rule, *name;

	json_array_foreach(rules, i, rule) {
		json_t *names = json_object_get(rule, "names"), *left = json_array();
		json_array_foreach(names, j, name)
			if (!marked(m, i, j))
				json_array_append(left, name);
		if (json_array_size(left)) {
			json_object_set_new(rule, "names", left);
			json_array_append(kept, rule);
		} else {
			json_decref(left);
		}
	}
	json_object_set_new(root, "syscalls", kept);
}

static bool allows(uint32_t ret)
{
	ret &= SECCOMP_RET_ACTION_FULL;
	return ret == SECCOMP_RET_ALLOW || ret == SECCOMP_RET_LOG;
}

/* root parsed and resolved: the profile as it stands. */
static int load(json_t *root, const struct shim_host *host, struct shim_profile **p,
		struct shim_policy *pol, struct shim_error *err)
{
	struct shim_text t = { 0 };
	int rc;

	json_incref(root);
	if (shim_json_dump(root, &t, err) < 0)
		return -1;
	rc = shim_profile_parse("the --complain profile", t.s, t.len, p, NULL, err);
	shim_text_free(&t);
	if (rc < 0)
		return -1;
	if (shim_resolve(*p, host, pol, NULL, err) < 0) {
		shim_profile_free(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

/* Marks the deny rules that still decide one of the calls; 0: none. */
static int deciding_rules(const struct shim_policy *pol, const struct shim_supervision *s,
			  struct marks *m, struct shim_error *err)
{
	struct shim_ref *ref;

	if (shim_ref_new(pol, &ref, err) < 0)
		return -1;
	m->n = 0;
	for (size_t i = 0; i < s->n_calls; i++) {
		struct shim_ref_verdict v;
		shim_ref_eval(ref, &s->calls[i], &v);
		if (!allows(v.ret) && v.by == SHIM_BY_RULE && v.rule)
			mark_add(m, v.rule);
	}
	shim_ref_free(ref);
	return (int)m->n;
}

/* The comment says where the additions come from; it goes first, as
 * record writes it. Returns the new root. */
static json_t *set_comment(json_t *root, const char *command)
{
	const char *old = json_string_value(json_object_get(root, "comment"));
	json_t *first = json_object();

	if (!command)
		return root;
	if (old && *old)
		json_object_set_new(first, "comment",
				    json_sprintf("%s%s Added by seccomp-shim --complain from: %s", old,
						 old[strlen(old) - 1] == '.' ? "" : ".", command));
	else
		json_object_set_new(first, "comment",
				    json_sprintf("Added by seccomp-shim --complain from: %s", command));
	json_object_del(root, "comment");
	json_object_update(first, root);
	json_decref(root);
	return first;
}

/* A default that is not ERRNO (KILL, TRAP, ...): one ALLOW rule with the
 * names, since record adds to allow-lists only. */
static void allow_names(json_t *root, const struct shim_supervision *s)
{
	json_t *names = json_array();

	for (size_t i = 0; i < s->n_calls; i++) {
		const struct shim_seccomp_data *d = &s->calls[i];
		uint32_t token = d->arch;
		char *name;
		size_t j;
		json_t *v;
		bool have = false;

		if (token == SCMP_ARCH_X86_64 && ((uint32_t)d->nr & 0x40000000u))
			token = SCMP_ARCH_X32;
		name = seccomp_syscall_resolve_num_arch(token, d->nr);
		json_array_foreach(names, j, v)
			have |= name && strcmp(json_string_value(v), name) == 0;
		if (name && !have)
			json_array_append_new(names, json_string(name));
		free(name);
	}
	if (json_array_size(names))
		json_array_append_new(json_object_get(root, "syscalls"),
				      json_pack("{s:o, s:s}", "names", names, "action", "SCMP_ACT_ALLOW"));
	else
		json_decref(names);
}

/* Every call run through the result's own program. */
static int verify(const char *text, size_t len, const struct shim_host *host,
		  const struct shim_supervision *s, struct shim_warnings *warn, struct shim_error *err)
{
	struct shim_profile *p = NULL;
	struct shim_policy pol = { 0 };
	struct shim_filter f = { 0 };
	size_t denied = 0;
	int rc = -1;

	if (shim_profile_parse("the --complain profile", text, len, &p, NULL, err) < 0 ||
	    shim_resolve(p, host, &pol, NULL, err) < 0 || shim_compile(p, &pol, NULL, &f, NULL, err) < 0)
		goto out;
	for (size_t i = 0; i < s->n_calls; i++) {
		uint32_t ret;
		if (shim_bpf_run(f.insns, f.n_insns, &s->calls[i], &ret, err) < 0)
			goto out;
		if (!allows(ret) && denied++ < 5) {
			struct shim_text t = { 0 };
			char v[64];
			shim_input_describe(&pol, &s->calls[i], &t);
			shim_bpf_ret_format(ret, v, sizeof(v));
			shim_warn(warn, "the profile --complain writes still gives %s %s: a rule it cannot take apart decides it; edit that rule by hand",
				  v, t.s ? t.s : "");
			shim_text_free(&t);
		}
	}
	rc = 0;
out:
	shim_filter_free(&f);
	shim_policy_free(&pol);
	shim_profile_free(p);
	return rc;
}

static int finish(json_t *root, const struct shim_host *host, const struct shim_supervision *s,
		  struct shim_text *out, struct shim_warnings *warn, struct shim_error *err)
{
	struct shim_profile *cur = NULL;
	struct shim_policy pol = { 0 };
	int rc;

	if (load(root, host, &cur, &pol, err) < 0)
		return -1;
	switch (cur->default_action.kind) {
	case SHIM_ACT_ERRNO: {
		struct shim_record_options opt = { .merge = cur, .seen_only = true,
						   .errno_ret = (int)cur->default_action.errno_ret };
		rc = shim_record_profile(&s->complained, &opt, out, warn, err);
		break;
	}
	case SHIM_ACT_ALLOW:
	case SHIM_ACT_LOG:
		json_incref(root);
		rc = shim_json_dump(root, out, err);
		break;
	default:
		allow_names(root, s);
		json_incref(root);
		rc = shim_json_dump(root, out, err);
		break;
	}
	shim_policy_free(&pol);
	shim_profile_free(cur);
	return rc < 0 ? -1 : verify(out->s, out->len, host, s, warn, err);
}

int shim_complain_profile(const struct shim_profile *p, const struct shim_policy *pol,
			  const struct shim_host *host, const struct shim_supervision *s,
			  const char *command, struct shim_text *out, struct shim_warnings *warn,
			  struct shim_error *err)
{
	struct shim_text text = { 0 };
	struct marks m = { 0 };
	json_error_t jerr;
	json_t *root;
	int rc = -1;

	if (shim_export_json(p, &text, err) < 0)
		return -1;
	root = json_loads(text.s, JSON_PRESERVE_ORDER, &jerr);
	shim_text_free(&text);
	if (!root) { /* a value above 2^63-1, which jansson cannot hold */
		shim_error_set(err, EINVAL, "%s: cannot write the --complain profile: %s", p->path, jerr.text);
		return -1;
	}
	root = set_comment(root, command);
	for (size_t i = 0; s->rule_decided && i < pol->n_rules; i++)
		if (s->rule_decided[i] && !allows(shim_action_ret(&pol->rules[i].action)))
			mark_add(&m, &pol->rules[i]);
	drop_names(root, &m);
	/* A name taken out can leave the call to the next rule that denies
	 * it: take that one out too, a few times. */
	for (int round = 0; round < ROUNDS; round++) {
		struct shim_profile *cur = NULL;
		struct shim_policy cpol = { 0 };
		int n;

		if (load(root, host, &cur, &cpol, err) < 0)
			goto out;
		n = deciding_rules(&cpol, s, &m, err);
		shim_policy_free(&cpol);
		shim_profile_free(cur);
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		drop_names(root, &m);
	}
	rc = finish(root, host, s, out, warn, err);
out:
	free(m.v);
	json_decref(root);
	return rc;
}
