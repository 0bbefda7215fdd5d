#!/usr/bin/env python3
# What examples/Dockerfile and examples/kubernetes/pod.yaml say, as bash
# assignments for t-83-image-examples.sh to source (arrays for command
# lines, every value quoted). Nothing is mapped or changed here: the
# section maps paths itself. Exits 1, saying why on stderr, when the file
# does not say what the section needs (so the checks that use it fail).
#
#   image-examples.py dockerfile FILE   DF_FROM, DF_TAG (the comment's
#       "build -t NAME"), DF_USER and DF_UID (its RUN useradd), DF_COPY
#       (SRC DST pairs), DF_COMPILE (the RUN seccomp-shim compile argv),
#       DF_ENTRYPOINT, DF_CMD
#   image-examples.py pod FILE          POD_PARSER (yaml, or minimal without
#       python3-yaml), POD_KIND, POD_NAME, POD_CONTAINER, POD_IMAGE,
#       POD_ARGV (command then args), POD_RUN_AS, POD_CAPS_DROP and
#       POD_CAPS_ADD (comma lists), POD_SECCOMP, POD_MOUNT and
#       POD_CONFIGMAP (the configMap volume's mount point and name), and
#       from the comment's "kubectl create configmap" line CM_NAME, CM_KEY,
#       CM_FILE
#   image-examples.py configmap NAME KEY FILE   that ConfigMap, as kubectl
#       create configmap would make it (JSON, which YAML readers take)
import json
import re
import shlex
import sys


def die(msg):
    sys.stderr.write("image-examples.py: %s\n" % msg)
    sys.exit(1)


def out(name, value):
    if isinstance(value, list):
        print("%s=(%s)" % (name, " ".join(shlex.quote(str(v)) for v in value)))
    else:
        print("%s=%s" % (name, shlex.quote("" if value is None else str(value))))


def dockerfile_instructions(text):
    """(INSTRUCTION, ARGS) in order: comment lines dropped, continuations
    joined, as docker build reads them."""
    steps, cur = [], ""
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        if cur.strip():
            word, _, rest = cur.strip().partition(" ")
            steps.append((word.upper(), rest.strip()))
        cur = ""
    return steps


def exec_form(args, where):
    if not args.startswith("["):
        die("%s is not in exec form (a JSON array)" % where)
    try:
        argv = json.loads(args)
    except ValueError as e:
        die("%s: not a JSON array: %s" % (where, e))
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        die("%s: not an array of strings" % where)
    return argv


def dockerfile(path):
    text = open(path).read()
    vals = {"DF_COPY": [], "DF_COMPILE": [], "DF_ENTRYPOINT": [], "DF_CMD": []}
    m = re.search(r"^#.*\bbuild -t (\S+)", text, re.M)
    vals["DF_TAG"] = m.group(1) if m else ""
    for ins, args in dockerfile_instructions(text):
        if ins == "FROM":
            vals["DF_FROM"] = args.split()[0]
        elif ins == "COPY":
            words = args.split()
            if len(words) != 2:
                die("COPY %s: expected SRC DST" % args)
            vals["DF_COPY"] += words
        elif ins == "RUN" and args.startswith("["):
            argv = exec_form(args, "RUN " + args)
            if len(argv) > 1 and argv[0].endswith("/seccomp-shim") and argv[1] == "compile":
                vals["DF_COMPILE"] = argv
        elif ins == "RUN":
            words = shlex.split(args)
            if words and words[0] == "useradd":
                for opt in ("--uid", "-u"):
                    if opt in words[:-1]:
                        vals["DF_UID"] = words[words.index(opt) + 1]
                vals["DF_USER"] = words[-1]
        elif ins in ("ENTRYPOINT", "CMD"):
            vals["DF_" + ins] = exec_form(args, ins)
    for need in ("DF_FROM", "DF_USER", "DF_UID", "DF_COMPILE", "DF_ENTRYPOINT", "DF_CMD"):
        if not vals.get(need):
            die("%s: found no %s" % (path, need))
    for name in sorted(vals):
        out(name, vals[name])


def pod_yaml(text):
    import yaml

    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    if len(docs) != 1:
        die("expected one YAML document, found %d" % len(docs))
    pod = docs[0]
    spec = pod["spec"]
    (c,) = spec["containers"]
    caps = c.get("securityContext", {}).get("capabilities", {})
    mounts = {m["name"]: m["mountPath"] for m in c.get("volumeMounts", [])}
    cms = [(mounts[v["name"]], v["configMap"]["name"]) for v in spec.get("volumes", [])
           if "configMap" in v and v["name"] in mounts]
    return {
        "POD_PARSER": "yaml",
        "POD_KIND": pod["kind"],
        "POD_NAME": pod["metadata"]["name"],
        "POD_CONTAINER": c["name"],
        "POD_IMAGE": c["image"],
        "POD_ARGV": list(c.get("command", [])) + list(c.get("args", [])),
        "POD_RUN_AS": c.get("securityContext", {}).get("runAsUser", ""),
        "POD_CAPS_DROP": ",".join(caps.get("drop", [])),
        "POD_CAPS_ADD": ",".join(caps.get("add", [])),
        "POD_SECCOMP": spec.get("securityContext", {}).get("seccompProfile", {}).get("type", ""),
        "POD_MOUNT": cms[0][0] if len(cms) == 1 else "",
        "POD_CONFIGMAP": cms[0][1] if len(cms) == 1 else "",
    }


def pod_minimal(text):
    """Without python3-yaml: no tabs, and the fields read by pattern, the
    flow sequences ([...], JSON here) parsed as JSON."""
    if "\t" in text:
        die("a tab in the indentation (YAML does not allow it)")
    # Block lines (outside a [...] sequence) are indented by two spaces a
    # level, as the example is written.
    depth = 0
    for n, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0] if '"' not in line else line
        if depth == 0 and body.strip() and (len(line) - len(line.lstrip(" "))) % 2:
            die("line %d: indented by an odd number of spaces" % n)
        depth += body.count("[") - body.count("]")

    def one(pattern):
        m = re.findall(r"^\s*-?\s*" + pattern + r":\s*(\S+)\s*$", text, re.M)
        return m[0] if len(m) == 1 else ""

    def flow(key):
        m = re.search(r"^\s*" + key + r":\s*(\[.*?\])", text, re.M | re.S)
        return json.loads(m.group(1)) if m else []

    return {
        "POD_PARSER": "minimal",
        "POD_KIND": one("kind"),
        "POD_NAME": re.findall(r"^metadata:\s*\n\s+name:\s*(\S+)", text, re.M)[0],
        "POD_CONTAINER": re.findall(r"^\s*containers:\s*\n\s*- name:\s*(\S+)", text, re.M)[0],
        "POD_IMAGE": one("image"),
        "POD_ARGV": flow("command") + flow("args"),
        "POD_RUN_AS": one("runAsUser"),
        "POD_CAPS_DROP": ",".join(flow("drop")),
        "POD_CAPS_ADD": ",".join(flow("add")),
        "POD_SECCOMP": one("type"),
        "POD_MOUNT": one("mountPath"),
        "POD_CONFIGMAP": re.findall(r"^\s*configMap:\s*\n\s+name:\s*(\S+)", text, re.M)[0],
    }


def pod(path):
    text = open(path).read()
    try:
        import yaml  # noqa: F401
        parse = pod_yaml
    except ImportError:
        parse = pod_minimal
    try:
        vals = parse(text)
    except Exception as e:  # a YAML error, or a field missing
        die("%s: %s: %s" % (path, type(e).__name__, e))
    m = re.search(r"^#.*kubectl create configmap (\S+) --from-file=([^=\s]+)=(\S+)", text, re.M)
    if not m:
        die("%s: no kubectl create configmap line in its comment" % path)
    vals.update(CM_NAME=m.group(1), CM_KEY=m.group(2), CM_FILE=m.group(3))
    if not vals["POD_ARGV"]:
        die("%s: the container has no command" % path)
    for name in sorted(vals):
        out(name, vals[name])


def configmap(name, key, path):
    print(json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
                      "data": {key: open(path).read()}}, indent=2))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "dockerfile":
        dockerfile(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "pod":
        pod(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "configmap":
        configmap(*sys.argv[2:])
    else:
        die("usage: image-examples.py dockerfile FILE | pod FILE | configmap NAME KEY FILE")
