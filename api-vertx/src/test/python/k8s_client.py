"""The official Kubernetes Python client (Debian's python3-kubernetes) against a kafkube API server.

Usage: k8s_client.py KUBECONFIG NAMESPACE
CRUD of ConfigMaps, a label-selected list, 409 on a stale update, list+watch and a watch resumed from a
resourceVersion handed out earlier. Prints one line per check; exits non-zero on the first failure.
"""
import sys
import threading

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def check(cond, what):
    if not cond:
        print("FAILED: " + what, flush=True)
        sys.exit(1)
    print("ok: " + what, flush=True)


def main():
    kubeconfig, ns = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()

    version = client.VersionApi().get_code()
    check(version.major == "1" and version.minor.startswith("32"), "version 1.32 (%s.%s)" % (version.major, version.minor))

    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-settings", labels={"app": "py"}),
                              data={"a": "1"})
    created = core.create_namespaced_config_map(ns, body)
    check(created.metadata.uid and created.metadata.resource_version, "create returns uid and resourceVersion")
    first_rv = created.metadata.resource_version

    got = core.read_namespaced_config_map("py-settings", ns)
    check(got.data == {"a": "1"} and got.metadata.labels == {"app": "py"}, "read back what was created")

    listed = core.list_namespaced_config_map(ns, label_selector="app=py")
    check([i.metadata.name for i in listed.items] == ["py-settings"], "list with a label selector")
    list_rv = listed.metadata.resource_version
    check(bool(list_rv), "list carries a resourceVersion")

    got.data["a"] = "2"
    updated = core.replace_namespaced_config_map("py-settings", ns, got)
    check(updated.data["a"] == "2" and updated.metadata.resource_version != first_rv, "replace changes the object")

    stale = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-settings", resource_version=first_rv),
                               data={"a": "stale"})
    try:
        core.replace_namespaced_config_map("py-settings", ns, stale)
        check(False, "a stale update is refused")
    except ApiException as e:
        check(e.status == 409 and "Conflict" in e.body, "a stale update is refused with 409 Conflict")
    check(core.read_namespaced_config_map("py-settings", ns).data["a"] == "2", "the stale update changed nothing")

    patched = core.patch_namespaced_config_map("py-settings", ns, {"data": {"b": "3"}})
    check(patched.data == {"a": "2", "b": "3"}, "strategic merge patch")

    # A watch resumed from the list's resourceVersion sees everything since: the update and the patch.
    w = watch.Watch()
    seen = []
    for event in w.stream(core.list_namespaced_config_map, ns, resource_version=list_rv, timeout_seconds=20):
        if event["object"].metadata.name == "py-settings":
            seen.append((event["type"], dict(event["object"].data)))
        if len(seen) == 2:
            w.stop()
    check(seen == [("MODIFIED", {"a": "2"}), ("MODIFIED", {"a": "2", "b": "3"})],
          "watch resumed from a list's resourceVersion: %s" % seen)

    # A live watch sees a delete made while it runs.
    w = watch.Watch()
    timer = threading.Timer(1.0, lambda: core.delete_namespaced_config_map("py-settings", ns))
    timer.start()
    saw_delete = False
    for event in w.stream(core.list_namespaced_config_map, ns, resource_version=patched.metadata.resource_version,
                          timeout_seconds=20):
        if event["type"] == "DELETED" and event["object"].metadata.name == "py-settings":
            saw_delete = True
            w.stop()
    timer.join()
    check(saw_delete, "a live watch saw the delete")

    try:
        core.read_namespaced_config_map("py-settings", ns)
        check(False, "gone after delete")
    except ApiException as e:
        check(e.status == 404, "gone after delete (404)")
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main()
