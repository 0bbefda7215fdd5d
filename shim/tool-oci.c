/* The oci subcommands: convert, wrap, unwrap. shim/cli.c has read their
 * options and arguments; these run them and print. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "seccomp-shim.h"
#include "cli.h"
#include "diag.h"
#include "tools.h"

/* oci convert PROFILE (--bundle DIR | --caps LIST) [--write]: the profile
 * resolved for the bundle's bounding set, as linux.seccomp. */
int cmd_oci_convert(const struct cli_args *o)
{
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	int r;

	if (!o->bundle && !o->caps)
		return tool_die(SHIM_EXIT_FAILURE, "oci convert", "resolve for what? give --bundle DIR (its process's capabilities) or --caps LIST");
	if (o->write && !o->bundle)
		return tool_die(SHIM_EXIT_FAILURE, "oci convert", "--write goes with --bundle DIR (it writes DIR/config.json)");
	if ((r = tool_host("oci convert", o, &host, SHIM_EXIT_FAILURE)))
		return r;
	/* The bundle's bounding set is what its process can hold. */
	if (o->bundle && !o->caps && shim_oci_bundle_caps(o->bundle, &host.bounding, &err) < 0)
		return tool_die(SHIM_EXIT_FAILURE, "oci convert", "%s", diag_error_text(&err));
	if ((r = tool_load("oci convert", o->rest[0], o, &host, &c, SHIM_EXIT_FAILURE)))
		return r;
	struct shim_text added = { 0 };
	r = shim_export_oci_for_runtime(&c.pol, &c.filter, host.arch->token, &out, &added, &err);
	shim_compiled_free(&c);
	if (r == 0 && added.len && !o->quiet)
		fprintf(stderr, "seccomp-shim: oci convert: also allowed, because runc's init calls them after loading the filter: %s\n",
			added.s);
	shim_text_free(&added);
	if (r == 0 && o->write) {
		r = shim_oci_set_seccomp(o->bundle, out.s, &err);
		shim_text_free(&out);
		if (r == 0 && !o->quiet)
			fprintf(stderr, "seccomp-shim: wrote linux.seccomp into %s/config.json (the previous one is config.json.orig)\n",
				o->bundle);
		return r < 0 ? tool_die(SHIM_EXIT_FAILURE, "oci convert", "%s", diag_error_text(&err)) : 0;
	}
	if (r < 0) {
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "oci convert", "%s", diag_error_text(&err));
	}
	return tool_write_output("oci convert", o->output, &out);
}

/* The static shim oci wrap copies when --shim is not given: the one make
 * install puts beside this binary (seccomp-shim-static), else this binary
 * itself (which wrap refuses unless it is static). */
static const char *default_static_shim(char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash && strcmp(slash + 1, "seccomp-shim-static") != 0) {
			snprintf(buf, len, "%.*s/seccomp-shim-static", (int)(slash - self), self);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	return "/proc/self/exe";
}

/* oci wrap DIR --profile P [--shim PATH] */
int cmd_oci_wrap(const struct cli_args *o)
{
	struct shim_error err = { 0 };
	struct shim_host host;
	struct shim_compiled c;
	char shim[PATH_MAX];
	bool already;
	int r;

	/* The profile is checked now, by the pipeline a run takes: a bundle
	 * must not start with a profile the run would refuse. */
	if ((r = tool_host_load("oci wrap", o, o->profile, &host, &c)))
		return r;
	r = shim_oci_wrap(o->rest[0], o->shim ? o->shim : default_static_shim(shim, sizeof(shim)),
			  c.profile->text, c.profile->text_len, &already, &err);
	shim_compiled_free(&c);
	if (r < 0)
		return tool_die(SHIM_EXIT_FAILURE, "oci wrap", "%s", diag_error_text(&err));
	if (!o->quiet)
		fprintf(stderr, already ? "seccomp-shim: %s is wrapped already; nothing changed\n"
					: "seccomp-shim: wrapped %s (the previous config.json is config.json.orig; the shim is copied into the bundle as seccomp-shim-static)\n",
			o->rest[0]);
	return 0;
}

int cmd_oci_unwrap(const struct cli_args *o)
{
	struct shim_error err = { 0 };
	struct shim_oci_unwrapped res;

	if (shim_oci_unwrap(o->rest[0], &res, &err) < 0)
		return tool_die(SHIM_EXIT_FAILURE, "oci unwrap", "%s", diag_error_text(&err));
	if (o->quiet)
		return 0;
	fprintf(stderr, res.was_wrapped ? "seccomp-shim: unwrapped %s\n"
					: "seccomp-shim: %s is not wrapped; nothing changed\n", o->rest[0]);
	if (res.kept_backup)
		fprintf(stderr, "seccomp-shim: %s/config.json.orig is not the copy wrap kept (config.json changed since, or it was replaced): left as it is\n",
			o->rest[0]);
	if (res.left_mount_points)
		fprintf(stderr, "seccomp-shim: the root filesystem's .seccomp-shim directory stays: a container still has the shim mounted there, or it holds files that are not the runtime's mount points; remove it once the container is gone\n");
	return 0;
}
