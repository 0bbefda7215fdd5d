/* Declarations shared between lib/ modules; not part of the public API. */
#ifndef SHIM_INTERNAL_H
#define SHIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/types.h>

#include <linux/seccomp.h>

#include "seccomp-shim.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Where the kernel puts what a filter reads (struct seccomp_data), and
 * the bit x32's syscall numbers carry on AUDIT_ARCH_X86_64: defined once,
 * here. An argument's words are read where a little-endian arch has them
 * (the only ones whose arguments our programs test). */
#define SHIM_SD_NR ((uint32_t)offsetof(struct seccomp_data, nr))
#define SHIM_SD_ARCH ((uint32_t)offsetof(struct seccomp_data, arch))
#define SHIM_SD_ARG_LO(i) ((uint32_t)(offsetof(struct seccomp_data, args) + 8 * (i)))
#define SHIM_SD_ARG_HI(i) (SHIM_SD_ARG_LO(i) + 4)
#define SHIM_X32_SYSCALL_BIT 0x40000000u
/* An architecture no filter we meet names (AUDIT_ARCH_SPARC: libseccomp
 * has no such arch): what a filter does with one it does not know. */
#define SHIM_FOREIGN_ARCH 0x4000002au

/* The BPF assembler (lib/bpfasm.c): every program we emit is written with
 * jumps to labels, which shim_asm_finish turns into offsets in one
 * layout, with a long jump where a conditional cannot reach. Emitting
 * never fails; running out of memory is reported by shim_asm_finish. */
typedef uint32_t shim_label;
#define SHIM_LABEL_NEXT 0u /* the instruction that follows */

struct shim_asm_insn {
	uint8_t kind;
	uint16_t code;
	shim_label jt, jf; /* labels (a ja's in jt), or with jt_raw resolved offsets */
	uint32_t k;
	bool jt_raw;
};

struct shim_asm {
	struct shim_asm_insn *v;
	size_t n, cap;
	size_t *label_at; /* per label, the instruction it names (SIZE_MAX: unbound) */
	size_t n_labels, cap_labels;
	shim_label bad_bind;
	bool oom;
};

/* Zero-initialized: an empty program. */
void shim_asm_stmt(struct shim_asm *a, uint16_t code, uint32_t k);
/* A conditional jump (BPF_JMP | BPF_JEQ/JGT/JGE/JSET ...) to jt or jf. */
void shim_asm_jump(struct shim_asm *a, uint16_t code, uint32_t k, shim_label jt, shim_label jf);
void shim_asm_ja(struct shim_asm *a, shim_label to);
/* Resolved code, copied as it is: its jumps must stay inside it. */
void shim_asm_code(struct shim_asm *a, const struct sock_filter *v, size_t n);
/* A new label, not yet bound; bound to the next instruction emitted. */
shim_label shim_asm_label(struct shim_asm *a);
void shim_asm_bind(struct shim_asm *a, shim_label l);
/* No long jump: a conditional that cannot reach is an error (ERANGE). */
#define SHIM_ASM_NO_LONG 1u
/* No BPF_MAXINSNS limit: for a caller that holds the program to it itself
 * (lib/compile.c, which then says how long each candidate is). */
#define SHIM_ASM_ANY_LENGTH 2u
/* The program (malloc'd): 0, or -1 and err: ENOMEM, EINVAL (a label
 * never bound, bound twice, jumped to backwards or past the end, no
 * instruction), ERANGE (with SHIM_ASM_NO_LONG), E2BIG (more than
 * BPF_MAXINSNS instructions, unless SHIM_ASM_ANY_LENGTH). The assembler
 * is left as it was. */
int shim_asm_finish(struct shim_asm *a, unsigned flags, struct sock_filter **out, size_t *n_out,
		    struct shim_error *err);
void shim_asm_free(struct shim_asm *a);

/* Not in every <linux/seccomp.h> yet (kernel 5.19). */
#define SHIM_FLAG_WAIT_KILLABLE_RECV (1U << 5)

/* One step of a JSON path: an object key or an array index. */
struct shim_json_seg {
	const char *key; /* NULL for an index */
	size_t index;
};

/* Finds where the value at path starts (or its key, with at_key) in text.
 * Goes as deep as the text allows; returns how many segments matched. */
size_t shim_json_locate(const char *text, size_t len,
			const struct shim_json_seg *path, size_t depth,
			bool at_key, unsigned *line, unsigned *col);

/* The path ("syscalls[3].names") of what a parser was reading when it
 * stopped at byte offset: for syntax errors, which jansson only places. */
void shim_json_path_at(const char *text, size_t len, size_t offset, char *buf,
		       size_t buflen);

/* "syscalls[3].names[1]" */
void shim_json_path_format(const struct shim_json_seg *path, size_t depth,
			   char *buf, size_t len);

/* Probes which seccomp filter flags the kernel accepts. */
unsigned shim_kernel_supported_flags(void);

/* Reads the current capability bounding set. */
uint64_t shim_caps_read_bounding(void);
/* Reads the current permitted set (0 if it cannot be read). */
uint64_t shim_caps_read_permitted(void);
/* Edit distance, stopping early once it exceeds limit. */
size_t shim_edit_distance(const char *a, const char *b, size_t limit);
/* The i-th name of a table of lib/names.c, NULL past the end: every
 * action (SCMP_ACT_KILL among them), operator and filter flag a profile
 * may write. */
const char *shim_action_name_at(size_t i);
const char *shim_op_name_at(size_t i);
const char *shim_flag_name_at(size_t i, unsigned *flag);
/* The action name closest to a misspelt one, or NULL. */
const char *shim_action_suggest(const char *name);

/* Whether a rule tests one argument index more than once (lib/resolve.c). */
bool shim_rule_index_repeats(const struct shim_rule *r);
/* The highest syscall number the policy names on arch, or -1; the ENOSYS
 * stub answers every number above it when shim_stub_wanted. */
long shim_policy_max_nr(const struct shim_policy *pol, uint32_t arch);
bool shim_stub_wanted(const struct shim_action *def);
bool shim_policy_has_arch(const struct shim_policy *pol, uint32_t arch);
/* Whether a rule's argument conditions all hold for args. */
bool shim_args_match(const struct shim_arg *a, size_t n, const uint64_t args[6]);
/* "arg0 == 0x10 && arg1 & 0xf0 == 0x20" */
void shim_args_format(const struct shim_arg *a, size_t n, struct shim_text *out);

/* A rule as handed to a compiler: native syscall number and return value
 * resolved, rules equal to the default and unknown names left out. */
struct shim_compile_rule {
	const struct shim_policy_rule *rule;
	int native_nr;
	uint32_t ret;
};

/* The policy's program without libseccomp (lib/bpfgen.c): 1 and out
 * filled, 0 when only libseccomp can reproduce it, -1 out of memory. */
int shim_bpfgen(const struct shim_policy *pol, const struct shim_compile_rule *in,
		size_t n_in, struct shim_filter *out);

/* libseccomp 2.5.4's rule database (lib/scmpdb.c): which rules can meet
 * with different actions, and which it never finishes adding. */
struct shim_scmpdb;

int shim_scmpdb_new(const struct shim_policy *pol, const struct shim_compile_rule *in,
		    size_t n_in, struct shim_scmpdb **out);
void shim_scmpdb_free(struct shim_scmpdb *db);
/* Marks (selected[i]) the rules that meet, on some arch's number or
 * through x86's multiplexers, rules with another action; all the rules
 * they meet are marked too. Returns how many. */
size_t shim_scmpdb_contested(const struct shim_scmpdb *db, bool *selected);
/* hangs[i]: adding rule i after the earlier rules (those with
 * present[i], or all with present NULL) never returns in libseccomp
 * 2.5.4. */
void shim_scmpdb_hangs(const struct shim_scmpdb *db, const bool *present, bool *hangs);

/* The rules' own verdicts (lib/refeval.c): the policy prepared once for
 * any number of calls. The policy must outlive it. */
struct shim_ref;

struct shim_ref_match {
	uint32_t ret;
	const struct shim_policy_rule *rule;
};

struct shim_ref_verdict {
	uint32_t ret; /* what the rules say */
	enum shim_decider by;
	const struct shim_policy_rule *rule; /* SHIM_BY_RULE: the first that decides */
	long max_nr; /* the stub's limit on this arch, -1: none */
	bool reads_args; /* conditional rules apply to this syscall */
	/* Conditional rules whose tests all hold, one per action, the first
	 * first: when they disagree, each action is what the rules say. */
	struct shim_ref_match match[8];
	size_t n_match;
};

int shim_ref_new(const struct shim_policy *pol, struct shim_ref **out, struct shim_error *err);
void shim_ref_free(struct shim_ref *ref);
/* d as the kernel fills it: arch is the audit arch (x32 calls come as
 * x86_64 with bit 30 in nr). */
void shim_ref_eval(const struct shim_ref *ref, const struct shim_seccomp_data *d,
		   struct shim_ref_verdict *v);
/* shim_ref_eval in two steps, for many argument vectors of one call
 * (lib/equiv.c): what the number and arch decide, found once, then the
 * arguments. */
struct shim_ref_call {
	const struct shim_ref *ref;
	const struct ref_arch *arch; /* NULL: a foreign arch */
	bool stubbed; /* the ENOSYS stub answers */
	const struct ref_entry *entries; /* the number's, n_entries of them */
	size_t n_entries;
};
void shim_ref_call_at(const struct shim_ref *ref, uint32_t data_arch, uint32_t nr,
		      struct shim_ref_call *c);
void shim_ref_eval_call(const struct shim_ref_call *c, const uint64_t args[6],
			struct shim_ref_verdict *v);
/* Whether a program's ret is what the rules say for v's call, and the
 * rule that gives it (NULL: the default, stub or bad arch). */
const struct shim_policy_rule *shim_ref_accepts(const struct shim_ref_verdict *v, uint32_t ret,
						 bool *accepted);
/* Each test the rules make on one call (entry: which rule application),
 * with the values as written. */
void shim_ref_each_cond(const struct shim_ref *ref, uint32_t data_arch, uint32_t nr,
			void (*fn)(void *ctx, size_t entry, unsigned index, enum shim_cmp_op op,
				   uint64_t value, uint64_t two),
			void *ctx);
/* Each syscall number a rule names on data_arch, and the stub's limits. */
void shim_ref_each_nr(const struct shim_ref *ref, uint32_t data_arch,
		      void (*fn)(void *ctx, uint32_t nr), void *ctx);
/* Each number c where the rules' verdict on data_arch may differ between
 * c - 1 and c, whatever the arguments (lib/nrcells.c): around each named
 * number (adjacent numbers one unconditional action decides are one
 * run), above the stub's limit, at the x32 bit and the top half. */
void shim_ref_each_cut(const struct shim_ref *ref, uint32_t data_arch,
		       void (*fn)(void *ctx, uint64_t cut), void *ctx);
/* Whether libseccomp 2.5.4's programs for the rules may give, on some
 * input, a verdict the rules do not: a shape its BPF generator is known
 * to get wrong (BUGS in seccomp-shim(1)). On some arch, a syscall with
 * no unconditional rule and two or more that test arguments (x86's
 * socket and ipc calls in socketcall(2)/ipc(2) with their number in
 * arg0), of which one tests two arguments (when the second test fails it
 * goes on to the next rule's test of the first argument with the
 * second's word still loaded), or which make two range or NE tests (a
 * jump from a low word's test lands in a high word's test). */
bool shim_ref_libseccomp_suspect(const struct shim_ref *ref);
bool shim_arch_big_endian(uint32_t token);
/* shim_filters_run, and whether the path through some filter loaded an
 * argument or the instruction pointer (*reads_args set, never cleared);
 * a big-endian arch's arguments laid out as its kernel lays them out. */
int shim_filters_run_traced(const struct shim_filter *stack, size_t n,
			    const struct shim_seccomp_data *d, uint32_t *ret, bool *reads_args,
			    struct shim_error *err);
/* The same for programs shim_bpf_check passed (lib/equiv.c runs each
 * one on thousands of inputs), from each filter's
 * shim_bpf_checked_prefix state on d's call. */
struct shim_bpf_state;
void shim_filters_run_checked_from(const struct shim_filter *stack, size_t n,
				   const struct shim_bpf_state *states,
				   const struct shim_seccomp_data *d, uint32_t *ret, bool *reads_args);
/* lib/bpf.c: every check shim_bpf_run_traced makes as it runs, made on
 * every instruction at once (and the last one is a return); then
 * shim_bpf_run_checked_from gives, on any input, what
 * shim_bpf_run_traced gives. */
int shim_bpf_check(const struct sock_filter *prog, size_t n, struct shim_error *err);
/* A checked program's run up to its first load past nr and arch: the
 * same for every argument vector of one call, so lib/equiv.c makes it
 * once per call and runs each vector from there. */
struct shim_bpf_state {
	uint32_t pc, a, x, mem[16];
	bool done; /* it returned ret before loading anything more */
	uint32_t ret;
};
void shim_bpf_checked_prefix(const struct sock_filter *prog, const struct shim_seccomp_data *d,
			     struct shim_bpf_state *s);
uint32_t shim_bpf_run_checked_from(const struct sock_filter *prog, const struct shim_bpf_state *s,
				   const struct shim_seccomp_data *d, bool *reads_args);
/* A socket call (1) or ipc call (2) that x86, s390 and ppc carry in
 * socketcall(2)/ipc(2) with *call in arg0; the multiplexers themselves
 * are of their family with *call 0; 0 for any other name. */
int shim_mux_family(const char *name, unsigned *call);
/* The i-th name shim_mux_family gives a family and a call, NULL past
 * the last (tests). */
const char *shim_mux_name(size_t i);
/* Whether f gives what the rules say (ref, made from pol) on every input
 * lib/equiv.c builds from pol: 1 yes, 0 no (differing holds the first
 * input where it does not), -1 error. inputs counts the runs. */
int shim_filter_check(const struct shim_policy *pol, const struct shim_ref *ref,
		      const struct shim_filter *f, struct shim_seccomp_data *differing,
		      size_t *inputs, struct shim_error *err);
/* The same; plain: every number of the sweep run, each by
 * shim_bpf_run_traced, with no cells (lib/nrcells.c): tests hold the two
 * ways to one answer. */
int shim_filter_check_sweep(const struct shim_policy *pol, const struct shim_ref *ref,
			    const struct shim_filter *f, bool plain,
			    struct shim_seccomp_data *differing, size_t *inputs,
			    struct shim_error *err);

/* lib/argconsts.c: calls fn with each constant p compares a word past
 * nr and arch with (word (offset - 8) / 4: 0-1 the instruction pointer,
 * 2-13 the arguments as the kernel lays them out), or masks it with, on
 * the paths a call with this arch and number can take. -1: no memory. */
int shim_program_arg_constants(const struct sock_filter *p, size_t n, uint32_t arch, uint32_t nr,
			       void (*fn)(void *ctx, unsigned word, uint32_t k), void *ctx);
/* The same as values to try: each constant and its neighbours, in the
 * word of argument index (0-5, or SHIM_ARG_IP for the instruction
 * pointer) it was compared in. */
#define SHIM_ARG_IP 6u
int shim_program_arg_values(const struct sock_filter *p, size_t n, uint32_t arch, uint32_t nr,
			    void (*fn)(void *ctx, unsigned index, uint64_t v), void *ctx);

/* x % d, as lib/equiv.c computes it without dividing (tests); d > 0. */
uint64_t shim_equiv_remainder(uint64_t x, uint64_t d);

/* ours and theirs (libseccomp's program for the same policy) differ on
 * d: 1 when that is libseccomp's known error (the policy has a shape
 * shim_ref_libseccomp_suspect names, ours gives what the rules say on d
 * and theirs does not), 0 when not, -1 error. */
int shim_libseccomp_excused(const struct shim_ref *ref, const struct shim_filter *ours,
			    const struct shim_filter *theirs, const struct shim_seccomp_data *d,
			    struct shim_error *err);

/* "on SCMP_ARCH_X86 futex_waitv(0x8, 0, 0, 0, 0, 0)" */
void shim_input_describe(const struct shim_policy *pol, const struct shim_seccomp_data *d,
			 struct shim_text *out);
/* "the rules say ALLOW by syscalls[0].names[0] (...)" */
void shim_rules_describe(const struct shim_profile *p, const struct shim_ref *ref,
			 const struct shim_seccomp_data *d, struct shim_text *out);
/* libseccomp's program with the stub, not checked against the rules: only
 * to compare with (explain --stats), never to load. */
int shim_compile_libseccomp_unchecked(const struct shim_profile *p,
				      const struct shim_policy *pol, bool linear,
				      struct shim_filter *out, struct shim_error *err);

void shim_sha256(const void *data, size_t len, uint8_t out[32]);

/* Every architecture the OCI runtime-spec names (lib/names.c), for data
 * generated at build time to point into. */
extern const struct shim_arch_info shim_arch_table[];
extern const size_t shim_arch_table_size;

/* The built-in profiles (lib/builtin.c). */
struct shim_builtin {
	const char *name;
	const char *text; /* the embedded JSON */
	size_t len;
	unsigned text_index; /* names sharing a text share its programs */
	const uint8_t *sha256;
	struct shim_profile *profile; /* parsed at build time (static: never freed) */
};

/* A program compiled at build time, and what it was compiled for. */
struct shim_precompiled {
	unsigned text_index;
	uint32_t arch;
	unsigned seccomp_major, seccomp_minor, seccomp_micro;
	/* The highest minKernel the profile names: it was resolved for a
	 * kernel at or above every one. */
	unsigned min_kernel_major, min_kernel_minor;
	uint64_t caps_named; /* the capabilities includes/excludes name */
	uint64_t caps; /* ... and which of them it was resolved with */
	bool by_libseccomp;
	const struct sock_filter *insns;
	size_t n_insns;
};

size_t shim_builtin_count(void);
int shim_builtin_at(size_t i, struct shim_builtin *out);
int shim_builtin_find(const char *name, struct shim_builtin *out);
/* 1 and a copy of the program compiled at build time when one fits host
 * and opt; 0 when the profile must be compiled here; -1 out of memory. */
int shim_builtin_precompiled(const struct shim_builtin *b, const struct shim_host *host,
			     const struct shim_compile_options *opt, struct shim_filter *out);
size_t shim_builtin_programs(const struct shim_precompiled **out);

/* What a warning is about. Warnings that only say an unknown syscall
 * was skipped are kept with a cached filter (lib/cache.c) and shown again
 * when it is loaded. */
enum shim_warning_kind {
	SHIM_WARNING_OTHER = 0,
	SHIM_WARNING_UNKNOWN_SYSCALL,
};

struct shim_warning_note {
	enum shim_warning_kind kind;
	bool done; /* the "did you mean" has been looked for */
	/* The unknown name whose "did you mean" goes in before the
	 * message's closing parenthesis when it is shown; NULL when done. */
	char *suggest_for;
};

/* A warning of kind at a place (as shim_warn_at) with, when suggest_for
 * is not NULL, a "did you mean" worked out only when shim_warning_diag()
 * gives it. */
void shim_warn_note(struct shim_warnings *w, enum shim_warning_kind kind,
		    const char *suggest_for, const struct shim_diag *place, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Whether every warning is of that kind (true for none). */
bool shim_warnings_all(const struct shim_warnings *w, enum shim_warning_kind kind);

/* libseccomp's syscall name <-> number lookups, answered from a table
 * generated at build time (lib/syscalls.c); the same contract as
 * seccomp_syscall_resolve_name_arch (arch 0 is the native one,
 * __NR_SCMP_ERROR when unknown) and seccomp_syscall_resolve_num_arch,
 * except that the name returned is constant (NULL when unknown). */
int shim_syscall_resolve_name_arch(uint32_t arch, const char *name);
int shim_syscall_resolve_name(const char *name);
const char *shim_syscall_resolve_num_arch(uint32_t arch, int nr);
/* The libseccomp the table was generated from. */
void shim_syscall_table_version(unsigned *major, unsigned *minor, unsigned *micro);
/* The architectures the table serves (libseccomp tokens, x32 among them). */
size_t shim_syscall_arch_count(void);
uint32_t shim_syscall_arch_at(size_t i);
/* Each syscall arch has a name for, in number order (x32's with bit 30
 * set): start with *cursor 0; false past the last. */
bool shim_syscall_next(uint32_t arch, size_t *cursor, int *nr, const char **name);
/* The lowest number of [lo, hi) libseccomp names name on arch: 1 with
 * it in *nr; 0 when there is none; -1 when the table cannot say (an arch
 * it does not serve, or numbers beyond the ranges it was made from): ask
 * libseccomp. *nr is set only on 1. Finds the direct numbers of the
 * socket calls, which libseccomp's name lookup answers with pseudo
 * numbers. */
int shim_syscall_lowest_num(uint32_t arch, const char *name, int lo, int hi, int *nr);

void shim_sha256(const void *data, size_t len, uint8_t out[32]);
/* The portable way, and whether shim_sha256 takes another (tests). */
void shim_sha256_generic(const void *data, size_t len, uint8_t out[32]);
bool shim_sha256_accelerated(void);

/* Compiled filter files (lib/bpffile.c) in memory: the size of one for f, its bytes
 * (with key in the header's profile hash, or the profile's own hash when
 * NULL), and one read back and checked against host and want_key (NULL:
 * any); *used is how many bytes it took (more may follow, as in a cache
 * entry). A file read from an open fd must hold exactly one. */
size_t shim_bpf_file_size(const struct shim_filter *f);
void shim_bpf_file_encode(void *buf, const struct shim_profile *p, const struct shim_host *host,
			  const struct shim_filter *f, const uint8_t *key);
int shim_bpf_file_decode(const void *buf, size_t len, const char *path, const struct shim_host *host,
			 const uint8_t *want_key, struct shim_filter *out, size_t *used,
			 struct shim_error *err);
int shim_bpf_file_read_fd(int fd, const char *path, const struct shim_host *host,
			  const uint8_t *want_key, struct shim_filter *out, struct shim_error *err);

/* ---- JSON text passes (lib/jsontext.c) ---- */

/* Blanks out // and slash-star comments outside strings, keeping every
 * newline; returns how many (and the offset of the first), *out a blanked
 * copy when there were any; (size_t)-1 when out of memory. */
size_t shim_json_strip_comments(const char *text, size_t len, char **out, size_t *first);
/* The 1-based line and column of offset in text. */
void shim_json_line_col(const char *text, size_t offset, unsigned *line, unsigned *col);

/* Integers above 2^63-1 rewritten as marked strings for jansson:
 * text is NULL when nothing was widened (parse the original). */
struct shim_widened {
	char *text; /* NULL when nothing was widened */
	size_t len;
	size_t n;
	size_t *orig; /* per widened integer: its offset in the original */
	size_t *at; /* ... and in the widened text */
};

bool shim_json_widen(const char *text, size_t len, struct shim_widened *w);
void shim_json_widened_free(struct shim_widened *w);
/* A position in the widened text, in the original. */
size_t shim_json_widened_to_orig(const struct shim_widened *w, size_t pos);

/* Declared with a forward type so this header does not need jansson's. */
struct json_t;
struct json_error_t;
/* json_loadb over text with its integers above 2^63-1 marked (NULL with
 * *jerr on an error; its line is the text's, its column may be past it). */
struct json_t *shim_json_load_wide(const char *text, size_t len, size_t flags,
				   struct json_error_t *jerr);
/* v as a JSON integer, or above 2^63-1 as a marked string. */
struct json_t *shim_json_u64(uint64_t v);
/* Whether v is such a marked string; its value in *out. */
bool shim_json_wide_value(const struct json_t *v, uint64_t *out);
/* Writes root (and drops the reference) as indented JSON text; marked
 * strings after "value" and "valueTwo" become bare integers. */
int shim_json_dump(struct json_t *root, struct shim_text *out, struct shim_error *err);
/* The same for a document read with shim_json_load_wide (an OCI
 * config.json, whose rlimits are uint64 too): every marked string, after
 * any key, becomes the integer it was. */
int shim_json_dump_wide(struct json_t *root, struct shim_text *out, struct shim_error *err);

/* Reads a whole profile file (regular, at most the size limit). */
int shim_read_profile_fd(int fd, const char *path, char **out, size_t *len,
			 struct shim_error *err);

/* ---- supervised runs (lib/supervise.c) ---- */

/* A supervised run's child and its supervisor share this (a MAP_SHARED
 * page): after loading its filter the child says, with stores and no
 * system call, which descriptor its listener is, and waits until the
 * supervisor has taken it with pidfd_getfd(2); a child that fails leaves
 * its error here. */
struct shim_child_link {
	int parent; /* the supervisor: the child dies with it (PR_SET_PDEATHSIG) */
	bool listener; /* load with SECCOMP_FILTER_FLAG_NEW_LISTENER */
	unsigned extra_flags; /* more flags with it (WAIT_KILLABLE_RECV, TSYNC_ESRCH) */
	bool can_yield; /* the filter allows sched_yield while waiting */
	int state; /* LINK_*, read and written with __atomic builtins */
	int fd; /* the listener, in the child */
	struct shim_error err; /* why the child failed (state LINK_FAILED) */
};

#define SHIM_LINK_STARTING 0
#define SHIM_LINK_LOADED 1 /* fd is set: take it */
#define SHIM_LINK_TAKEN 2 /* the supervisor holds it: execve */
#define SHIM_LINK_FAILED 3 /* err says why */

/* shim_filter_load with more flags; with link, the listener seccomp(2)
 * returns is published there (SHIM_LINK_LOADED) before anything else. */
int shim_filter_load_listener(const struct shim_filter *f, unsigned extra,
			      struct shim_child_link *link, struct shim_error *err);
/* In the child, after no_new_privs: dies with the supervisor, loads the
 * filter and hands the listener over. */
int shim_child_link_load(const struct shim_exec_plan *plan, struct shim_error *err);

/* A supervised run's parts, shared between lib/supervise.c (the main
 * thread), lib/supervise_child.c (the child) and lib/supervise_recv.c
 * (the receivers). */
struct shim_sup {
	const struct shim_supervise_options *opt;
	struct shim_supervision *out;
	const struct shim_filter *orig; /* the profile's program */
	struct shim_ref *ref; /* its rules, NULL without a policy */
	int listener;
	size_t notif_size, resp_size;
	pthread_mutex_t lock;
	int stop;
	pid_t target;
	/* Processes known to be in the tree (the target, each that made a
	 * notified call, each reaped), to tell our audit records from
	 * others'. Under lock. */
	int *known;
	size_t n_known, cap_known;
	int audit; /* the audit socket, -1 without */
	int forks; /* the kernel's fork events, -1 without */
};

#define SHIM_SUP_RECEIVERS 4
/* Interrupts a receiver blocked in NOTIF_RECV at the end. Only receivers
 * leave it unblocked: one sent to the process from outside lands there
 * and is passed on to the target like any other. */
#define SHIM_SUP_WAKE_SIGNAL (SIGRTMAX - 1)

struct shim_sup_receivers {
	pthread_t t[SHIM_SUP_RECEIVERS];
	size_t n;
};

/* The child's program and what the verdicts need, before the fork. */
int shim_sup_prepare(struct shim_sup *sh, const struct shim_exec_plan *plan,
		     struct shim_filter *prog, struct shim_child_link *link,
		     struct shim_error *err);
/* Starts the child and, with a listener, takes it: its pid, or -1. */
pid_t shim_sup_start(struct shim_sup *sh, const struct shim_exec_plan *child_plan,
		     struct shim_child_link *link, const sigset_t *old, struct shim_error *err);
/* The receivers, waiting on sh->listener; stopped, and joined. */
void shim_sup_receivers_start(struct shim_sup *sh, struct shim_sup_receivers *r,
			      struct sigaction *old);
void shim_sup_receivers_stop(struct shim_sup *sh, struct shim_sup_receivers *r);
/* SHIM_SUP_WAKE_SIGNAL's handler: a signal not of ours is passed on. */
void shim_sup_on_wake(int sig, siginfo_t *info, void *ctx);
/* pid is of the tree (under sh->lock). */
void shim_sup_know(struct shim_sup *sh, int pid);
/* A small file (/proc), NUL-terminated: its length, or -1. */
int shim_sup_read_file(const char *path, char *buf, size_t len);
/* d->name and d->token from d->arch and d->nr. */
void shim_sup_name_call(struct shim_denial *d);
/* What decided a verdict whose arguments were not seen. */
void shim_sup_decide_unseen(struct shim_sup *sh, const struct shim_seccomp_data *data,
			    struct shim_denial *d);
/* Counts, keeps for --complain and passes on one denial. */
void shim_sup_record_denial(struct shim_sup *sh, const struct shim_denial *d,
			    const struct shim_seccomp_data *data);

/* ---- record (lib/record.c: the recording; lib/record_profile.c: the
 * profile written from it) ---- */

#define SHIM_RECORD_TABLE_SIZE 8192 /* (arch, nr) pairs; a process tree uses a few hundred */
/* clone's namespace flags (CLONE_NEW*): clone without them passes the
 * recording filter unseen. */
#define SHIM_CLONE_NEW_FLAGS 0x7E020000u

struct shim_record_entry {
	uint32_t arch; /* libseccomp token; x32 calls are SCMP_ARCH_X32 */
	int nr;
	uint64_t count;
	int values; /* index into shim_record_table.values, or -1 */
};

/* A call whose danger is in one argument: the values it was called with. */
struct shim_record_values {
	const char *name; /* the syscall */
	unsigned index; /* the argument */
	uint64_t mask; /* what of it counts: UINT64_MAX (EQ), or a MASKED_EQ mask */
	size_t n;
	uint64_t v[SHIM_RECORD_MAX_VALUES]; /* arg & mask, as seen */
	bool overflow; /* more values than that, or unknown: allowed for any */
};

struct shim_record_table {
	struct shim_record_entry v[SHIM_RECORD_TABLE_SIZE]; /* entries with count 0 are free */
	struct shim_record_values *values;
	size_t n_values;
};

/* The calls the recording filter lets through unseen, which a profile
 * always allows. */
extern const char *const shim_record_unnotified[];
extern const size_t shim_record_n_unnotified;

/* Argument decoding (lib/decode.c). What a syscall's arguments are. */
enum shim_arg_kind {
	SHIM_ARG_RAW = 0,
	SHIM_ARG_PATH, /* a path, read from the task */
	SHIM_ARG_STRING, /* another string: a file system type, a name */
	SHIM_ARG_DIRFD, /* AT_FDCWD or a descriptor */
	SHIM_ARG_OPEN_FLAGS,
	SHIM_ARG_MODE,
	SHIM_ARG_CLONE_FLAGS, /* clone: with the exit signal in the low byte */
	SHIM_ARG_NS_FLAGS, /* unshare, setns */
	SHIM_ARG_CLONE_ARGS, /* clone3: a struct whose first word is the flags */
	SHIM_ARG_OPEN_HOW, /* openat2: a struct whose first word is the flags */
	SHIM_ARG_FAMILY, /* socket's address family */
	SHIM_ARG_SOCK_TYPE,
	SHIM_ARG_PERSONALITY,
	SHIM_ARG_IOCTL,
	SHIM_ARG_SIGNAL,
	SHIM_ARG_AT_FLAGS,
	SHIM_ARG_PRCTL,
};

/* The kind of each argument of syscall name (libseccomp's name). */
void shim_arg_kinds(const char *name, uint32_t token, enum shim_arg_kind kinds[6]);
/* value as kind says, into out ("O_WRONLY|O_CREAT", "AF_INET", "0755"). */
void shim_arg_decode(enum shim_arg_kind kind, uint32_t token, uint64_t value,
		     struct shim_text *out);

/* The kernel's audit records of seccomp actions (lib/audit.c). */
struct shim_audit_record {
	int pid; /* the thread group, in the initial pid namespace */
	char comm[17];
	char exe[512];
	int sig;
	uint32_t arch; /* AUDIT_ARCH_* */
	int nr;
	uint64_t ip;
	uint32_t code; /* the action, SECCOMP_RET_* */
};
/* The read-only audit multicast socket, or -1 with why. */
int shim_audit_open(char *why, size_t len);
/* One message: 1 and r for an AUDIT_SECCOMP record, 0 for another (or
 * records lost to an overrun), -1 when none is waiting. */
int shim_audit_read(int fd, struct shim_audit_record *r);
/* The text of an AUDIT_SECCOMP record; -1 if a field is missing. */
int shim_audit_parse(const char *text, struct shim_audit_record *r);
/* The kernel's fork events (the process connector), or -1. */
int shim_proc_events_open(void);
void shim_proc_events_close(int fd);
/* One message: 1 and the thread groups for a fork, 0 for another event
 * (or events lost to an overrun), -1 when none is waiting. */
int shim_proc_events_read(int fd, int *parent, int *child);

/* ---- an OCI bundle's config.json (lib/bundle.c) ---- */

#define SHIM_BUNDLE_CONFIG "config.json"
#define SHIM_BUNDLE_BACKUP "config.json.orig"

struct json_t;
struct shim_bundle {
	char path[PATH_MAX]; /* as given, without trailing slashes */
	int fd; /* the directory */
	char *text; /* config.json as read */
	size_t len;
	unsigned mode; /* config.json's permission bits */
	unsigned uid; /* config.json's owner */
	struct json_t *root;
};

/* Opens the bundle and reads config.json; for_writing: the directory must
 * be trusted first (owned by root or the caller, not writable by others
 * unless sticky). On failure the bundle is closed. */
int shim_bundle_open(struct shim_bundle *b, const char *name, bool for_writing,
		     struct shim_error *err);
void shim_bundle_close(struct shim_bundle *b);
/* Puts data at name in the bundle: a new file renamed over name. */
int shim_bundle_write_file(const struct shim_bundle *b, const char *name, const char *data,
			   size_t len, unsigned mode, struct shim_error *err);
/* Replaces config.json with b->root, its mode kept. */
int shim_bundle_write_config(const struct shim_bundle *b, struct shim_error *err);
/* Keeps config.json as read as config.json.orig, then replaces it. */
int shim_bundle_save_config(const struct shim_bundle *b, struct shim_error *err);
int shim_bundle_sync(const struct shim_bundle *b, struct shim_error *err);

/* nrcells.c: the cells of the syscall number space on which programs
 * and rules give one verdict (lib/equiv.c). */
struct shim_nr_cuts {
	uint32_t *v; /* sorted after shim_nr_cuts_finish */
	size_t n, cap;
	bool oom; /* an add failed: the set is incomplete */
	uint32_t lo, hi; /* the last cell asked for: its numbers */
	size_t cell;
};
void shim_nr_cuts_add(struct shim_nr_cuts *s, uint64_t cut);
void shim_nr_cuts_finish(struct shim_nr_cuts *s);
size_t shim_nr_cell(struct shim_nr_cuts *s, uint32_t nr);
bool shim_nr_cuts_program(const struct sock_filter *p, size_t n, struct shim_nr_cuts *out);
bool shim_nr_sweep(uint32_t arch, uint32_t k, uint32_t *nr);

#endif
