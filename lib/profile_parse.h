/* The profile parser's shared state, for lib/profile*.c only: where in
 * the JSON the parser is (the path the reports name), how it reports,
 * and the typed field accessors every part of the schema reads with.
 *
 * MUST: every rejection names file:line:column, the JSON path and what was
 * expected; nothing half-parsed escapes (on error the profile is freed).
 * Keys are matched exactly (shim_field_check_keys). JSON null counts as
 * an absent field, as it does for Docker and runc.
 */
#ifndef SHIM_PROFILE_PARSE_H
#define SHIM_PROFILE_PARSE_H

#include <jansson.h>

#include "internal.h"

#define PATH_MAX_DEPTH 8

struct pctx {
	const char *file;
	const char *text;
	size_t len;
	struct shim_json_seg path[PATH_MAX_DEPTH];
	size_t depth;
	size_t n_names; /* across all of syscalls[] */
	struct shim_warnings *warn;
	struct shim_error *err; /* the first error */
	/* Every error, when the caller wants them all (check): the parser
	 * then goes on past an error wherever the rest can still be read. */
	struct shim_findings *errors;
	size_t n_errors;
	bool stop; /* out of memory: nothing more is read */
};

static inline void push_key(struct pctx *c, const char *key)
{
	c->path[c->depth].key = key;
	c->path[c->depth].index = 0;
	c->depth++;
}

static inline void push_index(struct pctx *c, size_t index)
{
	c->path[c->depth].key = NULL;
	c->path[c->depth].index = index;
	c->depth++;
}

static inline void pop(struct pctx *c)
{
	c->depth--;
}

/* After a part that failed: whether to read on (the caller wants every
 * error, and there is memory to find them with). */
static inline bool go_on(const struct pctx *c)
{
	return c->errors && !c->stop;
}

/* One part of an object: on failure, stop, or note it and read on. */
#define PART(c, bad, expr)                             \
	do {                                           \
		if ((expr) < 0) {                      \
			if (!go_on(c))                 \
				return -1;             \
			(bad) = true;                  \
		}                                      \
	} while (0)

/* Reports at the current path: an error (returns -1) or, with REPORT_WARN,
 * a warning; REPORT_AT_KEY points at the key rather than its value. */
enum { REPORT_AT_KEY = 1, REPORT_WARN = 2 };

int shim_parse_report(struct pctx *c, unsigned how, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define fail(c, ...) shim_parse_report((c), 0, __VA_ARGS__)
#define fail_at_key(c, ...) shim_parse_report((c), REPORT_AT_KEY, __VA_ARGS__)
#define warn_at_key(c, ...) ((void)shim_parse_report((c), REPORT_AT_KEY | REPORT_WARN, __VA_ARGS__))

/* "an object", "a string", ... for a message. */
const char *shim_json_type_name(const json_t *v);
/* Checks the keys of obj against known (NULL-terminated). */
int shim_field_check_keys(struct pctx *c, json_t *obj, const char *const *known,
			  bool unknown_is_error);
/* Field accessors: push the key, check the type, pop. A NULL or JSON null
 * value means absent and leaves *out alone: 1 present, 0 absent, -1 bad. */
int shim_field_string(struct pctx *c, json_t *obj, const char *key, const char **out);
int shim_field_uint(struct pctx *c, json_t *obj, const char *key, uint64_t max, uint64_t *out);
int shim_field_array(struct pctx *c, json_t *obj, const char *key, json_t **out);
int shim_field_object(struct pctx *c, json_t *obj, const char *key, json_t **out);
/* Element i of an array, which must be a string (0, or -1); the path
 * has the array's key. */
int shim_field_elem_string(struct pctx *c, json_t *arr, size_t i, const char **out);

/* lib/profile_action.c: the action at key ("action", "defaultAction"),
 * then the errno pair that goes with it ("errnoRet"/"errno", or the
 * default* pair) into a->errno_ret. */
int shim_parse_action(struct pctx *c, json_t *obj, const char *key, struct shim_action *a);
int shim_parse_errno_pair(struct pctx *c, json_t *obj, const char *num_key,
			  const char *name_key, struct shim_action *a);

/* lib/profile_rules.c: syscalls[] into p->rules. */
int shim_parse_rules(struct pctx *c, json_t *root, struct shim_profile *p);

#endif
