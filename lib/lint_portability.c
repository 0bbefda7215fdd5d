/* lint: what differs between runtimes. native-arch-added: runc (and
 * seccomp-shim) add the native architecture to a list without it;
 * portability: keys only some runtimes read (podman's defaultErrno and
 * errno, Docker's old "name").
 *
 * MUST: every finding names file:line:column and the JSON path, says what
 * is wrong and how to fix it.
 */
#include <stdio.h>
#include <string.h>

#include "lint.h"

/* architectures without the arch this resolves for: runc (and we) add the
 * native one anyway, so the rules, written for another machine, apply
 * here by name. */
void shim_lint_foreign_arches(const struct shim_profile *p, uint32_t arch,
			      struct shim_findings *out)
{
	const struct shim_arch_info *native = shim_arch_by_token(arch);
	char listed[256] = "";

	if (!p->n_architectures || !native)
		return;
	for (size_t i = 0; i < p->n_architectures; i++) {
		if (p->architectures[i]->token == arch)
			return;
		snprintf(listed + strlen(listed), sizeof(listed) - strlen(listed), "%s%s",
			 i ? ", " : "", p->architectures[i]->oci);
	}
	shim_lint_at(out, p, SHIM_SEV_WARNING, "native-arch-added",
		     "add it to \"architectures\" if the profile is meant for this machine too, or check it with --arch for the machine it is meant for",
		     "architectures",
		     "lists %s but not %s: runc and seccomp-shim add the native architecture anyway, so on this machine these rules apply to %s calls by name",
		     listed, native->oci, native->oci);
}

/* Keys only some runtimes read. */
void shim_lint_portability(const struct shim_profile *p, struct shim_findings *out)
{
	char path[64];
	struct shim_json_seg seg[3];
	unsigned line, col;

	seg[0] = (struct shim_json_seg){ "defaultErrno", 0 };
	if (shim_json_locate(p->text, p->text_len, seg, 1, true, &line, &col) == 1)
		shim_lint_at(out, p, SHIM_SEV_WARNING, "portability",
			     "write the number as \"defaultErrnoRet\" (podman reads both)", "defaultErrno",
			     "\"defaultErrno\" is podman's: Docker and runc ignore it and use EPERM");
	for (size_t i = 0; i < p->n_rules; i++) {
		seg[0] = (struct shim_json_seg){ "syscalls", 0 };
		seg[1] = (struct shim_json_seg){ NULL, i };
		seg[2] = (struct shim_json_seg){ "errno", 0 };
		if (shim_json_locate(p->text, p->text_len, seg, 3, true, &line, &col) == 3) {
			snprintf(path, sizeof(path), "syscalls[%zu].errno", i);
			shim_lint_at(out, p, SHIM_SEV_WARNING, "portability",
				     "write the number as \"errnoRet\" (podman reads both)", path,
				     "\"errno\" is podman's: Docker and runc ignore it and use EPERM");
		}
		if (p->rules[i].single_name) {
			snprintf(path, sizeof(path), "syscalls[%zu].name", i);
			shim_lint_at(out, p, SHIM_SEV_WARNING, "portability", "write \"names\": [\"...\"]", path,
				     "\"name\" is Docker's old spelling: the OCI form (runc's config.json) has only \"names\"");
		}
	}
}
